"""The scored report: assessment YAML -> scores -> context -> HTML -> PDF (or standalone HTML) + CSV.

`report()` reads top to bottom, one private helper per step; it returns the paths it wrote.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from markupsafe import Markup

from ssdocs import __version__
from ssdocs.context.labels import EVIDENCE_KINDS, PAPER_SECTIONS
from ssdocs.context.report import ReportContext, build_report_context
from ssdocs.core.files import write_bytes, write_text
from ssdocs.core.names import output_path, safe_name
from ssdocs.errors import OutputError, Problem, ValidationFailed
from ssdocs.history import History, YearEntry, load_history, year_files
from ssdocs.loading.assessments import checklists_of, load_assessment
from ssdocs.loading.cache import ResultCache
from ssdocs.loading.checklists import Catalog, load_checklists
from ssdocs.models.assessment import Assessment
from ssdocs.models.base import Text
from ssdocs.models.checklist import Checklist
from ssdocs.models.results import AssessmentResult
from ssdocs.render.charts import Datum, bar_svg, radar_svg
from ssdocs.render.environment import plain, render_template
from ssdocs.render.fonts import check_cjk_font

Format = Literal["pdf", "html"]
Lang = Literal["zh", "en", "both"]
# Punctuation around inserted values: full-width in Chinese, ASCII with spaces in English.
PUNCTUATION: dict[str, dict[str, str]] = {
    "zh": {"lp": "（", "rp": "）", "colon": "：", "comma": "，", "semi": "；", "enum": "、"},
    "en": {"lp": " (", "rp": ")", "colon": ": ", "comma": ", ", "semi": "; ", "enum": ", "},
}
CHAPTERS: tuple[tuple[str, str], ...] = (
    ("summary", "summary"),
    ("scores", "scores"),
    ("charts", "charts"),
    ("matrix", "matrix"),
    ("findings", "findings"),
    ("actions", "actions"),
    ("waivers", "waivers"),
    ("annex-answers", "annex_answers"),
    ("annex-basis", "annex_basis"),
    ("annex-method", "annex_method"),
)


@dataclass(frozen=True)
class Loaded:
    """One validated, scored assessment and where its inputs came from (for the attachments)."""

    path: Path
    assessment: Assessment
    checklists: list[Checklist]
    result: AssessmentResult
    checklist_files: dict[tuple[str, str], Path]


def report(
    assessment: Path | str,
    output: Path | str,
    *,
    fmt: Format = "pdf",
    lang: Lang = "zh",
    history: Path | str | None = None,
    checklist_sources: Sequence[Path | str] = (),
    allow_missing_fonts: bool = False,
    pdfa: bool = True,
    csv_path: Path | str | None = None,
) -> list[Path]:
    """Render the scored report of one assessment into the folder `output`; the paths written.

    Writes `<jurisdiction>-<year>.pdf` (or `.html`) and the action plan as
    `<jurisdiction>-<year>-actions.csv` (or at `csv_path`). Earlier years beside the assessment,
    or under `history`, give the change since last year and the trend chart.
    """
    catalog, files = _catalog(checklist_sources)
    loaded = _load(Path(assessment), catalog, files)
    years = _history(loaded, Path(history) if history is not None else None, catalog)
    return write_report(loaded, years, output, fmt=fmt, lang=lang, allow_missing_fonts=allow_missing_fonts,
                        pdfa=pdfa, csv_path=csv_path)


def write_report(
    loaded: Loaded,
    history: History | None,
    output: Path | str,
    *,
    fmt: Format = "pdf",
    lang: Lang = "zh",
    allow_missing_fonts: bool = False,
    pdfa: bool = True,
    csv_path: Path | str | None = None,
) -> list[Path]:
    """The second half of `report()`, for callers that load (and cache) inputs themselves: `ssdocs batch`."""
    # A report looks back, never forward: later years beside the file stay out of it.
    years = history.until(loaded.assessment.year) if history is not None else None
    context = build_report_context(loaded.assessment, loaded.checklists, loaded.result, years, lang)
    target = _target(Path(output), loaded.assessment, fmt)
    if fmt == "pdf":
        check_cjk_font(allow_missing_fonts)
    csv_target = Path(csv_path) if csv_path is not None else target.with_name(f"{target.stem}-actions.csv")
    html = render_report_html(context, csv_name=csv_target.name)
    written = [_write_pdf(html, target, context, loaded, pdfa) if fmt == "pdf" else write_text(target, html)]
    written.append(write_bytes(csv_target, action_plan_csv(context)))
    return written


def _catalog(sources: Sequence[Path | str]) -> tuple[Catalog, dict[tuple[str, str], Path]]:
    """The catalog, read once, and the file each checklist came from (to embed it as it is)."""
    files: dict[tuple[str, str], Path] = {}
    return load_checklists(list(sources) if sources else None, files=files), files


def _load(path: Path, catalog: Catalog, files: dict[tuple[str, str], Path]) -> Loaded:
    assessment = load_assessment(path, catalog)
    checklists = checklists_of(assessment, catalog)
    from ssdocs.scoring import score_assessment

    result = score_assessment(assessment, checklists)
    used = {(c.id, c.version): files[(c.id, c.version)] for c in checklists}
    return Loaded(path, assessment, checklists, result, used)


def _history(loaded: Loaded, folder: Path | None, catalog: Catalog) -> History | None:
    """Other years of the same jurisdiction: under `folder`, or beside the assessment file."""
    if folder is None and len(year_files(loaded.path.parent)) < 2:
        return None
    # The report's own year is already loaded and scored: the history reuses it, not reads it again.
    current = YearEntry(loaded.path, loaded.assessment, loaded.checklists, loaded.result)
    history = load_history(folder if folder is not None else loaded.path, catalog,
                           until=loaded.assessment.year, current=current,
                           cache=ResultCache.for_catalog(list(catalog.values())))
    code = loaded.assessment.jurisdiction.code
    if history.jurisdiction != code:
        where = str(folder if folder is not None else loaded.path.parent)
        raise ValidationFailed([Problem(where, 0, 0, "", f"the history is of jurisdiction "
                                        f"{history.jurisdiction!r}, expected {code!r} like {loaded.path}")])
    return history


def _target(output: Path, assessment: Assessment, fmt: Format) -> Path:
    """`<jurisdiction>-<year>.<fmt>` inside `output`, the name sanitised by `safe_name`."""
    if output.exists() and not output.is_dir():
        raise OutputError(f"{output}: expected a folder for the report, got a file")
    stem = f"{safe_name(assessment.jurisdiction.code.lower(), fallback='report')}-{assessment.year}"
    return output_path(output, f"{stem}.{fmt}")


def chart_data(context: ReportContext) -> dict[str, Markup | None]:
    """The inline SVG charts: section bars, the area radar (≥ 3 areas) and the trend (≥ 2 years)."""
    lang = context.lang
    bars = [Datum(_id_title(s.id, s.title, lang), s.score, s.grade_id) for s in context.sections]
    areas = context.checklists if len(context.checklists) >= 3 else context.sections
    radar = [Datum(a.title, a.score, a.grade_id) for a in areas] if len(areas) >= 3 else None
    trend = None
    if context.trend:
        from ssdocs.render.trend_chart import trend_svg

        trend = Markup(trend_svg(context.trend, lang, title=""))
    return {
        "bar": bar_svg(bars, lang),
        "radar": radar_svg(radar, lang) if radar else None,
        "trend": trend,
    }


def _id_title(ident: str, title: Text, lang: str) -> Text:
    # In `both` the id is shown once: "CRE-A 信用评价制度 / The credit evaluation system".
    return Text(zh=f"{ident} {title.zh}", en=title.en if lang == "both" else f"{ident} {title.en}")


def render_report_html(context: ReportContext, csv_name: str = "actions.csv") -> str:
    """The report as one standalone HTML document (CSS and SVG inline, nothing fetched)."""
    lang = context.lang
    css = Markup(render_template("report/report.css.j2", lang=lang))
    return render_template(
        "report/report.html.j2",
        c=context,
        lang=lang,
        html_lang="en" if lang == "en" else "zh-CN",
        title=_title(context),
        authors=[a.name for a in context.assessment.assessors],
        keywords=_keywords(context),
        version=__version__,
        css=css,
        charts=chart_data(context),
        chapters=CHAPTERS,
        kinds=EVIDENCE_KINDS,
        paper_sections=PAPER_SECTIONS,
        csv_name=csv_name,
        p=PUNCTUATION["en" if lang == "en" else "zh"],
    )


def _title(context: ReportContext) -> str:
    a = context.assessment
    return f"{plain(context.title, context.lang)} · {plain(a.jurisdiction.name, context.lang)} · {a.year}"


def _keywords(context: ReportContext) -> list[str]:
    words = {"zh": ["社会保障", "基金监管", "安全规范"], "en": ["social security", "fund supervision",
                                                             "safety standards"]}
    base = words["en"] if context.lang == "en" else words["zh"] + (words["en"] if context.lang == "both" else [])
    return [*base, context.assessment.jurisdiction.code, str(context.assessment.year),
            *(c.id for c in context.checklists)]


def _write_pdf(html: str, target: Path, context: ReportContext, loaded: Loaded, pdfa: bool) -> Path:
    from ssdocs.render.pdf import DEFAULT_VARIANT, PdfAttachment, PdfMetadata, write_pdf

    a = loaded.assessment
    stem = target.stem
    attachments = [PdfAttachment(f"{stem}.yaml", loaded.path.read_bytes(),
                                 "Source assessment / 评估答案原文件")]
    for checklist in loaded.checklists:
        source = loaded.checklist_files.get((checklist.id, checklist.version))
        if source is not None:
            attachments.append(PdfAttachment(f"checklist-{checklist.id}-{checklist.version}.yaml",
                                             source.read_bytes(),
                                             f"Checklist / 检查表 {checklist.id} {checklist.version}"))
    metadata = PdfMetadata(
        title=_title(context),
        # Dates come from the assessment, never the clock, so the same inputs give the same bytes.
        date=dt.datetime.combine(a.date, dt.time(0, 0)),
        authors=[p.name for p in a.assessors],
        lang="en" if context.lang == "en" else "zh-CN",
        keywords=_keywords(context),
        description=plain(context.labels["subtitle"], context.lang),
        generator=f"ssdocs {__version__}",
    )
    return write_pdf(html, target, attachments=attachments, metadata=metadata,
                     pdf_variant=DEFAULT_VARIANT if pdfa else None)


CSV_COLUMNS = ("rank", "priority", "item", "checklist", "section", "status", "score", "weight",
               "impact", "question_zh", "question_en", "recommendation_zh", "recommendation_en",
               "owner", "due")


def action_plan_csv(context: ReportContext) -> bytes:
    """The action plan as CSV (UTF-8 with BOM so spreadsheet programs read the Chinese)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for rank, item in enumerate(context.findings, start=1):
        writer.writerow(_csv_safe([
            rank, item.priority, item.id, item.checklist_id, item.section_id, item.status,
            "" if item.score is None else f"{item.score:.1f}", f"{item.weight:g}", f"{item.impact:g}",
            item.question.zh, item.question.en, item.recommendation.zh, item.recommendation.en,
            item.owner or "", item.due.isoformat() if item.due else "",
        ]))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_safe(values: Iterable[object]) -> list[str]:
    # A cell starting with = + - @ is a formula in spreadsheets: user text must stay text.
    out = []
    for value in values:
        text = str(value)
        out.append("'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text)
    return out


__all__ = [
    "CHAPTERS", "Loaded", "action_plan_csv", "chart_data", "render_report_html", "report", "write_report",
]
