"""`ssdocs check`, top to bottom: policy and catalog -> each jurisdiction loaded, compared and gated
(in worker processes for a tree) -> JUnit, JSON and Markdown written -> the verdict returned.

Like `trend`, a national tree is never held at once: each gated year's share of the large outputs
is spooled, the rest (one line, its failures) kept, and the outputs written in order.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from ssdocs.core.files import Span
from ssdocs.errors import Problem, ValidationFailed
from ssdocs.history.export import json_text, nested
from ssdocs.history.gate import Failure, YearCheck, gate_history, order_of
from ssdocs.history.gate import changed_since as changed_files
from ssdocs.history.loading import History, duplicate_problems, jurisdiction_folders
from ssdocs.history.tree import default_workers, summarise_all
from ssdocs.loading.cache import require_signed
from ssdocs.loading.checklists import Catalog, load_checklists
from ssdocs.outputs.json_report import check_json_around, year_json
from ssdocs.outputs.junit import ItemsAs, junit_around, junit_suite
from ssdocs.outputs.markdown_summary import Change, biggest, markdown_document, markdown_year
from ssdocs.pipeline.outputs import Spools, emit, emit_chunks
from ssdocs.policy import Policy


@dataclass(frozen=True)
class CheckDone:
    """The verdict of `check()`: one line per gated year (PASS/FAIL, score, change), every failure,
    and the located notes on the years left out of a comparison."""

    policy: Policy
    lines: list[str]
    failures: list[Failure]
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def check(paths: Sequence[Path | str], policy: Policy, *, checklist_sources: Sequence[Path | str] = (),
          all_years: bool = False, changed_since: str | None = None, junit: str | None = None,
          junit_items: ItemsAs = "skipped", json: str | None = None, markdown: str | None = None,
          workers: int | None = None, stream: BinaryIO | None = None) -> CheckDone:
    """The CI gate: validate and score the assessments under `paths`, apply `policy`, write the reports.

    A file is gated itself; a folder gates each jurisdiction's latest year (every year with
    `all_years`), which must be valid; an invalid earlier year is left out with a note, and the
    gated year is compared with the latest valid year before it. `changed_since` (a git
    revision) also gates every year whose file changed since it. `junit`, `json` and `markdown`
    are files to write ('-': `stream`); `junit_items` says whether open items are skipped or
    failures in JUnit. Every input problem is raised together (ValidationFailed).

    A verdict never rests on a cache entry this ssdocs did not sign: while it runs (and in its
    workers), only entries signed with $SSDOCS_CACHE_KEY are read (none without a key).
    """
    stream = stream if stream is not None else io.BytesIO()
    undo = require_signed()
    spools = Spools()
    try:
        catalog = load_checklists(list(checklist_sources)) if checklist_sources else load_checklists()
        want = _CheckWant(policy, all_years, json=bool(json), junit=bool(junit), markdown=bool(markdown),
                          junit_items=junit_items,
                          changed=changed_files(changed_since) if changed_since else None)
        gated, notes = _gate([Path(p) for p in paths], catalog, want, workers, spools)
        years = [g.part for g in gated]
        failures = [f for year in years for f in year.failures]
        if junit:
            totals = {k: sum(y.junit_counts[k] for y in years) for k in ("tests", "failures", "errors")}
            before, after = junit_around(totals, bool(years))
            emit_chunks(junit, spools.read("junit", [g.spans["junit"] for g in gated], before + "\n  ",
                                           "\n  ", after) if years else iter([before.encode("utf-8")]), stream)
        if json:
            before, after = check_json_around(policy, failures, bool(years))
            emit_chunks(json, spools.read("json", [g.spans["json"] for g in gated], before, ",\n", after), stream)
        if markdown:
            changes: list[Change] = []
            for year in years:
                changes = biggest(changes + year.changes)
            emit(markdown, markdown_document(
                policy, failures, [y.row for y in years], any(y.comparable_items for y in years),
                changes, [line for y in years for line in y.red_lines]), stream)
    finally:
        spools.close()
        undo()
    return CheckDone(policy, [y.line for y in years], failures, notes)


@dataclass(frozen=True)
class _CheckWant:
    """The policy and which outputs `ssdocs check` writes."""

    policy: Policy
    all_years: bool
    json: bool
    junit: bool
    markdown: bool
    junit_items: ItemsAs = "skipped"
    changed: frozenset[Path] | None = None  # --changed-since: these files' years are gated too


@dataclass(frozen=True)
class _YearPart:
    """One gated year's share of every output: small things kept, large text spooled by the caller."""

    key: tuple[str, int]  # (the file, resolved; the year): one file named twice is gated once
    order: tuple[str, int]  # (jurisdiction, year)
    failures: list[Failure]
    line: str
    json: str = ""
    junit: str = ""
    junit_counts: dict[str, int] = field(default_factory=dict)
    row: str = ""  # the Markdown summary's
    comparable_items: bool = False
    changes: list[Change] = field(default_factory=list)
    red_lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Gated:
    """A gated year as the outputs need it once every input is valid: its large text (JSON, JUnit)
    in the spools, the rest as it came."""

    part: _YearPart  # with json and junit emptied
    spans: dict[str, Span]


