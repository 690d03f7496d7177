"""Many assessments of one jurisdiction over years -> series, deltas, regressions."""

from ssdocs.history.loading import History, YearEntry, load_histories, load_history, year_files
from ssdocs.history.series import OVERALL, Series, series_of

__all__ = [
    "OVERALL",
    "History",
    "Series",
    "YearEntry",
    "load_histories",
    "load_history",
    "series_of",
    "year_files",
]
