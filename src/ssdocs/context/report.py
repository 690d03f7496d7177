"""The report's typed context: everything the report template shows, computed once, in order.

Built from the assessment, the checklist versions it names, its scored result and (optionally)
the jurisdiction's history; no templates, no HTML. The only read is the shipped register of legal
instruments (basis.yaml, read once) when the caller passes no register.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ssdocs.context.grid import GridView, grid_view
from ssdocs.context.items import (
    FIG5_TAG,
    ItemView,
    MatrixView,
    item_view,
    matrix_view,
    prioritise,
)
from ssdocs.context.labels import LABELS, LEVELS, REPORT_TITLE
from ssdocs.history import History, Series, series_of
from ssdocs.history.compare import compare_years
from ssdocs.loading.registers import shipped_register
from ssdocs.models.assessment import Assessment
from ssdocs.models.base import Text
from ssdocs.models.checklist import DEFAULT_GRADES, Checklist, Grade, GridItem, MatrixItem
from ssdocs.models.registers import BasisRegister
from ssdocs.models.results import AssessmentResult, ChecklistResult, Counts
from ssdocs.scoring.aggregate import label_of

# Below this completeness (percent of items answered) a report is a draft: marked 草稿 / DRAFT on
# every page. Callers (the CLI's --draft-below, the library's draft_below=) may choose another.
DRAFT_BELOW = 90.0


@dataclass(frozen=True)
class AreaScore:
    """A section (or checklist) with its score, for the summary, the table and the charts."""

    checklist_id: str
    id: str
    title: Text
    score: float | None
    grade: Text | None
    weight: float
    counts: Counts
    is_checklist: bool = False
    version: str = ""
    grade_id: str | None = None


@dataclass(frozen=True)
class ChecklistChange:
    title: Text
    previous: float | None
    current: float | None
    note: Text | None = None  # set when the two years answer different versions: compared on what
    id: str = ""

    @property
    def delta(self) -> float | None:
        if self.previous is None or self.current is None:
            return None
        return round(self.current - self.previous, 1)


@dataclass(frozen=True)
class Change:
    """This year against the latest earlier year of the same jurisdiction."""

    previous_year: int
    previous_score: float | None
    previous_grade: Text | None
    current_score: float | None
    checklists: list[ChecklistChange]
    new_red_lines: list[str]
    resolved_red_lines: list[str]
    note: Text | None = None  # the checklist versions differ: both years scored on comparable items only

    @property
    def delta(self) -> float | None:
        if self.previous_score is None or self.current_score is None:
            return None
        return round(self.current_score - self.previous_score, 1)


@dataclass(frozen=True)
class Summary:
    strongest: list[AreaScore]
    weakest: list[AreaScore]
    red_lines: list[ItemView]
    change: Change | None
    capped_at: Text | None  # the grade a failed red line capped the overall grade at


@dataclass(frozen=True)
class MethodView:
    """How one checklist scores: enough for a reader to recompute every number."""

    id: str
    version: str
    title: Text
    weight: float
    partial_credit: float
    critical_fail_below: float
    critical_cap: Text
    grades: list[Grade]
    sections: list[AreaScore]
    aggregations: dict[str, str]


@dataclass(frozen=True)
class ReportContext:
    """What the report shows, in reading order; `lang` is zh, en or both."""

    lang: str
    title: Text
    assessment: Assessment
    result: AssessmentResult
    level: Text
    grade: Text | None
    checklists: list[AreaScore]
    summary: Summary
    table: list[AreaScore]
    sections: list[AreaScore]
    matrices: list[MatrixView]
    findings: list[ItemView]
    items: list[ItemView]
    waivers: list[ItemView]
    methods: list[MethodView]
    overall_grades: list[Grade]
    trend: list[Series] = field(default_factory=list)
    labels: dict[str, Text] = field(default_factory=lambda: dict(LABELS))
    grids: list[GridView] = field(default_factory=list)
    draft_below: float = DRAFT_BELOW

    @property
    def draft(self) -> bool:
        """True when too few items are answered for the report to be read as final."""
        return self.result.completeness < self.draft_below

    @property
    def running_header(self) -> Text:
        name = self.assessment.jurisdiction.name
        return Text(zh=f"{name.zh} · {self.assessment.year}", en=f"{name.en} · {self.assessment.year}")

    @property
    def fig5(self) -> MatrixView | None:
        """The paper's Fig. 5 matrix (the item tagged fig5-matrix), if the assessment has it."""
        return next((m for m in self.matrices if m.is_fig5), None)

    def matrix_of(self, item_id: str) -> MatrixView | None:
        return next((m for m in self.matrices if m.item_id == item_id), None)

    def grid_of(self, item_id: str) -> GridView | None:
        return next((g for g in self.grids if g.item_id == item_id), None)

    def items_of(self, checklist_id: str, section_id: str) -> list[ItemView]:
        return [i for i in self.items if i.checklist_id == checklist_id and i.section_id == section_id]


