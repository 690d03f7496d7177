"""The scored report's rendering: its context -> standalone HTML, PDF bytes and the action-plan CSV.

Loading, history and writing are the pipeline's (`ssdocs.pipeline.report`); nothing here reads or
writes a file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from markupsafe import Markup

from ssdocs import __version__
from ssdocs.context.labels import EVIDENCE_KINDS, PAPER_SECTIONS
from ssdocs.context.report import ReportContext
from ssdocs.core.csvfile import csv_bytes
from ssdocs.models.base import Text
from ssdocs.render.charts import Datum, bar_svg, radar_svg
from ssdocs.render.environment import format_impact, plain, render_template, translate

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


def chart_data(context: ReportContext) -> dict[str, Markup | None]:
    """The inline SVG charts: section bars, the area radar (≥ 3 areas) and the trend (≥ 2 years)."""
    lang = context.lang
    bars = [Datum(_id_title(s.id, s.title, lang), s.score, s.grade_id) for s in context.sections]
    areas = context.checklists if len(context.checklists) >= 3 else context.sections
    radar = [Datum(a.title, a.score, a.grade_id) for a in areas] if len(areas) >= 3 else None
    trend = None
    if context.trend:
        from ssdocs.render.trend_chart import trend_svg

        trend = _titled(Markup(trend_svg(context.trend, lang, title="")), context.labels["trend_title"], lang)
    return {
        "bar": _titled(bar_svg(bars, lang), context.labels["bar_title"], lang),
        "radar": _titled(radar_svg(radar, lang), context.labels["radar_title"], lang) if radar else None,
        "trend": trend,
    }


def _titled(svg: Markup, title: Text, lang: str) -> Markup:
    """The chart with its caption as the SVG's <title>: a tagged PDF's Figure takes it as its
    alternate text (the visible caption is the figure's, outside the SVG)."""
    head, rest = svg.split(">", 1)  # the end of the opening <svg ...> tag: no attribute holds ">"
    return Markup(f"{head}><title>{Markup.escape(plain(title, lang))}</title>{rest}")


def _id_title(ident: str, title: Text, lang: str) -> Text:
    # In `both` the id is shown once: "CRE-A 信用评价制度 / The credit evaluation system".
    return Text(zh=f"{ident} {title.zh}", en=title.en if lang == "both" else f"{ident} {title.en}")


def render_report_html(context: ReportContext, csv_name: str = "actions.csv") -> str:
    """The report as one standalone HTML document (CSS and SVG inline, nothing fetched)."""
    lang = context.lang
    css = Markup(render_template("report/report.css.j2", lang=lang, draft=context.draft))
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
        draft_note=_draft_note(context),
        p=PUNCTUATION["en" if lang == "en" else "zh"],
    )


def _draft_note(context: ReportContext) -> Markup:
    note = context.labels["draft_note"]
    done, below = f"{context.result.completeness:.1f}", f"{context.draft_below:g}"
    return translate(Text(zh=note.zh.format(done=done, below=below), en=note.en.format(done=done, below=below)),
                     context.lang)


def _title(context: ReportContext) -> str:
    a = context.assessment
    return f"{plain(context.title, context.lang)} · {plain(a.jurisdiction.name, context.lang)} · {a.year}"


def _keywords(context: ReportContext) -> list[str]:
    words = {"zh": ["社会保障", "基金监管", "安全规范"], "en": ["social security", "fund supervision",
                                                             "safety standards"]}
    base = words["en"] if context.lang == "en" else words["zh"] + (words["en"] if context.lang == "both" else [])
    return [*base, context.assessment.jurisdiction.code, str(context.assessment.year),
            *(c.id for c in context.checklists)]


def report_pdf(html: str, context: ReportContext, attachments: Sequence[tuple[str, bytes, str]],
               pdfa: bool = True, tagged: bool = False) -> bytes:
    """The report's PDF (PDF/A-3b unless `pdfa` is false; with WeasyPrint's structure tree if
    `tagged`) with its inputs attached as (file name, bytes, description), and metadata taken from
    the assessment, never the clock."""
    from ssdocs.render.pdf import DEFAULT_VARIANT, PdfAttachment, PdfMetadata, render_pdf

    a = context.assessment
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
    return render_pdf(html, attachments=[PdfAttachment(name, data, about) for name, data, about in attachments],
                      metadata=metadata, pdf_variant=DEFAULT_VARIANT if pdfa else None, tagged=tagged)


CSV_COLUMNS = ("rank", "priority", "item", "checklist", "section", "status", "score", "weight",
               "impact", "question_zh", "question_en", "recommendation_zh", "recommendation_en",
               "owner", "due")


def action_plan_csv(context: ReportContext) -> bytes:
    """The action plan as CSV (the shared dialect: BOM, CRLF, formula guard; see core.csvfile)."""
    return csv_bytes(CSV_COLUMNS, (
        [rank, item.priority, item.id, item.checklist_id, item.section_id, item.status,
         "" if item.score is None else f"{item.score:.1f}", f"{item.weight:g}", format_impact(item.impact),
         item.question.zh, item.question.en, item.recommendation.zh, item.recommendation.en,
         item.owner or "", item.due.isoformat() if item.due else ""]
        for rank, item in enumerate(context.findings, start=1)))


__all__ = ["CHAPTERS", "action_plan_csv", "chart_data", "render_report_html", "report_pdf"]
