"""The trend as data for machines: a JSON document and CSV rows (one per jurisdiction, year, score)."""

from __future__ import annotations

import json
import textwrap
from typing import Any

from ssdocs.core.csvfile import BOM
from ssdocs.core.csvfile import csv_rows as csv_lines
from ssdocs.history.compare import ItemChange, ScoreChange, YearComparison
from ssdocs.history.loading import History
from ssdocs.history.trend import Trend
from ssdocs.models.base import Text

CSV_COLUMNS = [
    "jurisdiction", "jurisdiction_name", "year", "level", "key", "name_zh", "name_en", "version",
    "score", "grade", "previous_year", "compared_previous", "compared_current", "delta", "basis",
    "comparable_items", "reason_zh", "reason_en", "rescored",
]


def _text(text: Text | None) -> dict[str, str] | None:
    return None if text is None else {"zh": text.zh, "en": text.en}


def _change(change: ScoreChange) -> dict[str, Any]:
    return {
        "key": change.key, "name": _text(change.name), "previous": change.previous,
        "current": change.current, "delta": change.delta, "basis": change.basis,
        "previous_grade": change.previous_grade, "grade": change.grade,
        "comparable_items": change.items, "reason": _text(change.reason),
    }


def _item(item: ItemChange) -> dict[str, Any]:
    return {
        "id": item.id, "previous_id": item.previous_id, "checklist": item.checklist,
        "section": item.section, "previous_status": item.previous_status, "status": item.status,
        "previous_score": item.previous_score, "score": item.score, "delta": item.delta,
        "comparable": item.comparable, "reason": _text(item.reason),
    }


def comparison_json(comparison: YearComparison) -> dict[str, Any]:
    """One year's changes against the previous year."""
    return {
        "previous_year": comparison.previous_year,
        "overall": _change(comparison.overall),
        "checklists": [_change(c) for c in comparison.checklists],
        "sections": [_change(s) for s in comparison.sections],
        "worse": [_item(i) for i in comparison.worse],
        "better": [_item(i) for i in comparison.better],
        "not_comparable": [_item(i) for i in comparison.not_comparable],
        "red_lines_new": comparison.red_lines_new,
        "red_lines_fixed": comparison.red_lines_fixed,
    }


def trend_json(trend: Trend) -> dict[str, Any]:
    """The whole trend: per jurisdiction, per year the scores and the change from the year before."""
    return {**_trend_head(trend.rescored),
            "jurisdictions": [jurisdiction_json(h, trend.comparisons.get(h.jurisdiction, []))
                              for h in trend.histories]}


def _trend_head(rescored: bool) -> dict[str, Any]:
    return {"format": "ssdocs-trend", "version": 1, "rescored": rescored}


def trend_json_around(rescored: bool, jurisdictions: bool) -> tuple[str, str]:
    """The text of `trend_json` (indented, a newline at the end) before and after its jurisdictions,
    each `nested(json_text(jurisdiction_json(...)))`: a large trend is written from a spool."""
    before, after = json_around_list(_trend_head(rescored), "jurisdictions", jurisdictions)
    return before, after + "\n"


def json_text(data: Any) -> str:
    """JSON as every ssdocs output writes it: UTF-8 text, indented by two spaces."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def json_with_list(head: dict[str, Any], key: str, items: list[str]) -> str:
    """`json_text({**head, key: [...]})` where the list's items are given as their own `json_text`."""
    before, after = json_around_list(head, key, bool(items))
    return before + ",\n".join(nested(item) for item in items) + after


def json_around_list(head: dict[str, Any], key: str, items: bool) -> tuple[str, str]:
    """The text before and after the items of `json_text({**head, key: [...]})`, the list being the
    last key: the items go between, each `nested`, separated by ",\n" (with no items: the whole
    text, and nothing)."""
    text = json_text({**head, key: []})
    if not items:
        return text, ""
    empty = "[]\n}"
    assert text.endswith(f'"{key}": {empty}')
    return text[: -len(empty)] + "[\n", "\n  ]\n}"


def nested(item: str) -> str:
    """An item's `json_text` indented for its place in the top-level object's list."""
    return textwrap.indent(item, "    ")


def jurisdiction_json(history: History, comparisons: list[YearComparison]) -> dict[str, Any]:
    """One jurisdiction of `trend_json`: its years, each with its change from the year before."""
    by_year = {c.year: c for c in comparisons}
    years = []
    for entry in history.entries:
        result = entry.result
        comparison = by_year.get(result.year)
        years.append({
            "year": result.year,
            "file": entry.path.as_posix(),
            "rescored": entry.rescored,
            "rescore_notes": entry.rescore_notes,
            "checklist_versions": {c.id: c.version for c in entry.checklists},
            "score": result.score,
            "grade": result.grade,
            "completeness": result.completeness,
            "critical_failures": result.critical_failures,
            "checklists": [{
                "id": c.id, "version": c.version, "score": c.score, "grade": c.grade,
                "sections": [{"id": s.id, "score": s.score, "grade": s.grade} for s in c.sections],
            } for c in result.checklists],
            "change": comparison_json(comparison) if comparison else None,
        })
    return {"code": history.jurisdiction, "name": _text(history.name), "years": years}


def trend_csv(trend: Trend) -> str:
    """CSV (UTF-8, header row): one row per jurisdiction, year and score (overall, checklist, section)."""
    return csv_header() + "".join(csv_rows(h, trend.comparisons.get(h.jurisdiction, []))
                                  for h in trend.histories)


def csv_header() -> str:
    """The byte-order mark and the header row: the start of every trend CSV (see core.csvfile)."""
    return BOM + csv_lines([CSV_COLUMNS])


def csv_rows(history: History, comparisons: list[YearComparison]) -> str:
    """The rows of `trend_csv` for one jurisdiction (no header)."""
    out: list[list[object]] = []
    by_year = {c.year: c for c in comparisons}
    for entry in history.entries:
        result = entry.result
        comparison = by_year.get(result.year)
        changes = {}
        if comparison is not None:
            changes = {c.key: c for c in [comparison.overall, *comparison.checklists, *comparison.sections]}
        base = {"jurisdiction": history.jurisdiction, "jurisdiction_name": history.name.zh,
                "year": result.year, "rescored": str(entry.rescored).lower(),
                "previous_year": comparison.previous_year if comparison else ""}
        rows: list[tuple[str, str, Text, str, float | None, str | None]] = [
            ("overall", "overall", Text(zh="总分", en="Overall"), "", result.score, result.grade)]
        for c in result.checklists:
            rows.append(("checklist", c.id, c.title, c.version, c.score, c.grade))
            rows += [("section", f"{c.id}/{s.id}", s.title, c.version, s.score, s.grade) for s in c.sections]
        for level, key, name, version, score, grade in rows:
            change = changes.get(key)
            row: dict[str, object] = {
                **base, "level": level, "key": key, "name_zh": name.zh, "name_en": name.en,
                "version": version, "score": _num(score), "grade": grade or "",
                "compared_previous": _num(change.previous) if change else "",
                "compared_current": _num(change.current) if change else "",
                "delta": _num(change.delta) if change else "",
                "basis": change.basis if change else "",
                "comparable_items": change.items if change else "",
                "reason_zh": change.reason.zh if change and change.reason else "",
                "reason_en": change.reason.en if change and change.reason else "",
            }
            out.append([row[column] for column in CSV_COLUMNS])
    return csv_lines(out)


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"
