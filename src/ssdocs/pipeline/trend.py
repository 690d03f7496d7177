"""`ssdocs trend`, top to bottom: catalog -> each jurisdiction loaded, compared and summed up (in
worker processes for a tree) -> table, JSON, CSV and chart written.

A national tree is never held at once: each jurisdiction's share of every output is spooled to a
temporary file, then the outputs are written in the tree's order, the same for any -j.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from rich.console import Console

from ssdocs.core.files import Span
from ssdocs.errors import ValidationFailed
from ssdocs.history.compare import compare_history
from ssdocs.history.export import csv_header, csv_rows, json_text, jurisdiction_json, nested, trend_json_around
from ssdocs.history.loading import History, jurisdiction_folders
from ssdocs.history.rescore import rescore_with_latest
from ssdocs.history.series import Series, series_of
from ssdocs.history.tree import Summary, default_workers, problems_of, summarise_all
from ssdocs.loading.checklists import Catalog, load_checklists
from ssdocs.pipeline.outputs import STDOUT, Spools, emit, emit_chunks
from ssdocs.render.trend_chart import trend_svg
from ssdocs.render.trend_table import print_history


@dataclass(frozen=True)
class TrendDone:
    """What `trend()` did besides writing its outputs: the jurisdictions, and the located notes on
    the years it left out."""

    jurisdictions: list[str]
    rescored: bool
    notes: list[str] = field(default_factory=list)


def trend(path: Path | str, *, checklist_sources: Sequence[Path | str] = (), json: str | None = None,
          csv: str | None = None, svg: str | None = None, table: bool = True, lang: str = "zh",
          rescore: bool = False, workers: int | None = None, stream: BinaryIO | None = None,
          width: int = 100, terminal: bool = False, colours: str | None = None) -> TrendDone:
    """Scores per year with deltas of a jurisdiction folder (or a tree of them), written out.

    `json`, `csv` and `svg` are files to write ('-': `stream`); `table` writes the terminal table
    to `stream` (`width` columns; rich's `colours` system, forced with `terminal`). Each jurisdiction's latest year
    must be valid; an invalid earlier year is left out with a note (`TrendDone.notes`).
    """
    stream = stream if stream is not None else io.BytesIO()
    catalog = load_checklists(list(checklist_sources)) if checklist_sources else load_checklists()
    sources = jurisdiction_folders(path)
    want = _TrendWant(table=table, json=bool(json), csv=bool(csv), lang=lang, rescore=rescore, width=width,
                      terminal=terminal, colours=colours)
    spools = Spools()
    try:
        kept, notes = _summarise(sources, catalog, want, default_workers(len(sources), workers), spools)
        parts = [part for _, _, part in kept]
        rescored = any(p.rescored for p in parts)
        if json:
            before, after = trend_json_around(rescored, bool(kept))
            emit_chunks(json, spools.read("json", [s["json"] for _, s, _ in kept], before, ",\n", after), stream)
        if csv:
            emit_chunks(csv, spools.read("csv", [s["csv"] for _, s, _ in kept], csv_header()), stream)
        if svg:
            emit(svg, trend_svg(parts[0].series if len(parts) == 1 else [p.overall for p in parts], lang), stream)
        if table:
            emit_chunks(STDOUT, spools.read("table", [s["table"] for _, s, _ in kept]), stream)
    finally:
        spools.close()
    return TrendDone([j for j, _, _ in kept], rescored, notes)


def _summarise(sources: list[Path], catalog: Catalog, want: _TrendWant, workers: int,
               spools: Spools) -> tuple[list[tuple[str, dict[str, Span], _TrendPart]], list[str]]:
    """Every jurisdiction summed up and spooled, sorted by code; all input problems raised together."""
    kept: list[tuple[str, dict[str, Span], _TrendPart]] = []  # (jurisdiction, where its text is, the rest)
    summaries: list[Summary[None]] = []
    notes: list[str] = []
    for summary in summarise_all(sources, catalog, functools.partial(_trend_part, want), workers):
        summaries.append(Summary(summary.source, None, summary.problems, summary.jurisdiction, summary.first))
        notes += summary.notes
        part = summary.value
        if part is None or any(s.problems for s in summaries):
            continue  # nothing will be written: keep nothing, only look for more problems
        texts = {"table": part.table, "json": part.json, "csv": part.csv}
        spans = spools.add(**{name: text for name, text in texts.items() if getattr(want, name)})
        kept.append((summary.jurisdiction, spans, replace(part, table="", json="", csv="")))
    problems = problems_of(summaries)
    if problems:
        raise ValidationFailed(problems)
    return sorted(kept, key=lambda k: k[0]), notes


@dataclass(frozen=True)
class _TrendWant:
    """Which outputs `ssdocs trend` writes, and how the terminal shows the table."""

    table: bool
    json: bool
    csv: bool
    lang: str
    rescore: bool
    width: int
    terminal: bool
    colours: str | None


@dataclass(frozen=True)
class _TrendPart:
    """One jurisdiction's share of every output (text), and its chart lines."""

    table: str
    json: str
    csv: str
    series: list[Series]
    overall: Series
    rescored: bool


def _trend_part(want: _TrendWant, source: Path, history: History, catalog: Catalog) -> _TrendPart:
    """One jurisdiction summed up for the outputs (in a worker process with -j)."""
    if want.rescore:
        history = rescore_with_latest(history, catalog)
    comparisons = compare_history(history)
    table = ""
    if want.table:
        buffer = io.StringIO()
        console = Console(file=buffer, highlight=False, soft_wrap=False, width=want.width,
                          force_terminal=want.terminal,
                          color_system=want.colours)  # type: ignore[arg-type]
        print_history(console, history, comparisons, want.lang)
        table = buffer.getvalue()
    series = series_of(history)
    return _TrendPart(
        table=table,
        json=nested(json_text(jurisdiction_json(history, comparisons))) if want.json else "",
        csv=csv_rows(history, comparisons) if want.csv else "",
        series=series,
        overall=Series(history.jurisdiction, history.name, series[0].points, history.rescored),
        rescored=history.rescored,
    )



__all__ = ["TrendDone", "trend"]
