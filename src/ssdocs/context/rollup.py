"""The roll-up's context: every jurisdiction's year summed up -> league, heatmap, distributions,
the province's action list and trend, the jurisdictions left out, the parents' aggregates."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from ssdocs.loading.checklists import Catalog
from ssdocs.models.base import Text
from ssdocs.models.checklist import AnyItem, Checklist


@dataclass(frozen=True)
class Member:
    """One jurisdiction's year in the roll-up: only what the roll-up shows (a national tree is
    never held as Histories)."""

    code: str
    name: Text
    level: str
    parent: str | None
    folder: str
    year: int
    date: str
    score: float | None
    grade: str | None
    grade_label: Text | None
    completeness: float
    red_lines: list[str]
    checklists: dict[str, str]  # id -> version
    statuses: dict[str, str]  # item id -> status
    sections: dict[str, float | None]  # "<checklist>/<section>" -> score
    previous_year: int | None = None
    delta: float | None = None  # since the previous valid year (comparable items when versions differ)
    basis: str = "none"
    years: dict[int, float | None] = field(default_factory=dict)  # every valid year's overall score
    changes: dict[int, float | None] = field(default_factory=dict)  # year -> delta on comparable items
    notes: list[str] = field(default_factory=list)  # the years left out of its history
    insured: int | None = None  # 参保人数 of its `jurisdiction:` block (a weight of the parents' aggregate)
    population: int | None = None  # 常住人口


@dataclass(frozen=True)
class Excluded:
    """A jurisdiction (folder) not in the roll-up: its input is invalid, or the year is missing."""

    folder: str
    kind: str  # "invalid" | "missing"
    problems: list[str]


@dataclass(frozen=True)
class HeatRow:
    """One item of the heatmap: its checklist and section, and one status per column."""

    checklist: str
    section: str
    section_title: Text
    item: str
    red_line: bool
    cells: list[str]  # met / partial / unmet / na / waived / missing / "" (not in its checklist version)


@dataclass(frozen=True)
class HeatBlock:
    """The heatmap for one block of jurisdictions (columns) and one checklist (rows)."""

    checklist: str
    title: Text
    columns: list[str]  # jurisdiction codes
    rows: list[HeatRow]
    first: int  # the block's first column, 1-based, in the whole list


@dataclass(frozen=True)
class Strip:
    """One section's scores across jurisdictions (a strip plot row)."""

    key: str
    title: Text
    values: list[tuple[str, float]]  # (jurisdiction, score)
    median: float | None
    highlight: float | None


@dataclass(frozen=True)
class Action:
    """An item failed province-wide: how many jurisdictions, and what the checklist recommends."""

    item: str
    checklist: str
    kind: str  # "red-line" | "unmet"
    count: int
    share: float
    question: Text
    recommendation: Text
    jurisdictions: list[str]


@dataclass(frozen=True)
class TrendPoint:
    """The province in one year: how many jurisdictions, median and spread of their overall score,
    and the median change since their previous year on comparable items."""

    year: int
    count: int
    median: float | None
    low: float | None
    q1: float | None
    q3: float | None
    high: float | None
    change: float | None
    changes: int


Weight = Literal["insured", "population"]
WEIGHT_LABELS: dict[str, Text] = {"insured": Text(zh="参保人数", en="insured persons"),
                                  "population": Text(zh="常住人口", en="resident population")}


@dataclass(frozen=True)
class ParentGroup:
    """Counties aggregated into their city: the unweighted median of the children's scores, or with
    a weight, the children's scores averaged in proportion to their insured persons (or population)."""

    code: str
    name: Text | None
    own_score: float | None
    children: list[str]
    median: float | None  # always the unweighted median
    low: float | None
    high: float | None
    red_lines: int  # children failing at least one red line
    weight: Weight | None = None  # the weight asked for (None: unweighted median)
    weighted: float | None = None  # the weighted mean; None when not asked for or fallen back
    weight_total: int | None = None  # the sum of the weights of the children with a score
    unweighted: list[str] = field(default_factory=list)  # children scored without the figure: the fallback

    @property
    def method(self) -> str:
        """"weighted-mean" or "median" (asked for, or the fallback when a child lacks the figure)."""
        return "weighted-mean" if self.weighted is not None else "median"

    @property
    def value(self) -> float | None:
        """The parent's aggregate as the report shows it."""
        return self.weighted if self.weighted is not None else self.median

    @property
    def method_label(self) -> Text:
        """The aggregation this row uses, in words (a fallback names the children without the figure)."""
        if self.weight is None:
            return Text(zh="不加权中位数", en="unweighted median")
        label = WEIGHT_LABELS[self.weight]
        if self.weighted is not None:
            return Text(zh=f"{label.zh}加权平均", en=f"mean weighted by {label.en}")
        if not self.unweighted:  # no child has a score: nothing to weigh
            return Text(zh="无得分", en="no score")
        codes = ", ".join(self.unweighted)
        return Text(zh=f"不加权中位数（{codes} 未填{label.zh}）",
                    en=f"unweighted median ({codes}: no {label.en})")