def build_report_context(
    assessment: Assessment,
    checklists: list[Checklist],
    result: AssessmentResult,
    history: History | None = None,
    lang: str = "zh",
    register: BasisRegister | None = None,
    draft_below: float = DRAFT_BELOW,
) -> ReportContext:
    """Assemble the report context; `history` (other years of the same jurisdiction) is optional.

    `register` names the instruments items cite as their basis (default: the shipped basis.yaml).
    Below `draft_below` percent completeness the report is marked as a draft.
    """
    items, matrices, grids = _items(assessment, checklists, result, register or shipped_register())
    table, sections, checklist_rows = _table(checklists, result)
    findings = prioritise([i for i in items if i.is_finding])
    matrices.sort(key=lambda m: not m.is_fig5)
    trend: list[Series] = []
    if history is not None and len(history.results) >= 2:
        trend = series_of(history)
    return ReportContext(
        lang=lang,
        title=REPORT_TITLE,
        assessment=assessment,
        result=result,
        level=LEVELS[assessment.jurisdiction.level],
        grade=result.grade_label,
        checklists=checklist_rows,
        summary=_summary(result, items, sections, history, _failing_grades(checklists)),
        table=table,
        sections=sections,
        matrices=matrices,
        findings=findings,
        items=items,
        waivers=[i for i in items if i.waiver is not None],
        methods=[_method(c, table) for c in checklists],
        overall_grades=list(DEFAULT_GRADES),
        trend=trend,
        grids=grids,
        draft_below=draft_below,
    )


def _items(assessment: Assessment, checklists: list[Checklist], result: AssessmentResult,
           register: BasisRegister | None) -> tuple[list[ItemView], list[MatrixView], list[GridView]]:
    results = {(r.checklist, r.id): r for r in result.items()}
    views: list[ItemView] = []
    matrices: list[MatrixView] = []
    grids: list[GridView] = []
    for checklist in checklists:
        for section, item in checklist.items():
            scored = results[(checklist.id, item.id)]
            answer = assessment.answers.get(item.id)
            view = item_view(checklist, section, item, scored, answer, register)
            views.append(view)
            if isinstance(item, MatrixItem):
                matrices.append(matrix_view(item, scored, answer, view))
            elif isinstance(item, GridItem):
                grids.append(grid_view(item, scored, answer))
    return views, matrices, grids


def _table(checklists: list[Checklist],
           result: AssessmentResult) -> tuple[list[AreaScore], list[AreaScore], list[AreaScore]]:
    table: list[AreaScore] = []
    sections: list[AreaScore] = []
    rows: list[AreaScore] = []
    for checklist, scored in zip(checklists, result.checklists, strict=True):
        row = AreaScore(checklist.id, checklist.id, checklist.title, scored.score,
                        scored.grade_label, checklist.weight, scored.counts,
                        is_checklist=True, version=checklist.version, grade_id=scored.grade)
        table.append(row)
        rows.append(row)
        for section in scored.sections:
            area = AreaScore(checklist.id, section.id, section.title, section.score,
                             section.grade_label, section.weight, section.counts,
                             grade_id=section.grade)
            table.append(area)
            sections.append(area)
    return table, sections, rows


