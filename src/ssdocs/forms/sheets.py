"""The layout of an xlsx questionnaire, shared by its writer and its reader: sheets, columns, choices.

Both sides derive the layout from the checklist versions and the language, so the reader checks a
filled workbook against exactly what the writer produced: the same sheet names, the same column
headings, one row per item found by the item id in column A.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ssdocs.models.base import Text
from ssdocs.models.checklist import AnyItem, Checklist, ChoiceItem, GridItem, MatrixItem, ScaleItem, YesNoItem

GridLike = MatrixItem | GridItem

Lang = Literal["zh", "en", "both"]

FORMAT = "ssdocs-questionnaire-xlsx"
FORMAT_VERSION = 2  # 2: the cover asks for the parent jurisdiction, insured persons and population (rows 12-14)
META_SHEET = "_ssdocs"  # hidden: format, language, the checklist versions answered
LISTS_SHEET = "_lists"  # hidden: the values of every drop-down
TITLE_ROW = 1
HEADER_ROW = 3
FIRST_ROW = 4
EVIDENCE_ROWS = 300  # rows of the extra-evidence sheet open to answers

COVER = Text(zh="封面", en="Cover")
ROW_HEADER = Text(zh="事项", en="Item")  # a matrix's row heading when the checklist names none
ROW_NA = Text(zh="本行不适用", en="Row N/A")  # a grid row may be answered `na` as a whole
EVIDENCE = Text(zh="更多证据", en="More evidence")

# Short tab names for the shipped checklists (a tab holds at most 31 characters).
SHORT_NAMES: dict[str, Text] = {
    "three-definitions": Text(zh="三定", en="Three determinations"),
    "recovery": Text(zh="追缴", en="Recovery"),
    "credit-evaluation": Text(zh="信用评价", en="Credit evaluation"),
    "supervision-system": Text(zh="监管体系", en="Supervision system"),
    "information-platform": Text(zh="信息平台", en="Information platform"),
    "institution-building": Text(zh="制度建设", en="Institution building"),
    "fund-finance": Text(zh="基金财务", en="Fund finance"),
    "risk-topics": Text(zh="风险专项", en="Risk topics"),
}

YES_NO = {"yes": Text(zh="是", en="Yes"), "partial": Text(zh="部分", en="Partly"), "no": Text(zh="否", en="No")}
CELL = {"yes": Text(zh="是", en="Yes"), "no": Text(zh="否", en="No"), "na": Text(zh="不适用", en="N/A")}
EVIDENCE_KINDS = {
    "document": Text(zh="文件", en="Document"),
    "system_data": Text(zh="系统数据", en="System data"),
    "observation": Text(zh="现场查看", en="Observation"),
    "interview": Text(zh="访谈", en="Interview"),
}
LEVELS = {
    "national": Text(zh="全国", en="National"),
    "province": Text(zh="省级", en="Province"),
    "city": Text(zh="市级", en="City"),
    "county": Text(zh="县级", en="County"),
}


@dataclass(frozen=True)
class Column:
    """One column of a checklist sheet: its key, heading and width (in characters)."""

    key: str
    label: Text
    width: float
    answer: bool = False  # open to the respondent


ITEM_COLUMNS: tuple[Column, ...] = (
    Column("id", Text(zh="编号", en="ID"), 8),
    Column("question", Text(zh="问题", en="Question"), 28),
    Column("guidance", Text(zh="填写指引", en="Guidance"), 36),
    Column("basis", Text(zh="依据与论文原文", en="Basis and paper quote"), 18),
    Column("weight", Text(zh="权重", en="Weight"), 7),
    Column("flags", Text(zh="标记", en="Flags"), 7),
    Column("value", Text(zh="答案", en="Answer"), 12, True),
    Column("na", Text(zh="不适用理由", en="N/A reason"), 12, True),
    Column("evidence.kind", Text(zh="证据类型", en="Evidence kind"), 9, True),
    Column("evidence.title", Text(zh="证据名称", en="Evidence title"), 16, True),
    Column("evidence.number", Text(zh="文号", en="Reference no."), 10, True),
    Column("evidence.date", Text(zh="证据日期", en="Evidence date"), 10, True),
    Column("note", Text(zh="备注", en="Notes"), 16, True),
    Column("owner", Text(zh="责任人", en="Owner"), 9, True),
    Column("due", Text(zh="整改期限", en="Due date"), 10, True),
)
COLUMN_INDEX: dict[str, int] = {c.key: i + 1 for i, c in enumerate(ITEM_COLUMNS)}

EVIDENCE_COLUMNS: tuple[Column, ...] = (
    Column("item", Text(zh="条目编号", en="Item ID"), 14, True),
    Column("kind", Text(zh="证据类型", en="Evidence kind"), 12, True),
    Column("title", Text(zh="证据名称", en="Evidence title"), 50, True),
    Column("number", Text(zh="文号", en="Reference no."), 22, True),
    Column("date", Text(zh="证据日期", en="Evidence date"), 13, True),
)


@dataclass(frozen=True)
class CoverField:
    """One answer of the cover sheet: the key it fills, its label and whether it must be filled."""

    key: str
    label: Text
    required: bool
    kind: Literal["text", "level", "year", "date", "count"] = "text"


COVER_FIELDS: tuple[CoverField, ...] = (
    CoverField("code", Text(zh="地区代码", en="Jurisdiction code"), True),
    CoverField("name_zh", Text(zh="地区名称（中文）", en="Name (Chinese)"), True),
    CoverField("name_en", Text(zh="地区名称（英文）", en="Name (English)"), True),
    CoverField("level", Text(zh="行政层级", en="Level"), True, "level"),
    CoverField("year", Text(zh="评估年度", en="Year assessed"), True, "year"),
    CoverField("period_start", Text(zh="评估期间起", en="Period from"), False, "date"),
    CoverField("period_end", Text(zh="评估期间止", en="Period to"), False, "date"),
    CoverField("date", Text(zh="评估日期", en="Date of the assessment"), True, "date"),
    # format 2 (after the fields of format 1, so a workbook of format 1 keeps its rows)
    CoverField("parent", Text(zh="上级地区代码", en="Parent jurisdiction (code)"), False),
    CoverField("insured", Text(zh="参保人数（人）", en="Insured persons"), False, "count"),
    CoverField("population", Text(zh="常住人口（人）", en="Resident population"), False, "count"),
)
COVER_FIRST_ROW = 4  # the first field; assessors follow the fields after one blank row
ASSESSOR_COLUMNS: tuple[Column, ...] = (
    Column("name", Text(zh="评估人姓名", en="Assessor"), 0, True),
    Column("organisation", Text(zh="单位", en="Organisation"), 0, True),
    Column("role", Text(zh="职务", en="Role"), 0, True),
)
ASSESSOR_ROWS = 6


def cover_fields(version: int = FORMAT_VERSION) -> tuple[CoverField, ...]:
    """The cover's fields in a workbook of that format version (1: without parent, insured persons, population)."""
    return COVER_FIELDS if version >= 2 else COVER_FIELDS[:8]


