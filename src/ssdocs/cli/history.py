"""trend and check: thin shells over `ssdocs.trend` and `ssdocs.check` (ssdocs.pipeline)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

import click
from rich.console import Console

from ssdocs.cli import cli
from ssdocs.cli.options import F, checklists_option, echo_notes
from ssdocs.history.tree import SMALL_TREE
from ssdocs.pipeline.check import CheckDone
from ssdocs.pipeline.check import check as run_check
from ssdocs.pipeline.outputs import STDOUT
from ssdocs.pipeline.trend import trend as run_trend
from ssdocs.policy import load_policy


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
    are comparable between the two versions (through the checklist's crosswalk). Each
    jurisdiction's latest year must be valid; an invalid earlier year is left out with a warning.
    """
    console = Console(highlight=False, soft_wrap=False, width=max(100, Console().width))
    done = run_trend(path, checklist_sources=checklist_sources, json=json_out, csv=csv_out, svg=svg_out,
                     table=STDOUT not in (json_out, csv_out), lang=lang, rescore=rescore_with_latest,
                     workers=workers, stream=_stdout(), width=console.width,
                     terminal=console.is_terminal, colours=console.color_system)
    echo_notes(done.notes)


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
    jurisdictions); a folder gates each jurisdiction's latest year, which must be valid (an invalid
    earlier year is left out with a warning, and the comparison uses the latest valid year before).
    Exit 0 when every rule passes, 1 when a rule fails (one line per reason), 2 on invalid input.
    """
    policy = load_policy(config).merged(fail_under=fail_under, max_drop=max_drop,
                                        no_new_critical=no_new_critical, min_completeness=min_completeness)
    done = run_check(paths, policy, checklist_sources=checklist_sources, all_years=all_years, junit=junit_out,
                     json=json_out, markdown=markdown_out, workers=workers,
                     stream=_stdout())
    echo_notes(done.notes)
    if STDOUT not in (json_out, markdown_out):
        print_verdict(done)
    raise SystemExit(0 if done.passed else 1)


def print_verdict(done: CheckDone) -> None:
    """One line per gated year, then the reasons of every failure, or that everything passed."""
    for line in done.lines:
        click.echo(line)
    if done.passed:
        rules = ", ".join(done.policy.rules()) or "no policy rules set"
        source = f"; policy from {done.policy.source}" if done.policy.source else ""
        click.echo(f"passed: {len(done.lines)} checked ({rules}{source})")
        return
    click.echo("")
    for failure in done.failures:
        click.secho(failure.message, fg="red")
    n = len(done.failures)
    click.secho(f"policy failed: {n} reason{'s' if n != 1 else ''}", fg="red")


def _stdout() -> BinaryIO:
    """Standard output for the outputs written to '-' (bytes: the spools hold UTF-8)."""
    sys.stdout.flush()
    return sys.stdout.buffer