@dataclass(frozen=True)
class RollupContext:
    """Everything the roll-up's template and CSV files show."""

    lang: str
    year: int | None  # None: each jurisdiction's latest year
    members: list[Member]  # league order: score descending, then code
    excluded: list[Excluded]
    blocks: list[HeatBlock]
    strips: list[Strip]
    actions: list[Action]
    trend: list[TrendPoint]
    parents: list[ParentGroup]
    highlight: str | None
    by_parent: bool
    median: float | None
    date: str
    weight: Weight | None = None  # the parents' aggregate: None = unweighted median
    level: str | None = None  # only this level rolled up (`--level`)
    left_out_by_level: int = 0  # jurisdictions of other levels (valid or not), left out by `--level`

    @property
    def notes(self) -> list[str]:
        return [n for m in self.members for n in m.notes]


def build_rollup_context(members: Sequence[Member], excluded: Sequence[Excluded], catalog: Catalog, *,
                         lang: str = "zh", year: int | None = None, highlight: str | None = None,
                         by_parent: bool = False, block: int = 25, top: int = 15,
                         weight: Weight | None = None, level: str | None = None,
                         others: Sequence[Member] = (), left_out: int | None = None) -> RollupContext:
    """The roll-up of `members` (valid jurisdiction-years) and the jurisdictions left out.

    `weight`: the parents' aggregate is the weighted mean of their children's scores (default: the
    unweighted median). `level`: the members are of that level; `others` are the valid
    jurisdictions left out by it (still naming a parent and its own score); `left_out`: how many
    jurisdictions it left out, invalid ones of another level included (default: the others)."""
    league = sorted(members, key=lambda m: (m.score is None, -(m.score or 0.0), m.code))
    columns = sorted(members, key=lambda m: ((m.parent or "") if by_parent else "", m.code))
    checklists = _latest_checklists(members, catalog)
    scores = [m.score for m in members if m.score is not None]
    return RollupContext(
        lang=lang, year=year, members=league, excluded=sorted(excluded, key=lambda e: e.folder),
        blocks=_blocks(columns, checklists, block), strips=_strips(members, checklists, highlight),
        actions=_actions(members, catalog, top), trend=_trend(members),
        parents=_parents(members, weight, others), highlight=highlight, by_parent=by_parent,
        median=_median(scores), date=max((m.date for m in members), default=""),
        weight=weight, level=level, left_out_by_level=len(others) if left_out is None else left_out,
    )


def _latest_checklists(members: Sequence[Member], catalog: Catalog) -> list[Checklist]:
    """The checklists the members answered, each in the highest version any of them used, in the
    order the members list them."""
    chosen: dict[str, str] = {}
    for m in members:
        for cid, version in m.checklists.items():
            if cid not in chosen or _key(version) > _key(chosen[cid]):
                chosen[cid] = version
    return [catalog[(cid, version)] for cid, version in chosen.items() if (cid, version) in catalog]


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())


def _blocks(columns: Sequence[Member], checklists: Sequence[Checklist], size: int) -> list[HeatBlock]:
    blocks: list[HeatBlock] = []
    for start in range(0, len(columns), max(1, size)):
        part = columns[start:start + size]
        for checklist in checklists:
            rows = [HeatRow(checklist.id, section.id, section.title, item.id, bool(getattr(item, "critical", False)),
                            [m.statuses.get(item.id, "") for m in part])
                    for section in checklist.sections for item in section.items]
            blocks.append(HeatBlock(checklist.id, checklist.title, [m.code for m in part], rows, start + 1))
    return blocks


