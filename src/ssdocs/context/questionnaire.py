"""What a questionnaire shows: the header (jurisdiction, year, respondent), the scope and every item."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from ssdocs.context.basis import PAPER_SECTIONS, BasisView, basis_views
from ssdocs.errors import SsdocsError
from ssdocs.loading.checklists import Catalog, latest
from ssdocs.loading.registers import shipped_register
from ssdocs.models.assessment import JURISDICTION_CODE
from ssdocs.models.base import Text
from ssdocs.models.checklist import (
    AnyItem,
    Checklist,
    ChoiceItem,
    GridItem,
    MatrixItem,
    ScaleItem,
    Section,
)
from ssdocs.models.registers import BasisRegister

Lang = Literal["zh", "en", "both"]
Level = Literal["national", "province", "city", "county"]

LEVELS: dict[str, Text] = {
    "national": Text(zh="全国", en="national"),
    "province": Text(zh="省级", en="province"),
    "city": Text(zh="市级", en="city"),
    "county": Text(zh="县级", en="county"),
}

YES_NO_LABELS: dict[str, Text] = {
    "yes": Text(zh="是", en="Yes"),
    "partial": Text(zh="部分", en="Partly"),
    "no": Text(zh="否", en="No"),
}
CELL_LABELS: dict[str, Text] = {
    "yes": Text(zh="是", en="yes"),
    "no": Text(zh="否", en="no"),
    "na": Text(zh="不适用", en="N/A"),
}

# The seven fund categories of the paper's Fig. 3 (基金大厦), with words that show a checklist covers one.
FUND_CATEGORIES: tuple[tuple[str, Text, tuple[str, ...]], ...] = (
    ("national-social-security-fund", Text(zh="全国社会保障基金", en="National Social Security Fund"),
     ("全国社会保障基金", "全国社保基金")),
    ("social-insurance-fund", Text(zh="社会保险基金", en="Social insurance funds"),
     ("社会保险基金", "社保基金", "医保基金", "养老保险基金")),
    ("social-assistance-fund", Text(zh="社会救助基金", en="Social assistance funds"), ("社会救助",)),
    ("social-welfare-fund", Text(zh="社会福利基金", en="Social welfare funds"), ("社会福利",)),
    ("disability-employment-fund", Text(zh="残疾人就业保障金", en="Disability employment security fund"),
     ("残疾人就业保障金",)),
    ("social-donation-fund", Text(zh="社会捐赠基金", en="Social donation funds"), ("社会捐赠", "慈善")),
    ("housing-security-fund", Text(zh="住房保障基金", en="Housing security funds"), ("住房保障", "住房公积金")),
)


@dataclass(frozen=True)
class Header:
    """The jurisdiction/year/respondent block, filled from the command line; blanks stay blank."""

    code: str | None = None
    name_zh: str | None = None
    name_en: str | None = None
    level: Level | None = None
    year: int | None = None
    assessor: str | None = None
    date: dt.date | None = None
    parent: str | None = None  # 上级地区代码 (the city of a county), for `rollup --by-parent`
    insured: int | None = None  # 参保人数, prefilled from an assessment
    population: int | None = None  # 常住人口

    def __post_init__(self) -> None:
        if self.code is not None and not re.match(JURISDICTION_CODE, self.code):
            raise SsdocsError(
                f"--jurisdiction: expected a code of letters, digits, '-' or '_' (at most 32), "
                f"got {self.code!r}"
            )
        if self.parent is not None and not re.match(JURISDICTION_CODE, self.parent):
            raise SsdocsError(
                f"--parent: expected a code of letters, digits, '-' or '_' (at most 32), "
                f"got {self.parent!r}"
            )
        if self.year is not None and not 1990 <= self.year <= 2100:
            raise SsdocsError(f"--year: expected a year from 1990 to 2100, got {self.year}")
        for option, value in (("--name-zh", self.name_zh), ("--name-en", self.name_en),
                              ("--assessor", self.assessor)):
            if value is not None and (not value.strip() or len(value) > 200):
                raise SsdocsError(f"{option}: expected 1 to 200 characters, got {len(value.strip())}")


@dataclass(frozen=True)
class FundCoverage:
    id: str
    label: Text
    covered: bool


@dataclass(frozen=True)
class ItemView:
    """One item as the questionnaire shows it, with its numbering and form-field names."""

    item: AnyItem
    section: Section
    checklist: Checklist
    number: int
    basis: list[BasisView] = field(default_factory=list)  # the instruments cited, from the register

    @property
    def kind(self) -> str:
        return self.item.type

    @property
    def small(self) -> bool:
        """Short enough to keep on one page: such items never split (long ones split between blocks)."""
        if isinstance(self.item, (MatrixItem, GridItem)):
            return False
        rows = len(self.item.levels) if isinstance(self.item, ScaleItem) else (
            len(self.item.options) if isinstance(self.item, ChoiceItem) else 1)
        return len(self.item.guidance.zh) + len(self.item.question.zh) + 40 * rows <= 420


@dataclass(frozen=True)
class SectionView:
    section: Section
    checklist: Checklist
    items: list[ItemView]


@dataclass(frozen=True)
class ChecklistView:
    checklist: Checklist
    sections: list[SectionView]


@dataclass(frozen=True)
class QuestionnaireContext:
    """Everything the questionnaire template needs; built once, rendered to HTML or PDF."""

    title: Text
    lang: Lang
    header: Header
    checklists: list[ChecklistView]
    funds: list[FundCoverage]
    fillable: bool
    item_count: int
    generated: dt.date
    checklist_refs: list[tuple[str, str]] = field(default_factory=list)


SHIPPED_ORDER = ("three-definitions", "recovery", "credit-evaluation", "supervision-system", "fund-finance",
                 "information-platform", "institution-building", "risk-topics")


def select_checklists(catalog: Catalog, wanted: Sequence[str] = ()) -> list[Checklist]:
    """Checklists by id (latest version) or `id@version`; all of the catalog when none is named.

    With none named, the shipped checklists come in the paper's order, any others after them by id.
    """
    ids = sorted({cid for cid, _ in catalog}, key=lambda c: (
        SHIPPED_ORDER.index(c) if c in SHIPPED_ORDER else len(SHIPPED_ORDER), c))
    chosen: list[Checklist] = []
    for name in wanted or ids:
        cid, _, version = name.partition("@")
        if version:
            checklist = catalog.get((cid, version))
            if checklist is None:
                versions = sorted(v for c, v in catalog if c == cid)
                raise SsdocsError(f"checklist {cid} has no version {version}"
                                  + (f", expected one of {', '.join(versions)}" if versions else
                                     f"; unknown checklist (expected one of: {', '.join(ids)})"))
        else:
            found = latest(catalog, cid)
            if found is None:
                hint = difflib.get_close_matches(cid, ids, n=1)
                raise SsdocsError(f"unknown checklist {cid!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")
                                  + f" (expected one of: {', '.join(ids)})")
            checklist = found
        if checklist.id in {c.id for c in chosen}:
            raise SsdocsError(f"checklist {checklist.id} is named twice")
        chosen.append(checklist)
    if not chosen:
        raise SsdocsError("no checklists found to make a questionnaire from")
    return chosen


def fund_coverage(checklists: list[Checklist]) -> list[FundCoverage]:
    """Which of the seven Fig. 3 fund categories the chosen checklists speak about.

    A checklist covers a category when its texts name it (or carry a tag `fund:<id>`); a checklist
    naming no category at all is taken to cover social insurance funds, the paper's main subject.
    """
    texts: list[str] = []
    tags: set[str] = set()
    for checklist in checklists:
        texts += [checklist.title.zh, checklist.description.zh]
        for section, item in checklist.items():
            texts += [section.title.zh, item.question.zh, item.guidance.zh]
            tags.update(item.tags)
    blob = "\n".join(texts)
    covered = {
        ident for ident, _, words in FUND_CATEGORIES
        if f"fund:{ident}" in tags or any(word in blob for word in words)
    }
    if checklists and not covered:
        covered = {"social-insurance-fund"}
    return [FundCoverage(ident, label, ident in covered) for ident, label, _ in FUND_CATEGORIES]


def questionnaire_context(checklists: list[Checklist], header: Header, lang: Lang, *,
                          fillable: bool = False, today: dt.date | None = None,
                          register: BasisRegister | None = None) -> QuestionnaireContext:
    """Number every item across the chosen checklists and gather what the cover and scope show.

    `register` names the instruments items cite (default: the shipped basis.yaml).
    """
    register = register or shipped_register()
    views = []
    number = 0
    for checklist in checklists:
        sections = []
        for section in checklist.sections:
            items = []
            for item in section.items:
                number += 1
                items.append(ItemView(item=item, section=section, checklist=checklist, number=number,
                                      basis=basis_views(item, register)))
            sections.append(SectionView(section=section, checklist=checklist, items=items))
        views.append(ChecklistView(checklist=checklist, sections=sections))
    if len(checklists) == 1:
        title = Text(zh=f"{checklists[0].title.zh} 审计问卷", en=f"{checklists[0].title.en}: audit questionnaire")
    else:
        title = Text(zh="社会保障基金安全规范审计问卷", en="Social-security fund safety standards: audit questionnaire")
    return QuestionnaireContext(
        title=title,
        lang=lang,
        header=header,
        checklists=views,
        funds=fund_coverage(checklists),
        fillable=fillable,
        item_count=number,
        generated=today or dt.date.today(),
        checklist_refs=[(c.id, c.version) for c in checklists],
    )


__all__ = [
    "CELL_LABELS",
    "PAPER_SECTIONS",
    "FUND_CATEGORIES",
    "LEVELS",
    "YES_NO_LABELS",
    "ChecklistView",
    "FundCoverage",
    "Header",
    "ItemView",
    "QuestionnaireContext",
    "SectionView",
    "fund_coverage",
    "select_checklists",
    "questionnaire_context",
]
