"""Year-to-year comparison: deltas of comparable scores, items that got worse, red lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from ssdocs.history.crosswalk import Mapping, map_items
from ssdocs.history.loading import History, YearEntry
from ssdocs.history.series import OVERALL
from ssdocs.models.base import Text
from ssdocs.models.checklist import Checklist, Section
from ssdocs.models.results import ChecklistResult, ItemResult
from ssdocs.scoring.aggregate import score_checklist, weighted_mean

Basis = Literal["same", "comparable-items", "none"]


@dataclass(frozen=True, kw_only=True)
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


@dataclass(frozen=True, kw_only=True)
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


@dataclass(frozen=True, kw_only=True)
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
    previous_checklists = {c.id: c for c in previous.checklists}
    previous_results = {r.id: r for r in previous.result.checklists}
    checklists: list[ScoreChange] = []
    sections: list[ScoreChange] = []
    items: list[ItemChange] = []
    # Each checklist's weight and its score on the items both years share, for the overall score
    # when versions differ.
    shared_previous: list[tuple[float, float | None]] = []
    shared_current: list[tuple[float, float | None]] = []
    same_versions = ({c.id: c.version for c in previous.checklists}
                     == {c.id: c.version for c in current.checklists})
    red_line_before: dict[str, str] = {}  # this year's item id -> its counterpart's last year
    versions: dict[str, tuple[str | None, str | None]] = {}
    for checklist, result in zip(current.checklists, current.result.checklists, strict=True):
        old = previous_checklists.get(checklist.id)
        versions[checklist.id] = (old.version if old else None, checklist.version)
        if old is None:
            why = Text(zh=f"{previous.result.year} 年未评估此检查表",
                       en=f"not assessed in {previous.result.year}")
            checklists.append(ScoreChange(key=checklist.id, name=checklist.title, previous=None,
                                          current=result.score, delta=None, basis="none", grade=result.grade,
                                          reason=why))
            sections += [ScoreChange(key=f"{checklist.id}/{s.id}", name=s.title, previous=None, current=s.score,
                                     delta=None, basis="none", grade=s.grade, reason=why)
                         for s in result.sections]
            items += [_item(i, None, previous_id=None, comparable=False, reason=why)
                      for s in result.sections for i in s.items]
            continue
        mapping = map_items(old, checklist)
        red_line_before.update(mapping.comparable_pairs())
        compared = _compare_checklist(_Side(old, previous_results[checklist.id], previous),
                                      _Side(checklist, result, current), mapping)
        checklists.append(compared.change)
        sections += compared.sections
        items += compared.items
        shared_previous.append((old.weight, compared.shared_previous))
        shared_current.append((checklist.weight, compared.shared_current))
    current_ids = {c.id for c in current.checklists}
    for old in previous.checklists:
        if old.id not in current_ids:
            versions[old.id] = (old.version, None)
            why = Text(zh=f"{current.result.year} 年未评估此检查表", en=f"not assessed in {current.result.year}")
            before = previous_results[old.id]
            checklists.append(ScoreChange(key=old.id, name=old.title, previous=before.score, current=None,
                                          delta=None, basis="none", previous_grade=before.grade, reason=why))
    overall = _overall(previous, current, same_versions, shared_previous, shared_current,
                       sum(c.items for c in checklists))
    new, fixed = _red_lines(previous, current, red_line_before)
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


def overall_change(previous: YearEntry, current: YearEntry) -> ScoreChange:
    """`compare_years(previous, current).overall`, without every item's and section's change: all a
    roll-up needs of a pair of years (≈ 40 % less time where the checklist versions differ)."""
    previous_checklists = {c.id: c for c in previous.checklists}
    previous_results = {r.id: r for r in previous.result.checklists}
    same_versions = ({c.id: c.version for c in previous.checklists}
                     == {c.id: c.version for c in current.checklists})
    shared_previous: list[tuple[float, float | None]] = []
    shared_current: list[tuple[float, float | None]] = []
    n_items = 0
    for checklist, result in zip(current.checklists, current.result.checklists, strict=True):
        old = previous_checklists.get(checklist.id)
        if old is None:
            continue
        pairs = map_items(old, checklist).comparable_pairs()
        before, now = _shared(_Side(old, previous_results[checklist.id], previous), _Side(checklist, result, current),
                              pairs)
        n = len(pairs)
        a, b = (before.score, now.score) if n else (None, None)
        shared_previous.append((old.weight, a))
        shared_current.append((checklist.weight, b))
        n_items += _counted(n, old.version == checklist.version, (a, b))
    return _overall(previous, current, same_versions, shared_previous, shared_current, n_items)


def compare_history(history: History) -> list[YearComparison]:
    """Each year against the year before it (the first year has no comparison)."""
    return [compare_years(a, b) for a, b in zip(history.entries, history.entries[1:], strict=False)]


def _red_lines(previous: YearEntry, current: YearEntry, before: dict[str, str]) -> tuple[list[str], list[str]]:
    """Red lines failed this year and not last year (new), and failed last year but not now (fixed),
    items followed through the crosswalk (`before`: this year's id -> last year's)."""
    failed_before = set(previous.result.critical_failures)
    new = [i for i in current.result.critical_failures if before.get(i, i) not in failed_before]
    failing_now = {before.get(i, i) for i in current.result.critical_failures}
    after = {old: now for now, old in before.items()}
    current_ids = {x.id for x in current.result.items()}
    fixed = [after.get(i, i) for i in previous.result.critical_failures
             if i not in failing_now and (i in after or i in current_ids)]
    return new, fixed


def _overall(previous: YearEntry, current: YearEntry, same_versions: bool,
             shared_previous: list[tuple[float, float | None]], shared_current: list[tuple[float, float | None]],
             n_items: int) -> ScoreChange:
    before, now = previous.result, current.result
    if same_versions:
        return ScoreChange(key="overall", name=OVERALL, previous=before.score, current=now.score,
                           delta=_delta(before.score, now.score), basis="same", items=n_items,
                           previous_grade=before.grade, grade=now.grade)
    a, b = _round(weighted_mean(shared_previous)), _round(weighted_mean(shared_current))
    if a is None or b is None:
        return ScoreChange(key="overall", name=OVERALL, previous=before.score, current=now.score, delta=None,
                           basis="none", previous_grade=before.grade, grade=now.grade,
                           reason=Text(zh="两年没有可比的检查项", en="the two years share no comparable items"))
    return ScoreChange(key="overall", name=OVERALL, previous=a, current=b, delta=_delta(a, b),
                       basis="comparable-items", items=n_items, previous_grade=before.grade, grade=now.grade,
                       reason=Text(zh=f"检查表版本不同：仅比较两年共有的 {n_items} 个可比检查项",
                                   en=f"checklist versions differ: compared on {_items(n_items)} only"))


@dataclass(frozen=True)
class _Side:
    """One year of one checklist: its rules, its result, the year it belongs to."""

    checklist: Checklist
    result: ChecklistResult
    year: YearEntry


@dataclass(frozen=True)
class _ChecklistComparison:
    change: ScoreChange
    sections: list[ScoreChange]
    items: list[ItemChange]
    shared_previous: float | None  # last year's score on the items both years share
    shared_current: float | None  # this year's, on the same items


def _compare_checklist(before: _Side, now: _Side, mapping: Mapping) -> _ChecklistComparison:
    old, new = before.checklist, now.checklist
    previous_items = {i.id: i for s in before.result.sections for i in s.items}
    pairs = mapping.comparable_pairs()  # this year's item id -> last year's
    items: list[ItemChange] = []
    for section_result in now.result.sections:
        for item in section_result.items:
            link = mapping.links[item.id]
            counterpart = previous_items.get(link.previous_id) if link.previous_id else None
            items.append(_item(item, counterpart, previous_id=link.previous_id, comparable=link.comparable,
                               reason=link.reason))
    for gone_id, why in mapping.gone.items():
        gone = previous_items[gone_id]
        items.append(ItemChange(id=gone_id, previous_id=gone_id, checklist=old.id, section=gone.section,
                                previous_status=gone.status, status=None, previous_score=_pct(gone.score),
                                score=None, delta=None, comparable=False, reason=why))
    same = old.version == new.version
    shared_before, shared_now = _shared(before, now, pairs)
    n = len(pairs)
    why_version = Text(zh=f"版本 {old.version} → {new.version}：仅比较 {n} 个可比检查项",
                       en=f"version {old.version} -> {new.version}: compared on {_items(n)} only")
    change = _change(new.id, new.title, before.result, now.result, intact=same,
                     shared=(shared_before.score if n else None, shared_now.score if n else None),
                     reason=why_version, n=n)
    previous_sections = {s.id: s for s in before.result.sections}
    shared_sections_before = {s.id: s for s in shared_before.sections}
    shared_sections_now = {s.id: s for s in shared_now.sections}
    previous_section_items = {s.id: {i.id for i in s.items} for s in old.sections}
    sections: list[ScoreChange] = []
    for section, section_result in zip(new.sections, now.result.sections, strict=True):
        key = f"{new.id}/{section.id}"
        last_year = previous_sections.get(section.id)
        if last_year is None:
            sections.append(ScoreChange(key=key, name=section.title, previous=None, current=section_result.score,
                                        delta=None, basis="none", grade=section_result.grade,
                                        reason=Text(zh=f"{old.version} 版无此部分",
                                                    en=f"not in version {old.version}")))
            continue
        counterparts = {pairs.get(i.id) for i in section.items}
        intact = same or counterparts == previous_section_items.get(section.id)
        shared = sum(1 for i in section.items
                     if i.id in pairs and pairs[i.id] in previous_section_items[section.id])
        why = Text(zh=f"本部分检查项有变动：仅比较 {shared} 个可比检查项",
                   en=f"items changed: compared on {_items(shared)} only")
        a = shared_sections_before[section.id].score if section.id in shared_sections_before and shared else None
        b = shared_sections_now[section.id].score if section.id in shared_sections_now and shared else None
        sections.append(_change(key, section.title, last_year, section_result, intact=intact, shared=(a, b),
                                reason=why, n=shared))
    return _ChecklistComparison(change, sections, items, shared_before.score if n else None,
                                shared_now.score if n else None)


def _shared(before: _Side, now: _Side, pairs: dict[str, str]) -> tuple[ChecklistResult, ChecklistResult]:
    """Both years' results on the items they share (`pairs`: this year's id -> last year's): as
    scored when the versions are the same, else both years scored again on those items only, each
    with its own version's rules."""
    if before.checklist.version == now.checklist.version:
        return before.result, now.result
    return (score_checklist(_restrict(before.checklist, set(pairs.values())), before.year.assessment),
            score_checklist(_restrict(now.checklist, set(pairs)), now.year.assessment))


