"""Score series over the years (overall, per checklist) for charts and tables."""

from __future__ import annotations

from dataclasses import dataclass

from ssdocs.history.loading import History
from ssdocs.models.base import Text

OVERALL = Text(zh="总分", en="Overall")
RESCORED = Text(zh="（按最新检查表重新评分）", en="(re-scored with the latest checklists)")


@dataclass(frozen=True)
class Series:
    """One line of a trend chart: a name and (year, score 0-100 or None) points, oldest first."""

    key: str  # "overall" or a checklist id
    name: Text
    points: tuple[tuple[int, float | None], ...]
    rescored: bool = False

    def label(self, lang: str) -> Text:
        """The name, marked as re-scored when it is."""
        if not self.rescored:
            return self.name
        return Text(zh=self.name.zh + RESCORED.zh, en=f"{self.name.en} {RESCORED.en}")


def series_of(history: History, checklists: bool = True) -> list[Series]:
    """The overall series, then one per checklist (in first-seen order) when `checklists`."""
    rescored = history.rescored
    out = [Series("overall", OVERALL, tuple((r.year, r.score) for r in history.results), rescored)]
    if not checklists:
        return out
    names: dict[str, Text] = {}
    for result in history.results:
        for checklist in result.checklists:
            names[checklist.id] = checklist.title  # the latest title wins
    for ident, name in names.items():
        points = []
        for result in history.results:
            found = next((c for c in result.checklists if c.id == ident), None)
            points.append((result.year, found.score if found else None))
        out.append(Series(ident, name, tuple(points), rescored))
    return out