def _summary(result: AssessmentResult, items: list[ItemView], sections: list[AreaScore],
             history: History | None, failing: set[str]) -> Summary:
    scored = [s for s in sections if s.score is not None]
    # Ties broken by reading order so the summary is stable.
    order = {id(s): n for n, s in enumerate(scored)}
    weakest = sorted(scored, key=lambda s: ((s.score or 0), order[id(s)]))[:3]
    # A strength is an area that passes: a failing area (or one of the weakest) is never listed
    # as one, even when few areas could be scored.
    passing = [s for s in scored if s.grade_id not in failing and s not in weakest]
    strongest = sorted(passing, key=lambda s: (-(s.score or 0), order[id(s)]))[:3]
    capped_at = None
    if result.grade != result.uncapped_grade:
        capped_at = result.grade_label
    previous = history.previous(result.year) if history is not None else None
    change = _change(previous, result) if previous is not None else None
    if change is not None and history is not None:
        change = _across_versions(change, history, result.year)
    return Summary(
        strongest=strongest,
        weakest=weakest,
        red_lines=[i for i in items if i.critical_failed],
        change=change,
        capped_at=capped_at,
    )


def _failing_grades(checklists: list[Checklist]) -> set[str]:
    """The id of each checklist's lowest grade (the one that means 'failed')."""
    grades = {min(c.scoring.grades, key=lambda g: g.min).id for c in checklists}
    return grades or {DEFAULT_GRADES[-1].id}


def _change(previous: AssessmentResult, current: AssessmentResult) -> Change:
    before: dict[str, ChecklistResult] = {c.id: c for c in previous.checklists}
    changes = [
        ChecklistChange(c.title, before[c.id].score if c.id in before else None, c.score, id=c.id)
        for c in current.checklists
    ]
    old, new = set(previous.critical_failures), set(current.critical_failures)
    return Change(
        previous_year=previous.year,
        previous_score=previous.score,
        previous_grade=previous.grade_label,
        current_score=current.score,
        checklists=changes,
        new_red_lines=[i for i in current.critical_failures if i not in old],
        resolved_red_lines=[i for i in previous.critical_failures if i not in new],
    )


def _across_versions(change: Change, history: History, year: int) -> Change:
    """When the two years answer different checklist versions, compare them on comparable items only
    (each year scored by its own version's rules, on the items the crosswalk links), and say so."""
    before, now = history.previous_entry(year), history.entry(year)
    if before is None or now is None:
        return change
    comparison = compare_years(before, now)
    if comparison.overall.basis == "same":
        return change
    by_id = {c.key: c for c in comparison.checklists}
    checklists = []
    for row in change.checklists:
        found = by_id.get(row.id)
        if found is None or found.basis == "same":
            checklists.append(row)
        else:
            checklists.append(ChecklistChange(row.title, found.previous, found.current, found.reason, row.id))
    overall = comparison.overall
    note = overall.reason
    if note is not None and now.result.score is not None:
        # The comparable-items score is not the year's score: say which one the cover shows.
        published = f"{now.result.score:.1f}"
        note = Text(zh=f"{note.zh}；本年度按全部条目计的总分为 {published}（见封面）",
                    en=f"{note.en}; this year's score on all items is {published} (as on the cover)")
    return replace(change, previous_score=overall.previous, current_score=overall.current,
                   checklists=checklists, new_red_lines=comparison.red_lines_new,
                   resolved_red_lines=comparison.red_lines_fixed, note=note)


def _method(checklist: Checklist, table: list[AreaScore]) -> MethodView:
    scoring = checklist.scoring
    cap = label_of(scoring.grades, scoring.critical_cap) or Text(zh=scoring.critical_cap,
                                                                    en=scoring.critical_cap)
    return MethodView(
        id=checklist.id,
        version=checklist.version,
        title=checklist.title,
        weight=checklist.weight,
        partial_credit=scoring.partial_credit,
        critical_fail_below=scoring.critical_fail_below,
        critical_cap=cap,
        grades=list(scoring.grades),
        sections=[a for a in table if a.checklist_id == checklist.id and not a.is_checklist],
        aggregations={s.id: s.aggregation for s in checklist.sections},
    )


__all__ = ["DRAFT_BELOW", "FIG5_TAG", "AreaScore", "Change", "ReportContext", "Summary", "build_report_context"]