def _counted(n: int, intact: bool, shared: tuple[float | None, float | None]) -> int:
    """How many comparable items a checklist's change rests on (`ScoreChange.items`, as `_change` sets it)."""
    return n if intact or None not in shared else 0


class _Scored(Protocol):
    @property
    def score(self) -> float | None: ...

    @property
    def grade(self) -> str | None: ...


def _change(key: str, name: Text, before: _Scored, now: _Scored, *, intact: bool,
            shared: tuple[float | None, float | None], reason: Text, n: int) -> ScoreChange:
    """The change of a checklist's or section's score: as shown when its items are intact, else on
    the items both years share (`shared`: last year's and this year's score on them)."""
    if intact:
        return ScoreChange(key=key, name=name, previous=before.score, current=now.score,
                           delta=_delta(before.score, now.score), basis="same", items=n,
                           previous_grade=before.grade, grade=now.grade)
    shared_before, shared_now = shared
    if shared_before is None or shared_now is None:
        return ScoreChange(key=key, name=name, previous=before.score, current=now.score, delta=None, basis="none",
                           previous_grade=before.grade, grade=now.grade,
                           reason=Text(zh="没有可比的检查项", en="no comparable items"))
    return ScoreChange(key=key, name=name, previous=shared_before, current=shared_now,
                       delta=_delta(shared_before, shared_now), basis="comparable-items", reason=reason, items=n,
                       previous_grade=before.grade, grade=now.grade)


