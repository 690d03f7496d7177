"""Year-to-year comparison: deltas of comparable scores, items that got worse, red lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ssdocs.history.crosswalk import Mapping, map_items
from ssdocs.history.loading import History, YearEntry
from ssdocs.models.base import Text
from ssdocs.models.checklist import Checklist, Section
from ssdocs.models.results import ChecklistResult, ItemResult
from ssdocs.scoring.aggregate import score_checklist, weighted_mean

Basis = Literal["same", "comparable-items", "none"]


@dataclass(frozen=True)
class ScoreChange:
    """A score (overall, checklist or section) this year against the previous year.

    `basis` says what the delta compares: "same" (the scores shown, same checklist versions),
    "comparable-items" (both years re-computed, each with its own checklist version, on the
    items they share), or "none" (nothing comparable; `delta` is None and `reason` says why).
    """

    key: str  # "overall", a checklist id, or "<checklist>/<section>"
    name: Text
    previous: float | None
    current: float | None
    delta: float | None
    basis: Basis
    previous_grade: str | None = None
    grade: str | None = None
    reason: Text | None = None
    items: int = 0  # how many comparable items the delta rests on


@dataclass(frozen=True)
class ItemChange:
    """One item this year against its counterpart last year (0-100 scores)."""

    id: str
    previous_id: str | None
    checklist: str
    section: str
    previous_status: str | None
    status: str | None
    previous_score: float | None
    score: float | None
    delta: float | None
    comparable: bool
    reason: Text | None = None
    waiver_expired: bool = False  # this year's answer has a waiver that expired before the assessment

    @property
    def got_worse(self) -> bool:
        """Its score fell; or it was excused last year (waived, N/A) and now counts and falls
        short: a waiver that expired, an N/A no longer claimed. Its score alone cannot say so,
        since an excused item has none."""
        if not self.comparable:
            return False
        if self.delta is not None:
            return self.delta < 0
        return self.previous_status in EXCUSED and self.status in SHORT

    @property
    def fall(self) -> float:
        """How far it fell (negative): the delta, or for a newly counted item what it now lacks."""
        if self.delta is not None:
            return self.delta
        return -(100.0 - (self.score or 0.0))


EXCUSED = frozenset({"waived", "na", "context"})  # out of the denominator
SHORT = frozenset({"partial", "unmet", "missing"})  # counted, and short of met


@dataclass(frozen=True)
class YearComparison:
    """Everything that changed between two scored years of one jurisdiction."""

    jurisdiction: str
    name: Text
    previous_year: int
    year: int
    overall: ScoreChange
    checklists: list[ScoreChange]
    sections: list[ScoreChange]
    items: list[ItemChange]  # every item of this year (and items gone since last year)
    red_lines_new: list[str]
    red_lines_fixed: list[str]
    rescored: bool = False
    versions: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)

    @property
    def worse(self) -> list[ItemChange]:
        """Comparable items that got worse (`ItemChange.got_worse`), biggest fall first."""
        return sorted((i for i in self.items if i.got_worse), key=lambda i: (i.fall, i.id))

    @property
    def better(self) -> list[ItemChange]:
        return sorted((i for i in self.items if i.delta is not None and i.delta > 0),
                      key=lambda i: (-(i.delta or 0), i.id))

    @property
    def not_comparable(self) -> list[ItemChange]:
        return [i for i in self.items if not i.comparable]


def compare_years(previous: YearEntry, current: YearEntry) -> YearComparison:
    """Compare two years; never re-rates the previous year with this year's checklist."""
    prev_by_id = {c.id: c for c in previous.checklists}
    prev_results = {r.id: r for r in previous.result.checklists}
    checklists: list[ScoreChange] = []
    sections: list[ScoreChange] = []
    items: list[ItemChange] = []
    lfl_prev: list[tuple[float, float | None]] = []
    lfl_cur: list[tuple[float, float | None]] = []
    all_same = {c.id: c.version for c in previous.checklists} == {c.id: c.version for c in current.checklists}
    redline_map: dict[str, str] = {}
    versions: dict[str, tuple[str | None, str | None]] = {}
    for checklist, result in zip(current.checklists, current.result.checklists, strict=True):
        old = prev_by_id.get(checklist.id)
        versions[checklist.id] = (old.version if old else None, checklist.version)
        if old is None:
            why = Text(zh=f"{previous.result.year} 年未评估此检查表",
                       en=f"not assessed in {previous.result.year}")
            checklists.append(ScoreChange(checklist.id, checklist.title, None, result.score, None, "none",
                                          None, result.grade, why))
            sections += [ScoreChange(f"{checklist.id}/{s.id}", s.title, None, s.score, None, "none",
                                     None, s.grade, why) for s in result.sections]
            items += [_item(i, None, None, False, why) for s in result.sections for i in s.items]
            continue
        mapping = map_items(old, checklist)
        redline_map.update({cur: prv for cur, prv in mapping.comparable_pairs().items()})
        change, section_changes, item_changes, pair = _compare_checklist(
            old, prev_results[checklist.id], previous, checklist, result, current, mapping)
        checklists.append(change)
        sections += section_changes
        items += item_changes
        lfl_prev.append((old.weight, pair[0]))
        lfl_cur.append((checklist.weight, pair[1]))
    current_ids = {c.id for c in current.checklists}
    for old in previous.checklists:
        if old.id not in current_ids:
            versions[old.id] = (old.version, None)
            why = Text(zh=f"{current.result.year} 年未评估此检查表", en=f"not assessed in {current.result.year}")
            res = prev_results[old.id]
            checklists.append(ScoreChange(old.id, old.title, res.score, None, None, "none", res.grade, None, why))
    overall = _overall(previous, current, all_same, lfl_prev, lfl_cur, sum(c.items for c in checklists))
    prev_fail = set(previous.result.critical_failures)
    cur_fail = set(current.result.critical_failures)
    new = [i for i in current.result.critical_failures if redline_map.get(i, i) not in prev_fail]
    mapped_cur = {redline_map.get(i, i) for i in cur_fail}
    back = {prv: cur for cur, prv in redline_map.items()}
    fixed = [back.get(i, i) for i in previous.result.critical_failures
             if i not in mapped_cur and (i in back or i in {x.id for x in current.result.items()})]
    return YearComparison(
        jurisdiction=current.result.jurisdiction,
        name=current.result.jurisdiction_name,
        previous_year=previous.result.year,
        year=current.result.year,
        overall=overall,
        checklists=checklists,
        sections=sections,
        items=items,
        red_lines_new=new,
        red_lines_fixed=fixed,
        rescored=previous.rescored or current.rescored,
        versions=versions,
    )


