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
from ssdocs.models.base import Text
from ssdocs.models.results import AssessmentResult, Counts
from ssdocs.schemas import schema as write_schemas


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@checklists_option
def validate(files: tuple[Path, ...], checklist_sources: tuple[Path, ...]) -> None:
    """Validate checklist and assessment YAML files; print every problem, exit 2 if any."""
    # The shipped checklists are loaded only if an assessment needs them, so validating a checklist
    # being written does not depend on the others.
    catalog = api.load_checklists_from(checklist_sources) if checklist_sources else None
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


HEADERS = {
    "zh": ("", "得分", "等级", "符合", "部分", "不符合", "不适用", "豁免", "未答"),
    "en": ("", "score", "grade", "met", "partial", "unmet", "N/A", "waived", "missing"),
}


def print_result(result: AssessmentResult, lang: str) -> None:
    console = Console(highlight=False, soft_wrap=False)
    name = result.jurisdiction_name.get(lang)
    table = Table(title=f"{name} {result.year}", title_justify="left")
    headers = HEADERS[lang]
    for i, header in enumerate(headers):
        table.add_column(header, justify="left" if i == 0 else "right")
    for checklist in result.checklists:
        table.add_row(*_row(checklist.title.get(lang), checklist.score, checklist.grade_label, lang,
                            checklist.counts), style="bold")
        for section in checklist.sections:
            table.add_row(*_row("  " + section.title.get(lang), section.score, section.grade_label, lang,
                                section.counts))
    console.print(table)
    words = SUMMARY[lang]
    grade = result.grade_label.get(lang) if result.grade_label else "—"
    score_text = "—" if result.score is None else f"{result.score:.1f}"
    caps = {c.title.get(lang): c.critical_cap_label.get(lang) if c.critical_cap_label else c.critical_cap
            for c in result.checklists}
    if len(set(caps.values())) == 1:
        console.print(words["cap"] + words["every"].format(cap=next(iter(caps.values()))))
    else:
        console.print(words["cap"] + "; ".join(f"{title} → {cap}" for title, cap in caps.items()))
    console.print(words["overall"].format(score=score_text, grade=grade, completeness=result.completeness))
    for key, ids in (("red", result.critical_failures), ("expired", result.expired_waivers)):
        if ids:
            console.print(words[key] + ", ".join(ids))
    if result.missing:
        console.print(words["missing"].format(n=len(result.missing)))


SUMMARY = {
    "zh": {
        "overall": "总分 {score}  等级 {grade}  完整度 {completeness:.1f}%",
        "cap": "红线未通过时等级上限：",
        "every": "{cap}（各检查表）",
        "red": "未守住的红线：",
        "expired": "已过期的豁免（不再计入）：",
        "missing": "未答题数：{n}",
    },
    "en": {
        "overall": "overall {score}  grade {grade}  completeness {completeness:.1f}%",
        "cap": "grade cap when a red line fails: ",
        "every": "{cap} (every checklist)",
        "red": "red lines failed: ",
        "expired": "expired waivers (not counted): ",
        "missing": "missing answers: {n}",
    },
}


def _row(title: str, score: float | None, grade: Text | None, lang: str, counts: Counts) -> list[str]:
    return [
        title,
        "—" if score is None else f"{score:.1f}",
        grade.get(lang) if grade else "—",
        *(str(getattr(counts, k)) for k in ("met", "partial", "unmet", "na", "waived", "missing")),
    ]


@cli.command()
@click.option("-o", "--output", "folder", type=click.Path(file_okay=False, path_type=Path),
              default=Path("schemas"), show_default=True, help="Folder to write the schemas into.")
def schema(folder: Path) -> None:
    """Write the JSON Schemas of the checklist and assessment formats (for editors)."""
    for path in write_schemas(folder):
        click.echo(str(path))
