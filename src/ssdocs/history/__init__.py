"""Many assessments of one jurisdiction over years -> series, deltas, regressions."""

from ssdocs.history.compare import ItemChange, ScoreChange, YearComparison, compare_history, compare_years
from ssdocs.history.export import trend_csv, trend_json
from ssdocs.history.loading import History, YearEntry, load_histories, load_history, year_files
from ssdocs.history.rescore import rescore_with_latest
from ssdocs.history.series import OVERALL, Series, series_of
from ssdocs.history.trend import Trend, trend

__all__ = [
    "OVERALL",
    "History",
    "ItemChange",
    "ScoreChange",
    "Series",
    "Trend",
    "YearComparison",
    "YearEntry",
    "compare_history",
    "compare_years",
    "load_histories",
    "load_history",
    "rescore_with_latest",
    "series_of",
    "trend",
    "trend_csv",
    "trend_json",
    "year_files",
]