def compare_history(history: History) -> list[YearComparison]:
    """Each year against the year before it (the first year has no comparison)."""
    return [compare_years(a, b) for a, b in zip(history.entries, history.entries[1:], strict=False)]


def _overall(previous: YearEntry, current: YearEntry, all_same: bool,
             lfl_prev: list[tuple[float, float | None]], lfl_cur: list[tuple[float, float | None]],
             n_items: int) -> ScoreChange:
    prev, cur = previous.result, current.result
    name = Text(zh="总分", en="Overall")
    if all_same:
        return ScoreChange("overall", name, prev.score, cur.score, _delta(prev.score, cur.score), "same",
                           prev.grade, cur.grade, None, n_items)
    a, b = _round(weighted_mean(lfl_prev)), _round(weighted_mean(lfl_cur))
    if a is None or b is None:
        return ScoreChange("overall", name, prev.score, cur.score, None, "none", prev.grade, cur.grade,
                           Text(zh="两年没有可比的检查项", en="the two years share no comparable items"))
    return ScoreChange("overall", name, a, b, _delta(a, b), "comparable-items", prev.grade, cur.grade,
                       Text(zh=f"检查表版本不同：仅比较两年共有的 {n_items} 个可比检查项",
                            en=f"checklist versions differ: compared on {_items(n_items)} only"),
                       n_items)


