"""report, extract, doctor: the commands for scored reports."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ssdocs.cli import cli
from ssdocs.cli.options import checklists_option, echo_notes, lang_option


@cli.command()
@click.argument("assessment", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder to write the report into.")
@click.option("--format", "fmt", type=click.Choice(["pdf", "html"]), default="pdf", show_default=True,
              help="PDF (archival, with the inputs embedded) or one standalone HTML file.")
@lang_option()
@click.option("--history", type=click.Path(exists=True, path_type=Path),
              help="Folder of earlier <year>.yaml files of this jurisdiction (default: the files "
                   "beside ASSESSMENT).")
@checklists_option
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the action-plan CSV here (default: <jurisdiction>-<year>-actions.csv "
                   "next to the report).")
@click.option("--allow-missing-fonts", is_flag=True,
              help="Render even without a CJK font (Chinese will show as boxes).")
@click.option("--no-pdfa", is_flag=True, help="Write a plain PDF instead of PDF/A-3b.")
def report(assessment: Path, output: Path, fmt: str, lang: str, history: Path | None,
           checklist_sources: tuple[Path, ...], csv_path: Path | None, allow_missing_fonts: bool,
           no_pdfa: bool) -> None:
    """Render the scored report of ASSESSMENT (PDF/A-3b by default, or HTML) and its action plan CSV.

    ASSESSMENT must be valid; an invalid earlier year beside it (or under --history) is left out
    with a warning, and the change is computed against the latest valid year before.
    """
    from ssdocs.pipeline.report import report as build_report  # ssdocs.report

    written = build_report(assessment, output, fmt=fmt, lang=lang,  # type: ignore[arg-type]
                           history=history, checklist_sources=checklist_sources,
                           allow_missing_fonts=allow_missing_fonts, pdfa=not no_pdfa, csv_path=csv_path)
    echo_notes(written.notes)
    for path in written:
        click.echo(str(path))


@cli.command()
@click.argument("pdf", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Folder to write the embedded files into.")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
def extract(pdf: Path, output: Path, force: bool) -> None:
    """Recover the assessment and checklist files embedded in a report PDF."""
    from ssdocs.render.extract import extract as extract_files

    for path in extract_files(pdf, output, force=force):
        click.echo(str(path))


@cli.command()
def doctor() -> None:
    """Check what rendering needs (fonts, WeasyPrint, HarfBuzz); exit 2 if something required is missing."""
    from ssdocs.render.doctor import doctor as run_checks

    failed = False
    for check in run_checks():
        if check.ok:
            click.echo(f"OK       {check.name}: {check.detail}")
            continue
        label = "MISSING " if check.required else "OPTIONAL"
        failed = failed or check.required
        click.echo(f"{label} {check.name}: {check.detail} -> {check.fix}")
    if failed:
        click.echo("Some required pieces are missing; install them and run `ssdocs doctor` again.", err=True)
        sys.exit(2)
    click.echo("Everything reports need is installed.")
