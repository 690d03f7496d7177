"""validate, score, schema: the core commands."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from ssdocs import api
from ssdocs.cli import cli
from ssdocs.cli.options import checklists_option
from ssdocs.errors import ValidationFailed
from ssdocs.models.results import AssessmentResult
from ssdocs.schemas import schema as write_schemas


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@checklists_option
def validate(files: tuple[Path, ...], checklist_sources: tuple[Path, ...]) -> None:
    """Validate checklist and assessment YAML files; print every problem, exit 2 if any."""
    catalog = api.load_checklists_from(checklist_sources)
    problems = api.validate(files, catalog)
    if problems:
        raise ValidationFailed(problems)
    click.echo(f"{len(files)} file{'s' if len(files) != 1 else ''} valid")


@cli.command()
@click.argument("assessment", type=click.Path(path_type=Path))
@checklists_option
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the table's titles.")
def score(assessment: Path, checklist_sources: tuple[Path, ...], as_json: bool, lang: str) -> None:
    """Score an assessment: a table per checklist and section, or JSON with --json."""
    result = api.score(assessment, api.load_checklists_from(checklist_sources))
    if as_json:
        click.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    print_result(result, lang)


def print_result(result: AssessmentResult, lang: str) -> None:
    console = Console(highlight=False, soft_wrap=False)
    name = result.jurisdiction_name.get(lang)
    table = Table(title=f"{name} {result.year}", title_justify="left")
    for header in ("", "score", "grade", "met", "partial", "unmet", "N/A", "waived", "missing"):
        table.add_column(header, justify="left" if not header else "right")
    for checklist in result.checklists:
        table.add_row(*_row(checklist.title.get(lang), checklist.score, checklist.grade, checklist.counts),
                      style="bold")
        for section in checklist.sections:
            table.add_row(*_row("  " + section.title.get(lang), section.score, section.grade, section.counts))
    console.print(table)
    grade = result.grade_label.get(lang) if result.grade_label else "—"
    score_text = "—" if result.score is None else f"{result.score:.1f}"
    console.print(f"overall {score_text}  grade {grade}  completeness {result.completeness:.1f}%")
    if result.critical_failures:
        console.print(f"red lines failed: {', '.join(result.critical_failures)}")
    if result.expired_waivers:
        console.print(f"expired waivers (not counted): {', '.join(result.expired_waivers)}")
    if result.missing:
        console.print(f"missing answers: {len(result.missing)}")


def _row(title: str, score: float | None, grade: str | None, counts: object) -> list[str]:
    from ssdocs.models.results import Counts

    assert isinstance(counts, Counts)
    return [
        title,
        "—" if score is None else f"{score:.1f}",
        grade or "—",
        *(str(getattr(counts, k)) for k in ("met", "partial", "unmet", "na", "waived", "missing")),
    ]


@cli.command()
@click.option("-o", "--output", "folder", type=click.Path(file_okay=False, path_type=Path),
              default=Path("schemas"), show_default=True, help="Folder to write the schemas into.")
def schema(folder: Path) -> None:
    """Write the JSON Schemas of the checklist and assessment formats (for editors)."""
    for path in write_schemas(folder):
        click.echo(str(path))