def _strips(members: Sequence[Member], checklists: Sequence[Checklist], highlight: str | None) -> list[Strip]:
    mine = next((m for m in members if m.code == highlight), None)
    strips = []
    for checklist in checklists:
        for section in checklist.sections:
            key = f"{checklist.id}/{section.id}"
            values = sorted(((m.code, s) for m in members if (s := m.sections.get(key)) is not None),
                            key=lambda v: (v[1], v[0]))
            strips.append(Strip(key, section.title, values, _median([v for _, v in values]),
                                mine.sections.get(key) if mine is not None else None))
    return strips


def _actions(members: Sequence[Member], catalog: Catalog, top: int) -> list[Action]:
    items: dict[str, tuple[str, AnyItem | None]] = {
        item.id: (cid, item) for (cid, _), c in sorted(catalog.items()) for _, item in c.items()}
    red: dict[str, list[str]] = {}
    unmet: dict[str, list[str]] = {}
    for m in members:
        for item in m.red_lines:
            red.setdefault(item, []).append(m.code)
        for item, status in m.statuses.items():
            if status == "unmet" and item not in m.red_lines:
                unmet.setdefault(item, []).append(m.code)
    out: list[Action] = []
    for kind, found in (("red-line", red), ("unmet", unmet)):
        ranked = sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:top]
        for ident, codes in ranked:
            cid, source = items[ident] if ident in items else ("", None)
            out.append(Action(ident, cid, kind, len(codes), 100.0 * len(codes) / max(1, len(members)),
                              source.question if source is not None else Text(zh=ident, en=ident),
                              source.recommendation if source is not None else Text(zh="", en=""),
                              sorted(codes)))
    return out


def _trend(members: Sequence[Member]) -> list[TrendPoint]:
    years = sorted({y for m in members for y in m.years})
    points = []
    for year in years:
        values = sorted(s for m in members if (s := m.years.get(year)) is not None)
        changes = [d for m in members if (d := m.changes.get(year)) is not None]
        count = sum(1 for m in members if year in m.years)
        q1, q3 = _quartiles(values)
        points.append(TrendPoint(year, count, _median(values), values[0] if values else None, q1, q3,
                                 values[-1] if values else None, _median(changes), len(changes)))
    return points


def _parents(members: Sequence[Member], weight: Weight | None = None,
             others: Sequence[Member] = ()) -> list[ParentGroup]:
    by_code = {m.code: m for m in [*others, *members]}
    children: dict[str, list[Member]] = {}
    for m in members:
        if m.parent:
            children.setdefault(m.parent, []).append(m)
    groups = []
    for code, kids in sorted(children.items()):
        scores = sorted(k.score for k in kids if k.score is not None)
        own = by_code.get(code)
        weighted, total, without = _weighted(kids, weight)
        groups.append(ParentGroup(code, own.name if own else None, own.score if own else None,
                                  sorted(k.code for k in kids), _median(scores),
                                  scores[0] if scores else None, scores[-1] if scores else None,
                                  sum(1 for k in kids if k.red_lines), weight, weighted, total, without))
    return groups


def _weighted(kids: Sequence[Member], weight: Weight | None) -> tuple[float | None, int | None, list[str]]:
    """The children's scores averaged in proportion to their figure, the figures' sum, and the children
    (with a score) without the figure. One child without it: no weighted mean (the parent falls back
    to the unweighted median and says whose figure is missing), never a mean over some children only."""
    if weight is None:
        return None, None, []
    scored = [k for k in kids if k.score is not None]
    figures = {k.code: getattr(k, weight) for k in scored}
    without = sorted(code for code, f in figures.items() if f is None)
    if not scored or without:
        return None, None, without
    total = sum(figures.values())
    mean = sum(k.score * figures[k.code] for k in scored if k.score is not None) / total
    return round(mean, 1), total, []


def _median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _quartiles(values: Sequence[float]) -> tuple[float | None, float | None]:
    if len(values) < 2:
        return (values[0], values[0]) if values else (None, None)
    q = statistics.quantiles(values, n=4, method="inclusive")
    return round(q[0], 1), round(q[2], 1)


def status_counts(members: Sequence[Member]) -> Counter[str]:
    """How many answers of each status the roll-up holds (for its summary)."""
    return Counter(s for m in members for s in m.statuses.values())


__all__ = ["WEIGHT_LABELS", "Action", "Excluded", "HeatBlock", "HeatRow", "Member", "ParentGroup", "RollupContext",
           "Strip", "TrendPoint", "Weight", "build_rollup_context", "status_counts"]