def _gate(paths: list[Path], catalog: Catalog, want: _CheckWant, workers: int | None,
          spools: Spools) -> tuple[list[_Gated], list[str]]:
    """Every gated year of `paths`, in order, its large text spooled; all input problems raised together."""
    problems: list[Problem] = []
    sources: list[tuple[Path, int | None]] = []  # a file, or a jurisdiction of the tree named at index
    for index, path in enumerate(paths):
        if path.is_file():
            sources.append((path, None))
            continue
        try:
            sources += [(folder, index) for folder in jurisdiction_folders(path)]
        except ValidationFailed as exc:
            problems.extend(exc.problems)
    found: list[tuple[int | None, str, Path]] = []  # (the tree, the jurisdiction, its first file)
    gated: dict[tuple[str, int], tuple[tuple[str, int], _Gated]] = {}
    notes: list[str] = []
    summaries = summarise_all([s for s, _ in sources], catalog, functools.partial(_check_part, want),
                              default_workers(len(sources), workers), want.all_years)
    for summary, (_, tree) in zip(summaries, sources, strict=True):
        problems += summary.problems
        notes += summary.notes
        if summary.first is not None:
            found.append((tree, summary.jurisdiction, summary.first))
        if problems:
            continue  # nothing will be written: keep nothing, only look for more problems
        for part in summary.value or []:
            texts = {"json": part.json, "junit": part.junit}
            spans = spools.add(**{name: text for name, text in texts.items() if getattr(want, name)})
            gated[part.key] = (part.order, _Gated(replace(part, json="", junit=""), spans))
    for index in sorted({tree for tree, _, _ in found if tree is not None}):
        problems += duplicate_problems([(j, first) for tree, j, first in found if tree == index])
    if problems:
        raise ValidationFailed(sorted(set(problems)))
    # A file named beside its folder is loaded twice: its notes are said once.
    return [year for _, year in sorted(gated.values(), key=lambda og: og[0])], list(dict.fromkeys(notes))


def _check_part(want: _CheckWant, source: Path, history: History, catalog: Catalog) -> list[_YearPart]:
    """One jurisdiction's gated years summed up for the outputs (in a worker process with -j)."""
    rules = want.policy.rules()
    parts = []
    for year in gate_history(source, history, want.policy, want.all_years, want.changed):
        junit, counts = junit_suite(year, rules, want.junit_items) if want.junit else ("", {})
        markdown = markdown_year(year) if want.markdown else None
        parts.append(_YearPart(
            key=(str(year.entry.path.resolve()), year.entry.result.year),
            order=order_of(year),
            failures=year.failures,
            line=_line(year),
            json=nested(json_text(year_json(year))) if want.json else "",
            junit=junit,
            junit_counts=counts,
            row=markdown.row if markdown else "",
            comparable_items=markdown.comparable_items if markdown else False,
            changes=markdown.changes if markdown else [],
            red_lines=markdown.red_lines if markdown else [],
        ))
    return parts


def _line(year: YearCheck) -> str:
    """The year's line in the terminal: PASS/FAIL, score, grade, change."""
    result = year.entry.result
    score = "—" if result.score is None else f"{result.score:.1f}"
    grade = f" {result.grade_label.zh}" if result.grade_label else ""
    delta = ""
    if year.comparison is not None and year.comparison.overall.delta is not None:
        star = "*" if year.comparison.overall.basis == "comparable-items" else ""
        delta = f" ({year.comparison.overall.delta:+.1f}{star} vs {year.comparison.previous_year})"
    rescored = " [re-scored]" if year.entry.rescored else ""
    return f"{'PASS' if year.passed else 'FAIL'} {year.label}: {score}{grade}{delta}{rescored}"


__all__ = ["CheckDone", "check"]
