"""The audit questionnaire, top to bottom: checklists -> context -> render (PDF, fillable PDF, HTML)
-> write, with the answer template and its schema.

`questionnaire()` is `ssdocs.questionnaire` and `ssdocs questionnaire`; `year_questionnaire()` the
one a batch writes beside each report.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ssdocs.answer_template import SCHEMA_REF, write_answer_template
from ssdocs.context.questionnaire import Header, Lang, QuestionnaireContext, questionnaire_context
from ssdocs.core.files import write_bytes, write_text
from ssdocs.errors import OutputError
from ssdocs.history.loading import YearEntry
from ssdocs.models.checklist import Checklist
from ssdocs.render.fonts import check_cjk_font
from ssdocs.render.questionnaire import Format, questionnaire_pdf, render_questionnaire_html
from ssdocs.schemas import json_schemas


@dataclass(frozen=True)
class Written:
    """One file `questionnaire()` wrote and what it is."""

    kind: str
    path: Path


def _stem(checklists: Sequence[Checklist]) -> str:
    if len(checklists) == 1:
        return f"questionnaire-{checklists[0].id}"
    return "questionnaire"


def questionnaire(checklists: Sequence[Checklist], folder: Path | str, *, fmt: Format = "all",
                  fillable: bool = False, lang: Lang = "zh", header: Header | None = None,
                  today: dt.date | None = None, allow_missing_fonts: bool = False) -> list[Written]:
    """Write the questionnaire for `checklists` into `folder`: PDF, HTML, answer-template YAML or xlsx.

    File names come from checklist ids (slugs): `questionnaire-<id>.pdf` for one checklist,
    `questionnaire.pdf` for several; `-fillable` and `-<lang>` are added when they apply. `all` is
    PDF, HTML and YAML; the xlsx workbook is written only when asked for.
    """
    if not checklists:
        raise OutputError("no checklists to make a questionnaire from")
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file; expected a folder to write the questionnaire into")
    header = header or Header()
    chosen = list(checklists)
    suffix = "" if lang == "zh" else f"-{lang}"
    stem = _stem(chosen) + suffix
    written: list[Written] = []
    wants = {"pdf", "html", "yaml"} if fmt == "all" else {fmt}
    if wants & {"pdf", "html"}:
        check_cjk_font(allow_missing=allow_missing_fonts)
    if "pdf" in wants:
        context = questionnaire_context(chosen, header, lang, fillable=False, today=today)
        written.append(Written("pdf", write_bytes(folder / f"{stem}.pdf", questionnaire_pdf(context))))
    if "pdf" in wants and fillable:
        context = questionnaire_context(chosen, header, lang, fillable=True, today=today)
        fillable_pdf = questionnaire_pdf(context)
        written.append(Written("fillable pdf", write_bytes(folder / f"{stem}-fillable.pdf", fillable_pdf)))
    if "html" in wants:
        context = questionnaire_context(chosen, header, lang, fillable=False, today=today)
        written.append(Written("html", write_text(folder / f"{stem}.html", render_questionnaire_html(context))))
    if "xlsx" in wants:
        context = questionnaire_context(chosen, header, lang, fillable=True, today=today)
        written.append(Written("xlsx", write_questionnaire_xlsx(context, folder / f"{stem}.xlsx")))
    if "yaml" in wants:
        target = folder / f"{_stem(chosen).replace('questionnaire', 'answers', 1)}{suffix}.yaml"
        written.append(Written("answer template",
                               write_answer_template(chosen, header, target, lang, today=today,
                                                     schema_ref=SCHEMA_REF)))
        # The template's `$schema` comment names this file, so editors check the answers as one types.
        schema = json.dumps(json_schemas()["assessment"], ensure_ascii=False, indent=2) + "\n"
        written.append(Written("schema", write_text(folder / SCHEMA_REF, schema)))
    return written


def write_questionnaire_xlsx(context: QuestionnaireContext, target: Path | str) -> Path:
    """The xlsx questionnaire of `context`, written (atomically) at `target`."""
    from ssdocs.render.workbook import render_workbook

    return write_bytes(target, render_workbook(context))


def year_questionnaire(year: YearEntry, folder: Path, fmt: str, lang: Lang) -> Path:
    """The questionnaire of the checklists one jurisdiction-year answers, headed with it (PDF, HTML or xlsx)."""
    a = year.assessment
    header = Header(code=a.jurisdiction.code, name_zh=a.jurisdiction.name.zh, name_en=a.jurisdiction.name.en,
                    level=a.jurisdiction.level, year=a.year, parent=a.jurisdiction.parent,
                    insured=a.jurisdiction.insured, population=a.jurisdiction.population)
    context = questionnaire_context(year.checklists, header, lang, today=a.date)
    target = folder / f"{a.jurisdiction.code.lower()}-{a.year}-questionnaire.{fmt}"
    if fmt == "pdf":
        return write_bytes(target, questionnaire_pdf(context))
    if fmt == "xlsx":
        return write_questionnaire_xlsx(context, target)
    return write_text(target, render_questionnaire_html(context))


__all__ = ["Written", "questionnaire", "write_questionnaire_xlsx", "year_questionnaire"]
