"""The `lint` command: check checklists' quotes against the paper, and their quality."""

from __future__ import annotations

from pathlib import Path

import click

from ssdocs import lint as linting
from ssdocs.cli import cli
from ssdocs.errors import ValidationFailed


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--paper", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=f"The paper's text file. Default: ${linting.PAPER_ENV}, else "
                   f"../shared/paper/{linting.PAPER_NAME} next to the repository.")
def lint(paths: tuple[Path, ...], paper: Path | None) -> None:
    """Check that every source quote of the checklists (files or folders; default: the shipped
    ones) is verbatim in the paper, in the part it names, plus quality checks (guidance length,
    duplicate questions, gaps between number bands, …). Exit 2 with every problem if any.

    Without --paper and with no paper found, the check is skipped (exit 0)."""
    explicit = paper is not None
    if paper is None:
        paper, explicit = linting.default_paper()
    if paper is None:
        click.echo(f"lint skipped: paper not found (pass --paper PATH or set {linting.PAPER_ENV})")
        return
    report = linting.lint(list(paths) or None, paper)
    if report.problems:
        if report.notes:
            click.echo("\n".join(report.notes))  # what the basis register and the paper map counted
        raise ValidationFailed(report.problems)
    click.echo(f"{report.files} checklist file{'s' if report.files != 1 else ''}, "
               f"{report.quotes} quote{'s' if report.quotes != 1 else ''} checked against {report.paper}: "
               "no problems")
    click.echo("\n".join([*report.notes, *report.skipped]))  # counts, or why a register was not checked
