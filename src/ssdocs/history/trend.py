"""The trend of one or many jurisdictions: histories plus each year's comparison with the year before."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ssdocs.history.compare import YearComparison, compare_history
from ssdocs.history.loading import History, load_histories
from ssdocs.history.rescore import rescore_with_latest
from ssdocs.history.series import Series, series_of
from ssdocs.loading.cache import ResultCache
from ssdocs.loading.checklists import Catalog


@dataclass(frozen=True)
class Trend:
    """Every jurisdiction found, its scored years and year-to-year comparisons."""

    histories: list[History]
    comparisons: dict[str, list[YearComparison]]  # by jurisdiction code, one per year after the first
    rescored: bool = False

    def comparison(self, jurisdiction: str, year: int) -> YearComparison | None:
        return next((c for c in self.comparisons.get(jurisdiction, []) if c.year == year), None)

    def series(self) -> list[Series]:
        """Chart lines: one jurisdiction's overall and checklists, or the overall of each of several."""
        if len(self.histories) == 1:
            return series_of(self.histories[0])
        return [Series(h.jurisdiction, h.name, series_of(h, checklists=False)[0].points, h.rescored)
                for h in self.histories]


def trend(path: Path | str, catalog: Catalog, rescore_with_latest_versions: bool = False,
          cache: ResultCache | None = None) -> Trend:
    """Load one jurisdiction folder (or a tree of them) and compare each year with the one before.

    Past years keep the checklist versions they name unless `rescore_with_latest_versions`, in
    which case every output is labelled as re-scored.
    """
    histories = load_histories(path, catalog, cache)
    if rescore_with_latest_versions:
        histories = [rescore_with_latest(h, catalog) for h in histories]
    return Trend(
        histories=histories,
        comparisons={h.jurisdiction: compare_history(h) for h in histories},
        rescored=any(h.rescored for h in histories),
    )
