"""trend and check: scores across years, and the CI gate with its reporters."""

from __future__ import annotations

import functools
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from ssdocs import api
from ssdocs.cli import cli
from ssdocs.cli.options import F, checklists_option
from ssdocs.core.files import Span, Spool, write_chunks, write_text
from ssdocs.errors import OutputError, Problem, ValidationFailed
from ssdocs.history.compare import ScoreChange, YearComparison, compare_history
from ssdocs.history.export import csv_header, csv_rows, json_text, jurisdiction_json, nested, trend_json_around
from ssdocs.history.gate import Failure, YearCheck, gate_history, order_of
from ssdocs.history.loading import History, YearEntry, duplicate_problems, jurisdiction_folders
from ssdocs.history.rescore import rescore_with_latest
from ssdocs.history.series import OVERALL, Series, series_of
from ssdocs.history.tree import SMALL_TREE, Summary, default_workers, problems_of, summarise_all
from ssdocs.loading.checklists import Catalog
from ssdocs.models.base import Text
from ssdocs.models.checklist import DEFAULT_GRADES
from ssdocs.outputs.json_report import check_json_around, year_json
from ssdocs.outputs.junit import junit_around, junit_suite
from ssdocs.outputs.markdown_summary import Change, biggest, markdown_document, markdown_year
from ssdocs.policy import Policy, load_policy
from ssdocs.render.trend_chart import trend_svg
from ssdocs.scoring.aggregate import label_of

NOT_COMPARABLE = Text(zh="不可比", en="n/c")
STAR_NOTE = Text(zh="* 仅比较两年共有的可比检查项（检查表版本不同）",
                 en="* compared on the items both years share (checklist versions differ)")


def emit(target: str, text: str) -> None:
    """Write an output to a file (atomically) or to stdout for '-'."""
    if target == "-":
        click.echo(text, nl=not text.endswith("\n"))
        return
    try:
        write_text(Path(target), text)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None


def jobs_option(func: F) -> F:
    """-j/--jobs: worker processes for a tree of jurisdictions."""
    return click.option(
        "-j", "--jobs", "workers", type=click.IntRange(min=1), default=None,
        help=f"Worker processes for a tree of jurisdictions [default: number of cores; one process "
             f"for fewer than {SMALL_TREE} jurisdictions]. The output is the same for any number.",
    )(func)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@checklists_option
@click.option("--json", "json_out", metavar="FILE|-", help="Write the trend as JSON ('-': stdout).")
@click.option("--csv", "csv_out", metavar="FILE|-", help="Write one CSV row per year and score.")
@click.option("--svg", "svg_out", metavar="FILE", help="Write the trend chart as SVG.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the table and chart.")
@click.option("--rescore-with-latest", is_flag=True,
              help="Re-score past years with the latest checklist versions (labelled as re-scored).")
@jobs_option
def trend(path: Path, checklist_sources: tuple[Path, ...], json_out: str | None, csv_out: str | None,
          svg_out: str | None, lang: str, rescore_with_latest: bool, workers: int | None) -> None:
    """Scores per year with deltas: a jurisdiction folder of <year>.yaml, or a tree of them.

    Each year is scored with the checklist versions its file names; deltas use only items that
    are comparable between the two versions (through the checklist's crosswalk).
    """
    catalog = api.load_checklists_from(checklist_sources)
    sources = jurisdiction_folders(path)
    console = Console(highlight=False, soft_wrap=False, width=max(100, Console().width))
    want = _TrendWant(table="-" not in (json_out, csv_out), json=bool(json_out), csv=bool(csv_out),
                      lang=lang, rescore=rescore_with_latest, width=console.width,
                      terminal=console.is_terminal, colours=console.color_system)
    spools = _Spools()
    try:
        kept: list[tuple[str, dict[str, Span], _TrendPart]] = []  # (jurisdiction, where its text is, the rest)
        summaries: list[Summary[None]] = []
        for summary in summarise_all(sources, catalog, functools.partial(_trend_part, want),
                                     default_workers(len(sources), workers)):
            summaries.append(Summary(summary.source, None, summary.problems, summary.jurisdiction, summary.first))
            part = summary.value
            if part is None or any(s.problems for s in summaries):
                continue  # nothing will be written: keep nothing, only look for more problems
            texts = {"table": part.table, "json": part.json, "csv": part.csv}
            spans = spools.add(**{name: text for name, text in texts.items() if getattr(want, name)})
            kept.append((summary.jurisdiction, spans, replace(part, table="", json="", csv="")))
        problems = problems_of(summaries)
        if problems:
            raise ValidationFailed(problems)
        kept.sort(key=lambda k: k[0])
        parts = [part for _, _, part in kept]
        rescored = any(p.rescored for p in parts)
        if json_out:
            before, after = trend_json_around(rescored, bool(kept))
            emit_chunks(json_out, spools.read("json", [s["json"] for _, s, _ in kept], before, ",\n", after))
        if csv_out:
            emit_chunks(csv_out, spools.read("csv", [s["csv"] for _, s, _ in kept], csv_header()))
        if svg_out:
            emit(svg_out, trend_svg(parts[0].series if len(parts) == 1 else [p.overall for p in parts], lang))
        if want.table:
            for chunk in spools.read("table", [s["table"] for _, s, _ in kept]):
                click.echo(chunk, nl=False)
    finally:
        spools.close()