def assessor_header_row(version: int = FORMAT_VERSION) -> int:
    return COVER_FIRST_ROW + len(cover_fields(version)) + 1


def text(value: Text, lang: Lang) -> str:
    """A bilingual text in the chosen language: `zh / en` for both (once when they are the same)."""
    if lang == "both":
        return value.zh if value.zh == value.en else f"{value.zh} / {value.en}"
    return value.get(lang)


def tab(value: Text, lang: Lang) -> str:
    """A fixed tab name (cover, more evidence): `封面 Cover` for both."""
    return f"{value.zh} {value.en}" if lang == "both" else value.get(lang)


def heading(value: Text, lang: Lang) -> str:
    """A column heading: both languages on two lines for `both`."""
    return f"{value.zh}\n{value.en}" if lang == "both" else value.get(lang)


_TAB_FORBIDDEN = re.compile(r"[\[\]:*?/\\']")


def _tab(name: str) -> str:
    return _TAB_FORBIDDEN.sub(" ", name).strip()[:31].strip() or "sheet"


def checklist_sheets(checklists: Sequence[Checklist], lang: Lang) -> dict[str, str]:
    """Checklist id -> its tab name, unique, at most 31 characters, never an item id or a fixed tab."""
    taken = {tab(COVER, lang), tab(EVIDENCE, lang), META_SHEET, LISTS_SHEET}
    taken |= {item.id for c in checklists for _, item in c.items() if is_grid(item)}
    names: dict[str, str] = {}
    for checklist in checklists:
        short = SHORT_NAMES.get(checklist.id, checklist.title)
        base = _tab(short.en if lang == "en" else short.zh)
        name, n = base, 1
        while name.lower() in {t.lower() for t in taken}:
            n += 1
            name = f"{base[:28]} {n}"
        taken.add(name)
        names[checklist.id] = name
    return names


