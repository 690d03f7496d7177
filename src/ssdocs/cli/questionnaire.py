"""questionnaire, import-pdf, import-xlsx: audit questionnaires out, filled PDFs and workbooks back in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ssdocs import api
from ssdocs.cli import cli
from ssdocs.cli.options import checklists_option, lang_option
from ssdocs.context.questionnaire import Header, select_checklists
from ssdocs.errors import ValidationFailed
from ssdocs.forms import import_pdf as import_filled_pdf
from ssdocs.pipeline.questionnaire import questionnaire as write_questionnaire  # ssdocs.questionnaire
from ssdocs.render.questionnaire import FORMATS


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(1, round(size / 1024))} KB"


@cli.command()
@click.argument("checklist_ids", nargs=-1, metavar="[CHECKLIST_ID[@VERSION]]...")
@click.option("-o", "--output", "folder", type=click.Path(file_okay=False, path_type=Path),
              default=Path("output"), show_default=True, help="Folder to write into.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="all", show_default=True,
              help="pdf (printable), html (standalone), yaml (answer template + its schema), "
                   "xlsx (workbook for Excel/WPS; read back with `ssdocs import-xlsx`), or all (pdf, html, yaml).")
@click.option("--fillable", is_flag=True,
              help="Also write a fillable PDF (with --format pdf or all); "
                   "read it back with `ssdocs import-pdf`.")
@lang_option()
@click.option("--jurisdiction", "code", metavar="CODE", help="Jurisdiction code, e.g. example-city.")
@click.option("--name-zh", metavar="NAME", help="Jurisdiction name in Chinese, e.g. 示例市.")
@click.option("--name-en", metavar="NAME", help="Jurisdiction name in English, e.g. 'Example City'.")
@click.option("--level", type=click.Choice(["national", "province", "city", "county"]),
              help="Administrative level of the jurisdiction.")
@click.option("--parent", metavar="CODE", help="Code of the parent jurisdiction (上级地区, e.g. the city of a "
                                              "county), for `ssdocs rollup --by-parent`.")
@click.option("--year", type=int, help="Year assessed.")
@click.option("--assessor", metavar="NAME", help="Respondent / assessor named in the header.")
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Date of the assessment (YYYY-MM-DD); the answer template defaults to today.")
@checklists_option
@click.option("--allow-missing-fonts", is_flag=True, help="Render even if no Chinese font is installed.")
def questionnaire(checklist_ids: tuple[str, ...], folder: Path, fmt: str, fillable: bool, lang: str,
                  code: str | None, name_zh: str | None, name_en: str | None, level: str | None, parent: str | None,
                  year: int | None, assessor: str | None, on: dt.datetime | None,
                  checklist_sources: tuple[Path, ...], allow_missing_fonts: bool) -> None:
    """Write audit questionnaires: printable PDF, standalone HTML, answer-template YAML, fillable PDF.

    Without CHECKLIST_IDs, every shipped checklist goes into one questionnaire (latest versions).
    The header options fill the cover page and the answer template's header.
    """
    catalog = api.load_checklists_from(checklist_sources)
    checklists = select_checklists(catalog, checklist_ids)
    header = Header(code=code, name_zh=name_zh, name_en=name_en, level=level,  # type: ignore[arg-type]
                    parent=parent, year=year, assessor=assessor, date=on.date() if on else None)
    written = write_questionnaire(checklists, folder, fmt=fmt, fillable=fillable,  # type: ignore[arg-type]
                                  lang=lang, header=header,  # type: ignore[arg-type]
                                  allow_missing_fonts=allow_missing_fonts)
    for item in written:
        click.echo(f"wrote {item.kind}: {item.path} ({_size(item.path)})")


@cli.command("import-pdf")
@click.argument("pdf", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "target", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Assessment YAML to write.")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@checklists_option
def import_pdf(pdf: Path, target: Path, force: bool, checklist_sources: tuple[Path, ...]) -> None:
    """Read a filled fillable questionnaire PDF into an assessment YAML, then validate it.

    Fields that cannot be mapped to an item are listed; problems are reported located in the YAML
    written (which is kept, to be fixed by hand), with exit code 2.
    """
    catalog = api.load_checklists_from(checklist_sources)
    result = import_filled_pdf(pdf, target, catalog, force=force)
    for unmapped in result.unmapped:
        click.echo(f"warning: field not imported: {unmapped}", err=True)
    click.echo(f"wrote {result.target} ({result.answered} answer{'s' if result.answered != 1 else ''}"
               + (f", {len(result.unmapped)} field{'s' if len(result.unmapped) != 1 else ''} not imported"
                  if result.unmapped else "") + ")")
    if result.problems:
        raise ValidationFailed(result.problems)


@cli.command("import-xlsx")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "target", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Assessment YAML to write.")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@checklists_option
def import_xlsx(workbook: Path, target: Path, force: bool, checklist_sources: tuple[Path, ...]) -> None:
    """Read a filled xlsx questionnaire (`questionnaire --format xlsx`) into an assessment YAML.

    Every problem is printed as FILE:Sheet!Cell: message, all at once, with exit code 2; nothing
    is written then. Formulas, macros (.xlsm), links to other files and oversized workbooks are refused.
    """
    from ssdocs.forms.workbook import import_xlsx as import_filled_xlsx

    catalog = api.load_checklists_from(checklist_sources)
    result = import_filled_xlsx(workbook, target, catalog, force=force)
    click.echo(f"wrote {result.target} ({result.answered} answer{'s' if result.answered != 1 else ''})")