class _Spools:
    """One Spool per output, opened when first written to."""

    def __init__(self) -> None:
        self.spools: dict[str, Spool] = {}

    def add(self, **texts: str) -> dict[str, Span]:
        return {name: self._spool(name).write(text) for name, text in texts.items()}

    def read(self, name: str, spans: list[Span], before: str = "", separator: str = "",
             after: str = "") -> Iterator[bytes]:
        return self._spool(name).read(spans, before, separator, after)

    def _spool(self, name: str) -> Spool:
        if name not in self.spools:
            self.spools[name] = Spool()
        return self.spools[name]

    def close(self) -> None:
        for spool in self.spools.values():
            spool.close()


def emit_chunks(target: str, chunks: Iterable[bytes]) -> None:
    """Write an output given in blocks to a file (atomically) or to stdout for '-'."""
    if target == "-":
        for chunk in chunks:
            click.echo(chunk, nl=False)
        return
    try:
        write_chunks(Path(target), chunks)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None


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


def print_history(console: Console, history: History, comparisons: list[YearComparison], lang: str) -> None:
    """One jurisdiction's table of scores and deltas, then what changed."""
    years = history.years
    by_year = {c.year: c for c in comparisons}
    title = f"{history.name.get(lang)} ({history.jurisdiction})"
    if history.rescored:
        console.print(f"{title}: " + ("已按最新检查表重新评分" if lang == "zh"
                                      else "RE-SCORED with the latest checklists"), style="bold yellow")
    table = Table(title=title, title_justify="left")
    table.add_column("")
    for year in years:
        table.add_column(str(year), justify="right")
        if year in by_year:
            table.add_column("Δ", justify="right")
    starred = False
    for key, name, style in _rows(history, lang):
        cells: list[str] = []
        for entry in history.entries:
            cells.append(_score_cell(entry, key, lang))
            comparison = by_year.get(entry.result.year)
            if comparison is not None:
                cell, star = _delta_cell(comparison, key, lang)
                starred |= star
                cells.append(cell)
        table.add_row(name, *cells, style=style)
    console.print(table)
    if starred:
        console.print(STAR_NOTE.get(lang))
    for comparison in comparisons:
        _print_changes(console, comparison, lang)
    for entry in history.entries:
        for note in entry.rescore_notes:
            console.print(f"{entry.result.year} re-scored: {note}")


def _rows(history: History, lang: str) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = [("overall", OVERALL.get(lang), "bold")]
    seen: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for result in history.results:
        for checklist in result.checklists:
            sections = seen.setdefault(checklist.id, (checklist.title.get(lang), []))[1]
            for section in checklist.sections:
                key = f"{checklist.id}/{section.id}"
                if key not in [k for k, _ in sections]:
                    sections.append((key, section.title.get(lang)))
    for ident, (title, sections) in seen.items():
        rows.append((ident, title, "bold"))
        rows += [(key, "  " + name, "") for key, name in sections]
    return rows


