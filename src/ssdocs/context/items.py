"""How one item reads in a report: its answer in words, status, evidence, and the Fig. 5 matrix view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from ssdocs.context.basis import BasisView, basis_views
from ssdocs.context.labels import LABELS, STATUS, YES_NO
from ssdocs.models.assessment import Answer, Evidence, Waiver
from ssdocs.models.base import Text
from ssdocs.models.checklist import (
    AnyItem,
    Checklist,
    ChoiceItem,
    GridItem,
    MatrixItem,
    NumberItem,
    ScaleItem,
    Section,
    Source,
    YesNoItem,
)
from ssdocs.models.registers import BasisRegister
from ssdocs.models.results import ItemResult

FIG5_TAG = "fig5-matrix"


@dataclass(frozen=True)
class ItemView:
    """One item with its answer and score, as findings and the answer annex show it."""

    id: str
    checklist_id: str
    checklist_title: Text
    section_id: str
    section_title: Text
    question: Text
    type: str
    status: str
    status_label: Text
    answer: Text
    score: float | None  # 0-100, None when not counted
    weight: float
    impact: float
    critical: bool
    critical_failed: bool
    evidence_required: bool
    recommendation: Text
    source: Source  # the first of `sources`
    note: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    na_reason: str | None = None
    owner: str | None = None
    due: dt.date | None = None
    waiver: Waiver | None = None
    waiver_expired: bool = False
    sources: list[Source] = field(default_factory=list)
    context: bool = False  # a context item: shown with its answer, never scored
    basis: list[BasisView] = field(default_factory=list)
    paper_only: bool = False

    priority: str = ""  # red_line / high / medium / low, set on findings (see `prioritise`)

    @property
    def priority_label(self) -> Text:
        return LABELS[self.priority] if self.priority else Text(zh="—", en="—")

    @property
    def is_finding(self) -> bool:
        return self.status in ("partial", "unmet", "missing")


def prioritise(findings: list[ItemView]) -> list[ItemView]:
    """Order findings by impact (red lines first, then weight × shortfall) and label each priority.

    Priority follows the order: red line, then high (impact ≥ ⅔ of the largest), medium (≥ ⅓), low.
    """
    ordered = sorted(findings, key=lambda i: (not i.critical_failed, -i.impact))
    top = max((i.impact for i in ordered if not i.critical_failed), default=0.0)

    def level(item: ItemView) -> str:
        if item.critical_failed:
            return "red_line"
        if top > 0 and item.impact >= top * 2 / 3:
            return "high"
        return "medium" if top > 0 and item.impact >= top / 3 else "low"

    return [replace(i, priority=level(i)) for i in ordered]


def item_view(checklist: Checklist, section: Section, item: AnyItem, result: ItemResult,
              answer: Answer | None, register: BasisRegister | None = None) -> ItemView:
    """The reader's view of one scored item."""
    return ItemView(
        id=item.id,
        checklist_id=checklist.id,
        checklist_title=checklist.title,
        section_id=section.id,
        section_title=section.title,
        question=item.question,
        type=item.type,
        status=result.status,
        status_label=STATUS[result.status],
        answer=answer_text(item, result, answer),
        score=None if result.score is None else round(100 * result.score, 1),
        weight=item.weight,
        impact=round(result.impact, 3),
        critical=item.critical,
        critical_failed=result.critical_failed,
        evidence_required=item.evidence_required,
        recommendation=item.recommendation,
        source=item.sources[0],
        sources=item.sources,
        context=item.context,
        basis=basis_views(item, register),
        paper_only=item.paper_only,
        note=answer.note if answer else None,
        evidence=list(answer.evidence) if answer else [],
        na_reason=answer.na if answer else None,
        owner=answer.owner if answer else None,
        due=answer.due if answer else None,
        waiver=answer.waiver if answer else None,
        waiver_expired=result.waiver_expired,
    )


