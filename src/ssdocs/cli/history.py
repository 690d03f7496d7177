"""trend and check: scores across years, and the CI gate with its reporters."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from ssdocs import api
from ssdocs.cli import cli
from ssdocs.cli.options import checklists_option
from ssdocs.errors import OutputError
from ssdocs.history import Trend, trend_csv, trend_json
from ssdocs.history import trend as build_trend
from ssdocs.history.compare import ScoreChange, YearComparison
from ssdocs.history.gate import check as run_check
from ssdocs.history.loading import History, YearEntry
from ssdocs.history.series import OVERALL
from ssdocs.loading.cache import ResultCache
from ssdocs.models.base import Text
from ssdocs.models.checklist import DEFAULT_GRADES
from ssdocs.outputs.files import write_bytes, write_text
from ssdocs.outputs.json_report import check_json_text
from ssdocs.outputs.junit import junit_xml
from ssdocs.outputs.markdown_summary import markdown_summary
from ssdocs.policy import load_policy
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
def trend(path: Path, checklist_sources: tuple[Path, ...], json_out: str | None, csv_out: str | None,
          svg_out: str | None, lang: str, rescore_with_latest: bool) -> None:
    """Scores per year with deltas: a jurisdiction folder of <year>.yaml, or a tree of them.

    Each year is scored with the checklist versions its file names; deltas use only items that
    are comparable between the two versions (through the checklist's crosswalk).
    """
    catalog = api.load_checklists_from(checklist_sources)
    result = build_trend(path, catalog, rescore_with_latest, ResultCache.for_catalog(list(catalog.values())))
    if json_out:
        emit(json_out, json.dumps(trend_json(result), ensure_ascii=False, indent=2) + "\n")
    if csv_out:
        emit(csv_out, trend_csv(result))
    if svg_out:
        emit(svg_out, trend_svg(result.series(), lang))
    if "-" not in (json_out, csv_out):
        print_trend(result, lang)


def print_trend(result: Trend, lang: str) -> None:
    console = Console(highlight=False, soft_wrap=False, width=max(100, Console().width))
    for history in result.histories:
        years = history.years
        comparisons = {c.year: c for c in result.comparisons[history.jurisdiction]}
        title = f"{history.name.get(lang)} ({history.jurisdiction})"
        if history.rescored:
            console.print(f"{title}: " + ("已按最新检查表重新评分" if lang == "zh"
                                          else "RE-SCORED with the latest checklists"), style="bold yellow")
        table = Table(title=title, title_justify="left")
        table.add_column("")
        for year in years:
            table.add_column(str(year), justify="right")
            if year in comparisons:
                table.add_column("Δ", justify="right")
        starred = False
        for key, name, style in _rows(history, lang):
            cells: list[str] = []
            for entry in history.entries:
                cells.append(_score_cell(entry, key, lang))
                comparison = comparisons.get(entry.result.year)
                if comparison is not None:
                    cell, star = _delta_cell(comparison, key, lang)
                    starred |= star
                    cells.append(cell)
            table.add_row(name, *cells, style=style)
        console.print(table)
        if starred:
            console.print(STAR_NOTE.get(lang))
        for comparison in result.comparisons[history.jurisdiction]:
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
            console.print(f"  {item.id}{renamed}: {item.previous_status} → {item.status} "
                          f"({item.previous_score:.1f} → {item.score:.1f}, {item.delta:+.1f})")
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
def check(paths: tuple[Path, ...], checklist_sources: tuple[Path, ...], config: Path | None,
          fail_under: float | None, max_drop: float | None, no_new_critical: bool | None,
          min_completeness: float | None, all_years: bool, junit_out: str | None, json_out: str | None,
          markdown_out: str | None) -> None:
    """The CI gate: validate and score assessments, then apply the policy.

    PATHS are assessment files or folders (a jurisdiction's <year>.yaml files, or a tree of
    jurisdictions); a folder gates each jurisdiction's latest year. Exit 0 when every rule
    passes, 1 when a rule fails (one line per reason), 2 on invalid input.
    """
    policy = load_policy(config).merged(fail_under=fail_under, max_drop=max_drop,
                                        no_new_critical=no_new_critical, min_completeness=min_completeness)
    catalog = api.load_checklists_from(checklist_sources)
    report = run_check(paths, catalog, policy, all_years, ResultCache.for_catalog(list(catalog.values())))
    if junit_out:
        emit_bytes(junit_out, junit_xml(report))
    if json_out:
        emit(json_out, check_json_text(report))
    if markdown_out:
        emit(markdown_out, markdown_summary(report))
    if json_out == "-" or markdown_out == "-":
        raise SystemExit(0 if report.passed else 1)
    for year in report.years:
        result = year.entry.result
        score = "—" if result.score is None else f"{result.score:.1f}"
        grade = f" {result.grade_label.zh}" if result.grade_label else ""
        delta = ""
        if year.comparison is not None and year.comparison.overall.delta is not None:
            star = "*" if year.comparison.overall.basis == "comparable-items" else ""
            delta = f" ({year.comparison.overall.delta:+.1f}{star} vs {year.comparison.previous_year})"
        rescored = " [re-scored]" if year.entry.rescored else ""
        click.echo(f"{'PASS' if year.passed else 'FAIL'} {year.label}: {score}{grade}{delta}{rescored}")
    if report.passed:
        rules = ", ".join(policy.rules()) or "no policy rules set"
        source = f"; policy from {policy.source}" if policy.source else ""
        click.echo(f"passed: {len(report.years)} checked ({rules}{source})")
        return
    click.echo("")
    for failure in report.failures:
        click.secho(failure.message, fg="red")
    n = len(report.failures)
    click.secho(f"policy failed: {n} reason{'s' if n != 1 else ''}", fg="red")
    raise SystemExit(1)


def emit_bytes(target: str, data: bytes) -> None:
    try:
        write_bytes(Path(target), data)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