def _score_cell(entry: YearEntry, key: str, lang: str) -> str:
    result = entry.result
    score: float | None = None
    grade: str | None = None
    if key == "overall":
        score, grade = result.score, result.grade_label.get(lang) if result.grade_label else None
    else:
        ident, _, section = key.partition("/")
        checklist = next((c for c in result.checklists if c.id == ident), None)
        if checklist is not None and not section:
            score, grade = checklist.score, checklist.grade
        elif checklist is not None:
            found = next((s for s in checklist.sections if s.id == section), None)
            score, grade = (found.score, found.grade) if found else (None, None)
        rules = next((c for c in entry.checklists if c.id == ident), None)
        label = label_of(rules.scoring.grades if rules else list(DEFAULT_GRADES), grade)
        grade = label.get(lang) if label else grade
    if score is None:
        return "—"
    return f"{score:.1f} {grade or ''}".strip()


def _delta_cell(comparison: YearComparison, key: str, lang: str) -> tuple[str, bool]:
    changes = {c.key: c for c in [comparison.overall, *comparison.checklists, *comparison.sections]}
    change: ScoreChange | None = changes.get(key)
    if change is None:
        return "", False
    if change.delta is None:
        return (NOT_COMPARABLE.get(lang) if change.current is not None or change.previous is not None else ""), False
    star = change.basis == "comparable-items"
    colour = "red" if change.delta < 0 else "green" if change.delta > 0 else ""
    text = f"{change.delta:+.1f}" + ("*" if star else "")
    return (f"[{colour}]{text}[/{colour}]" if colour else text), star


def _print_changes(console: Console, comparison: YearComparison, lang: str) -> None:
    head = f"{comparison.previous_year} → {comparison.year}"
    zh = lang == "zh"
    if comparison.worse:
        console.print(f"{head} " + ("变差的检查项：" if zh else "items that got worse:"))
        for item in comparison.worse:
            renamed = f" (← {item.previous_id})" if item.previous_id and item.previous_id != item.id else ""
            if item.delta is not None and item.previous_score is not None and item.score is not None:
                console.print(f"  {item.id}{renamed}: {item.previous_status} → {item.status} "
                              f"({item.previous_score:.1f} → {item.score:.1f}, {item.delta:+.1f})")
                continue
            expired = (" (豁免已过期)" if zh else " (waiver expired)") if item.waiver_expired else ""
            now = "—" if item.score is None else f"{item.score:.1f}"
            console.print(f"  {item.id}{renamed}: {item.previous_status} → {item.status}{expired} (— → {now})")
    if comparison.red_lines_new:
        console.print(f"{head} " + ("新增未达标红线：" if zh else "red lines newly failed: ")
                      + ", ".join(comparison.red_lines_new), style="red")
    if comparison.red_lines_fixed:
        console.print(f"{head} " + ("已纠正的红线：" if zh else "red lines fixed: ")
                      + ", ".join(comparison.red_lines_fixed), style="green")
    for change in [comparison.overall, *comparison.checklists, *comparison.sections]:
        if change.basis == "comparable-items" and change.previous is not None and change.current is not None:
            reason = f" — {change.reason.get(lang)}" if change.reason else ""
            console.print(f"{head} * {_name(change, lang)}: {change.previous:.1f} → {change.current:.1f} "
                          f"({change.delta:+.1f}){reason}")
    missing = comparison.not_comparable
    if missing:
        console.print(f"{head} " + ("不可比的检查项：" if zh else "items not comparable:"))
        for item in missing:
            console.print(f"  {item.id}: {item.reason.get(lang) if item.reason else ''}")



def _name(change: ScoreChange, lang: str) -> str:
    return change.key if "/" in change.key else change.name.get(lang)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@checklists_option
@click.option("--config", "config", type=click.Path(path_type=Path), metavar="FILE",
              help="Policy file (ssdocs.toml, or pyproject.toml with [tool.ssdocs.check]); "
                   "default: the one in the current folder.")
@click.option("--fail-under", type=click.FloatRange(0, 100), metavar="SCORE",
              help="Fail when an overall score is below SCORE (0-100).")
@click.option("--max-drop", type=click.FloatRange(0, 100), metavar="POINTS",
              help="Fail when the overall score fell more than POINTS since the previous year.")
@click.option("--no-new-critical/--allow-new-critical", default=None,
              help="Fail when a red line (critical item) fails that did not fail the previous year.")
@click.option("--min-completeness", type=click.FloatRange(0, 100), metavar="PCT",
              help="Fail when less than PCT percent of the items are answered.")