def _restrict(checklist: Checklist, keep: set[str | None]) -> Checklist:
    """The checklist with only the `keep` items (empty sections left out); its own rules unchanged."""
    sections: list[Section] = []
    for section in checklist.sections:
        items = [i for i in section.items if i.id in keep]
        if items:
            sections.append(section.model_copy(update={"items": items}))
    return checklist.model_copy(update={"sections": sections or checklist.sections[:0]})


def _item(now: ItemResult, before: ItemResult | None, *, previous_id: str | None, comparable: bool,
          reason: Text | None) -> ItemChange:
    previous_score = _pct(before.score) if before else None
    score = _pct(now.score)
    return ItemChange(id=now.id, previous_id=previous_id, checklist=now.checklist, section=now.section,
                      previous_status=before.status if before else None, status=now.status,
                      previous_score=previous_score, score=score,
                      delta=_delta(previous_score, score) if comparable else None, comparable=comparable,
                      reason=reason, waiver_expired=now.waiver_expired)


def _items(n: int) -> str:
    return f"{n} comparable item{'s' if n != 1 else ''}"


def _pct(score: float | None) -> float | None:
    return None if score is None else round(100 * score, 1)


def _delta(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(b - a, 1)


def _round(score: float | None) -> float | None:
    return None if score is None else round(score, 1)