def _compare_checklist(
    old: Checklist, old_result: ChecklistResult, previous: YearEntry,
    new: Checklist, new_result: ChecklistResult, current: YearEntry, mapping: Mapping,
) -> tuple[ScoreChange, list[ScoreChange], list[ItemChange], tuple[float | None, float | None]]:
    prev_items = {i.id: i for s in old_result.sections for i in s.items}
    pairs = mapping.comparable_pairs()
    items: list[ItemChange] = []
    for section in new_result.sections:
        for item in section.items:
            link = mapping.links[item.id]
            before = prev_items.get(link.previous_id) if link.previous_id else None
            items.append(_item(item, before, link.previous_id, link.comparable, link.reason))
    for gone_id, why in mapping.gone.items():
        before = prev_items[gone_id]
        items.append(ItemChange(gone_id, gone_id, old.id, before.section, before.status, None,
                                _pct(before.score), None, None, False, why))
    same = old.version == new.version
    if same:
        restricted_old, restricted_new = old_result, new_result
    else:
        restricted_old = score_checklist(_restrict(old, set(pairs.values())), previous.assessment)
        restricted_new = score_checklist(_restrict(new, set(pairs)), current.assessment)
    n = len(pairs)
    why_version = Text(zh=f"版本 {old.version} → {new.version}：仅比较 {n} 个可比检查项",
                       en=f"version {old.version} -> {new.version}: compared on {_items(n)} only")
    change = _change(new.id, new.title, old_result.score, new_result.score, old_result.grade,
                     new_result.grade, same, restricted_old.score if n else None,
                     restricted_new.score if n else None, why_version, n)
    old_sections = {s.id: s for s in old_result.sections}
    r_old = {s.id: s for s in restricted_old.sections}
    r_new = {s.id: s for s in restricted_new.sections}
    old_section_items = {s.id: {i.id for i in s.items} for s in old.sections}
    sections: list[ScoreChange] = []
    for sec, sec_result in zip(new.sections, new_result.sections, strict=True):
        key = f"{new.id}/{sec.id}"
        prev_sec = old_sections.get(sec.id)
        if prev_sec is None:
            sections.append(ScoreChange(key, sec.title, None, sec_result.score, None, "none", None,
                                        sec_result.grade, Text(zh=f"{old.version} 版无此部分",
                                                           en=f"not in version {old.version}")))
            continue
        mapped = {pairs.get(i.id) for i in sec.items}
        intact = same or mapped == old_section_items.get(sec.id)
        shared = sum(1 for i in sec.items if i.id in pairs and pairs[i.id] in old_section_items[sec.id])
        why = Text(zh=f"本部分检查项有变动：仅比较 {shared} 个可比检查项",
                   en=f"items changed: compared on {_items(shared)} only")
        a = r_old[sec.id].score if sec.id in r_old and shared else None
        b = r_new[sec.id].score if sec.id in r_new and shared else None
        sections.append(_change(key, sec.title, prev_sec.score, sec_result.score, prev_sec.grade, sec_result.grade,
                                intact, a, b, why, shared))
    pair = (restricted_old.score if n else None, restricted_new.score if n else None)
    return change, sections, items, pair


def _change(key: str, name: Text, previous: float | None, current: float | None, prev_grade: str | None,
            grade: str | None, intact: bool, lfl_prev: float | None, lfl_cur: float | None,
            why: Text, n: int) -> ScoreChange:
    if intact:
        return ScoreChange(key, name, previous, current, _delta(previous, current), "same", prev_grade, grade,
                           None, n)
    if lfl_prev is None or lfl_cur is None:
        return ScoreChange(key, name, previous, current, None, "none", prev_grade, grade,
                           Text(zh="没有可比的检查项", en="no comparable items"), 0)
    return ScoreChange(key, name, lfl_prev, lfl_cur, _delta(lfl_prev, lfl_cur), "comparable-items",
                       prev_grade, grade, why, n)


def _restrict(checklist: Checklist, keep: set[str | None]) -> Checklist:
    """The checklist with only the `keep` items (empty sections left out); its own rules unchanged."""
    sections: list[Section] = []
    for section in checklist.sections:
        items = [i for i in section.items if i.id in keep]
        if items:
            sections.append(section.model_copy(update={"items": items}))
    return checklist.model_copy(update={"sections": sections or checklist.sections[:0]})


def _item(now: ItemResult, before: ItemResult | None, previous_id: str | None, comparable: bool,
          reason: Text | None) -> ItemChange:
    prev_score = _pct(before.score) if before else None
    score = _pct(now.score)
    delta = _delta(prev_score, score) if comparable else None
    return ItemChange(now.id, previous_id, now.checklist, now.section, before.status if before else None,
                      now.status, prev_score, score, delta, comparable, reason,
                      waiver_expired=now.waiver_expired)


def _items(n: int) -> str:
    return f"{n} comparable item{'s' if n != 1 else ''}"


def _pct(score: float | None) -> float | None:
    return None if score is None else round(100 * score, 1)


def _delta(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(b - a, 1)


def _round(score: float | None) -> float | None:
    return None if score is None else round(score, 1)