def is_grid(item: AnyItem) -> bool:
    """Whether the item is answered on a sheet of its own, cell by cell (a matrix or a grid of numbers)."""
    return isinstance(item, MatrixItem | GridItem)


def grid_sheets(checklists: Sequence[Checklist]) -> list[tuple[Checklist, GridLike]]:
    return [(c, item) for c in checklists for _, item in c.items() if isinstance(item, MatrixItem | GridItem)]


def grid_headings(item: GridLike, lang: Lang) -> list[str]:
    """The column headings of a grid sheet: row id, row label, one per column (with its unit), N/A for a grid."""
    out = ["ID", heading(item.row_header or ROW_HEADER, lang)]
    for column in item.columns:
        label = heading(column.label, lang)
        unit = getattr(column, "unit", None)
        out.append(f"{label}（{text(unit, lang)}）" if unit is not None else label)
    if isinstance(item, GridItem):
        out.append(heading(ROW_NA, lang))
    return out


def sheet_order(checklists: Sequence[Checklist], lang: Lang) -> list[str]:
    """Every tab of the workbook in order, hidden ones last."""
    tabs = checklist_sheets(checklists, lang)
    return [tab(COVER, lang), *(tabs[c.id] for c in checklists),
            *(item.id for _, item in grid_sheets(checklists)), tab(EVIDENCE, lang), META_SHEET, LISTS_SHEET]


@dataclass(frozen=True)
class Choice:
    """One entry of a drop-down: the value stored in the assessment and the text shown."""

    value: str | int
    shown: str


def _entries(pairs: Sequence[tuple[str | int, Text]], lang: Lang, with_value: bool) -> list[Choice]:
    shown = [text(label, lang) for _, label in pairs]
    if not with_value and len(set(shown)) == len(shown):
        return [Choice(value, s) for (value, _), s in zip(pairs, shown, strict=True)]
    return [Choice(value, f"{value} {s}") for (value, _), s in zip(pairs, shown, strict=True)]


def item_choices(item: AnyItem, lang: Lang) -> list[Choice] | None:
    """The drop-down of an item's answer cell; None for a number (and a matrix, answered cell by cell)."""
    if isinstance(item, YesNoItem):
        return _entries(list(YES_NO.items()), lang, False)
    if isinstance(item, ScaleItem):
        return _entries([(level.value, level.label) for level in item.levels], lang, True)
    if isinstance(item, ChoiceItem):
        return _entries([(option.value, option.label) for option in item.options], lang, False)
    return None


def cell_choices(lang: Lang) -> list[Choice]:
    return _entries(list(CELL.items()), lang, False)


def row_na_choices(lang: Lang) -> list[Choice]:
    return _entries([("na", CELL["na"])], lang, False)


def evidence_choices(lang: Lang) -> list[Choice]:
    return _entries(list(EVIDENCE_KINDS.items()), lang, False)


def level_choices(lang: Lang) -> list[Choice]:
    return _entries(list(LEVELS.items()), lang, False)


def labels_of(item: AnyItem) -> list[tuple[str | int, Text]]:
    """Every (value, label) pair an answer may be typed as, for reading labels back."""
    if isinstance(item, YesNoItem):
        return list(YES_NO.items())
    if isinstance(item, ScaleItem):
        return [(level.value, level.label) for level in item.levels]
    if isinstance(item, ChoiceItem):
        return [(option.value, option.label) for option in item.options]
    return []


__all__ = [
    "ASSESSOR_COLUMNS",
    "ASSESSOR_ROWS",
    "CELL",
    "COLUMN_INDEX",
    "COVER",
    "COVER_FIELDS",
    "COVER_FIRST_ROW",
    "EVIDENCE",
    "EVIDENCE_COLUMNS",
    "EVIDENCE_KINDS",
    "EVIDENCE_ROWS",
    "FIRST_ROW",
    "FORMAT",
    "FORMAT_VERSION",
    "HEADER_ROW",
    "ITEM_COLUMNS",
    "LEVELS",
    "LISTS_SHEET",
    "ROW_HEADER",
    "ROW_NA",
    "GridLike",
    "META_SHEET",
    "TITLE_ROW",
    "YES_NO",
    "Choice",
    "Column",
    "CoverField",
    "assessor_header_row",
    "cover_fields",
    "cell_choices",
    "checklist_sheets",
    "evidence_choices",
    "grid_headings",
    "grid_sheets",
    "heading",
    "is_grid",
    "item_choices",
    "labels_of",
    "level_choices",
    "row_na_choices",
    "sheet_order",
    "tab",
    "text",
]