@click.option("--all-years", is_flag=True,
              help="For folders, gate every year, not only each jurisdiction's latest.")
@click.option("--junit", "junit_out", metavar="FILE", help="Write a JUnit XML report (one testcase per item).")
@click.option("--json", "json_out", metavar="FILE|-", help="Write the results as JSON ('-': stdout).")
@click.option("--markdown", "markdown_out", metavar="FILE|-",
              help="Write a Markdown summary (e.g. to $GITHUB_STEP_SUMMARY).")
@jobs_option
def check(paths: tuple[Path, ...], checklist_sources: tuple[Path, ...], config: Path | None,
          fail_under: float | None, max_drop: float | None, no_new_critical: bool | None,
          min_completeness: float | None, all_years: bool, junit_out: str | None, json_out: str | None,
          markdown_out: str | None, workers: int | None) -> None:
    """The CI gate: validate and score assessments, then apply the policy.

    PATHS are assessment files or folders (a jurisdiction's <year>.yaml files, or a tree of
    jurisdictions); a folder gates each jurisdiction's latest year. Exit 0 when every rule
    passes, 1 when a rule fails (one line per reason), 2 on invalid input.
    """
    policy = load_policy(config).merged(fail_under=fail_under, max_drop=max_drop,
                                        no_new_critical=no_new_critical, min_completeness=min_completeness)
    catalog = api.load_checklists_from(checklist_sources)
    want = _CheckWant(policy, all_years, json=bool(json_out), junit=bool(junit_out), markdown=bool(markdown_out))
    spools = _Spools()
    try:
        gated = _gate(paths, catalog, want, workers, spools)
        years = [g.part for g in gated]
        failures = [f for year in years for f in year.failures]
        if junit_out:
            totals = {k: sum(y.junit_counts[k] for y in years) for k in ("tests", "failures", "errors")}
            before, after = junit_around(totals, bool(years))
            emit_chunks(junit_out, spools.read("junit", [g.spans["junit"] for g in gated], before + "\n  ",
                                               "\n  ", after) if years else iter([before.encode("utf-8")]))
        if json_out:
            before, after = check_json_around(policy, failures, bool(years))
            emit_chunks(json_out, spools.read("json", [g.spans["json"] for g in gated], before, ",\n", after))
        if markdown_out:
            changes: list[Change] = []
            for year in years:
                changes = biggest(changes + year.changes)
            emit(markdown_out, markdown_document(
                policy, failures, [y.row for y in years], any(y.comparable_items for y in years),
                changes, [line for y in years for line in y.red_lines]))
    finally:
        spools.close()
    if json_out == "-" or markdown_out == "-":
        raise SystemExit(0 if not failures else 1)
    for year in years:
        click.echo(year.line)
    if not failures:
        rules = ", ".join(policy.rules()) or "no policy rules set"
        source = f"; policy from {policy.source}" if policy.source else ""
        click.echo(f"passed: {len(years)} checked ({rules}{source})")
        return
    click.echo("")
    for failure in failures:
        click.secho(failure.message, fg="red")
    n = len(failures)
    click.secho(f"policy failed: {n} reason{'s' if n != 1 else ''}", fg="red")
    raise SystemExit(1)


@dataclass(frozen=True)
class _CheckWant:
    """The policy and which outputs `ssdocs check` writes."""

    policy: Policy
    all_years: bool
    json: bool
    junit: bool
    markdown: bool


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


def _gate(paths: tuple[Path, ...], catalog: Catalog, want: _CheckWant, workers: int | None,
          spools: _Spools) -> list[_Gated]:
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
    summaries = summarise_all([s for s, _ in sources], catalog, functools.partial(_check_part, want),
                              default_workers(len(sources), workers))
    for summary, (_, tree) in zip(summaries, sources, strict=True):
        problems += summary.problems
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
    return [year for _, year in sorted(gated.values(), key=lambda og: og[0])]


def _check_part(want: _CheckWant, source: Path, history: History, catalog: Catalog) -> list[_YearPart]:
    """One jurisdiction's gated years summed up for the outputs (in a worker process with -j)."""
    rules = want.policy.rules()
    parts = []
    for year in gate_history(source, history, want.policy, want.all_years):
        junit, counts = junit_suite(year, rules) if want.junit else ("", {})
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