def answer_text(item: AnyItem, result: ItemResult, answer: Answer | None) -> Text:
    """The answer in words: 部分 / Partly, a scale level's label, a number with unit and band."""
    if answer is not None and answer.na is not None:
        return Text(zh=f"不适用：{answer.na}", en=f"N/A: {answer.na}")
    if answer is None or answer.value is None:
        if answer is not None and answer.waiver is not None and not result.waiver_expired:
            return STATUS["waived"]
        return Text(zh="（未答）", en="(no answer)")
    value = answer.value
    if isinstance(item, YesNoItem):
        return YES_NO.get(str(value), Text(zh=str(value), en=str(value)))
    if isinstance(item, ScaleItem):
        level = next((lv for lv in item.levels if str(lv.value) == str(value)), None)
        if level is not None:
            return Text(zh=f"{level.value}（{level.label.zh}）", en=f"{level.value} ({level.label.en})")
    if isinstance(item, ChoiceItem):
        option = item.option(str(value))
        if option is not None:
            return option.label
    if isinstance(item, NumberItem) and isinstance(value, (int, float)):
        band = item.band_for(float(value))
        zh = f"{value:g} {item.unit.zh}".strip()
        en = f"{value:g} {item.unit.en}".strip()
        if band is not None:
            zh, en = f"{zh}（{band.label.zh}）", f"{en} ({band.label.en})"
        return Text(zh=zh, en=en)
    if isinstance(item, MatrixItem):
        return Text(zh=f"{result.display} 格达标", en=f"{result.display} cells met")
    if isinstance(item, GridItem):
        return grid_answer_text(item, value)
    return Text(zh=str(value), en=str(value))


def grid_answer_text(item: GridItem, value: object) -> Text:
    """How many rows were scored, and the mean band, in words."""
    from ssdocs.scoring.grid import grid_rows

    rows = grid_rows(item, value)
    scored = [r for r in rows if r.scored]
    na = sum(r.na for r in rows)
    if not scored:
        return Text(zh="无可核查事项（不计分）", en="nothing to check (not scored)")
    return Text(zh=f"{len(rows)} 行：{len(scored)} 行计分，{na} 行不适用",
                en=f"{len(rows)} rows: {len(scored)} scored, {na} N/A")


@dataclass(frozen=True)
class MatrixRowView:
    label: Text
    cells: list[str]  # one of yes / no / na / missing per column


@dataclass(frozen=True)
class MatrixGroupView:
    label: Text | None
    rows: list[MatrixRowView]


@dataclass(frozen=True)
class MatrixView:
    """A matrix item redrawn: columns, rows grouped by responsibility type, a status per cell."""

    item_id: str
    question: Text
    is_fig5: bool
    row_header: Text
    columns: list[Text]
    groups: list[MatrixGroupView]
    status_label: Text
    answer: Text
    counts: dict[str, int]


CELL_STATES = ("yes", "no", "na", "missing")
ROW_HEADER = Text(zh="事项", en="Item")


def matrix_view(item: MatrixItem, result: ItemResult, answer: Answer | None, view: ItemView) -> MatrixView:
    """Every cell's state: an answered yes/no/na, or missing (counted as not met by the scorer)."""
    cells_of: dict[str, dict[str, str]] = {}
    if answer is not None and isinstance(answer.value, dict):
        cells_of = {row: {c: str(v) for c, v in cells.items()} for row, cells in answer.value.items()
                    if isinstance(cells, dict)}
    whole_na = answer is not None and answer.na is not None
    counts = dict.fromkeys(CELL_STATES, 0)

    def row_view(row_id: str, label: Text) -> MatrixRowView:
        states = []
        for column in item.columns:
            state = "na" if whole_na else cells_of.get(row_id, {}).get(column.id, "missing")
            state = state if state in CELL_STATES else "missing"
            counts[state] += 1
            states.append(state)
        return MatrixRowView(label, states)

    groups: list[MatrixGroupView] = []
    for group in item.groups:
        rows = [row_view(r.id, r.label) for r in item.rows if r.group == group.id]
        if rows:
            groups.append(MatrixGroupView(group.label, rows))
    loose = [row_view(r.id, r.label) for r in item.rows if r.group is None]
    if loose:
        groups.append(MatrixGroupView(None, loose))
    return MatrixView(
        item_id=item.id,
        question=item.question,
        is_fig5=FIG5_TAG in item.tags,
        row_header=item.row_header or ROW_HEADER,
        columns=[c.label for c in item.columns],
        groups=groups,
        status_label=view.status_label,
        answer=view.answer,
        counts=counts,
    )
