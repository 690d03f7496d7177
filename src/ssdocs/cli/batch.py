"""batch: every report of a tree of assessments, with a progress bar and a final summary."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from ssdocs.batch.build import BatchResult, Planned
from ssdocs.batch.build import batch as run_batch
from ssdocs.batch.jobs import parse_shard
from ssdocs.batch.worker import Outcome, RenderOptions
from ssdocs.cli import cli
from ssdocs.cli.options import checklists_option, echo_notes, lang_option
from ssdocs.errors import SsdocsError

BATCH_EXIT_CODES = """\b
Exit codes:
  0  every report was built, or skipped because its inputs are unchanged
  2  an assessment is invalid (its report is not built, every other one is;
     the problems are printed with file:line:column), or bad usage
  3  a report failed unexpectedly: a bug in ssdocs (the traceback is printed)"""


def _shard(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        return parse_shard(value)
    except SsdocsError as exc:
        raise click.BadParameter(str(exc).removeprefix("--shard: ")) from None


@cli.command(epilog=BATCH_EXIT_CODES)
@click.argument("roots", metavar="DIR", nargs=-1, required=True,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder for the reports, index.html, index.csv and the manifest.")
@click.option("-j", "--jobs", "workers", type=click.IntRange(min=1), default=None,
              help="Worker processes, one document each at a time [default: number of cores].")
@click.option("--shard", callback=_shard, metavar="K/N",
              help="Build only shard K of N (1-based); a jurisdiction's years stay in one shard.")
@click.option("--questionnaires", is_flag=True,
              help="Also write each jurisdiction-year's audit questionnaire.")
@click.option("--questionnaire-format", "questionnaire_fmt", type=click.Choice(["pdf", "html", "xlsx"]),
              help="Format of those questionnaires (xlsx: a workbook to fill in Excel or WPS, read back "
                   "with `ssdocs import-xlsx`) [default: the reports' --format].")
@click.option("--format", "fmt", type=click.Choice(["pdf", "html"]), default="pdf", show_default=True,
              help="PDF/A-3b reports, or standalone HTML.")
@lang_option()
@checklists_option
@click.option("--force", is_flag=True, help="Rebuild every report, even those whose inputs are unchanged.")
@click.option("--latest", is_flag=True,
              help="Build only each jurisdiction's latest year (its report still compares it with the "
                   "years before); reports of earlier years already in OUTPUT are kept and indexed.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar (it is also off when not on a terminal).")
@click.option("--allow-missing-fonts", is_flag=True,
              help="Render even without a CJK font (Chinese will show as boxes).")
@click.option("--no-pdfa", is_flag=True, help="Write plain PDFs instead of PDF/A-3b.")
@click.option("--merge", is_flag=True,
              help="DIR... are the output folders of every shard (--shard K/N): put them back together "
                   "into OUTPUT (reports, one manifest, one index); refuses overlapping or missing shards.")
def batch(roots: tuple[Path, ...], output: Path, workers: int | None, shard: tuple[int, int] | None,
          questionnaires: bool, questionnaire_fmt: str | None, fmt: str, lang: str,
          checklist_sources: tuple[Path, ...], force: bool,
          latest: bool, quiet: bool, allow_missing_fonts: bool, no_pdfa: bool, merge: bool) -> None:
    """Build the report of every <jurisdiction>/<year>.yaml under DIR (any depth) into OUTPUT
    (with --merge: put the output folders of every shard back together into OUTPUT).

    Reports are built in parallel worker processes; a report whose inputs (assessment, the years
    beside it, checklists, templates, ssdocs version, options) are unchanged since the last run is
    skipped, by content hash (OUTPUT/.ssdocs-manifest.json). An invalid assessment fails alone.
    OUTPUT/index.html and OUTPUT/index.csv list every jurisdiction: latest year, score, grade,
    change since the year before, failed red lines and links to the reports.
    """
    if merge:
        from ssdocs.batch.merge import merge_shards

        merged = merge_shards(roots, output, lang)
        click.echo(f"Merged {merged.shards} shards: {merged.jobs} jurisdiction-years, {merged.failed} failed.")
        click.echo(f"Index: {merged.index[0]} and {merged.index[1]}")
        sys.exit(2 if merged.failed else 0)
    if len(roots) != 1:
        raise click.UsageError("expected one DIR (several only with --merge)")
    root = roots[0]
    options = RenderOptions(fmt=fmt, lang=lang, questionnaires=questionnaires, pdfa=not no_pdfa,
                            questionnaire_fmt=questionnaire_fmt)
    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("ETA"), TimeRemainingColumn(), console=console,
        disable=quiet or not console.is_terminal, transient=True,
    ) as bar:
        ticker = _Ticker(bar)
        result = run_batch(root, output, workers=workers, shard=shard, options=options, force=force,
                           latest=latest, checklist_sources=checklist_sources, allow_missing_fonts=allow_missing_fonts,
                           progress=ticker)
    _summary(result)
    sys.exit(result.exit_code)


class _Ticker:
    """Feeds the batch's progress events to the rich progress bar."""

    def __init__(self, bar: Progress) -> None:
        self.bar = bar
        self.task: TaskID | None = None
        self.failed = 0

    def __call__(self, event: Planned | Outcome) -> None:
        if isinstance(event, Planned):
            self.task = self.bar.add_task(self._text(), total=event.to_build)
            return
        if event.status != "built":
            self.failed += 1
        if self.task is not None:
            self.bar.update(self.task, advance=1, description=self._text())

    def _text(self) -> str:
        return "生成报告 / Building reports" + (f" (失败 {self.failed} failed)" if self.failed else "")


def _summary(result: BatchResult) -> None:
    """Failures (stderr) with their located reasons, then one line of counts and the index (stdout)."""
    echo_notes([*result.notes, *(note for outcome in result.built for note in outcome.notes)])
    for outcome in result.failed:
        click.secho(f"FAILED {outcome.rel}", fg="red", err=True)
        for line in outcome.message.splitlines():
            click.echo(f"  {line}", err=True)
    for outcome in result.errors:
        click.secho(f"ERROR {outcome.rel} (a bug in ssdocs; please report it with this traceback)",
                    fg="red", err=True)
        click.echo(outcome.message.rstrip(), err=True)
    shard = f", shard {result.shard[0]}/{result.shard[1]}" if result.shard else ""
    latest = " (latest years)" if result.latest else ""
    click.echo(
        f"Built {len(result.built)}, skipped {len(result.skipped)} (unchanged), "
        f"failed {len(result.failed) + len(result.errors)} "
        f"of {result.jobs} jurisdiction-year{'s' if result.jobs != 1 else ''}{latest}{shard} "
        f"in {result.seconds:.1f} s with {result.workers} worker{'s' if result.workers != 1 else ''}."
    )
    if result.index:
        click.echo(f"Index: {result.index[0]} and {result.index[1]}")
