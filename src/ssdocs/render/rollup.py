"""The roll-up's rendering: its context -> standalone HTML (SVG heatmap, strip plot and trend
drawn from Jinja templates), PDF bytes and the CSV files behind every table and chart.

Loading and writing are the pipeline's (`ssdocs.pipeline.rollup`); nothing here touches a file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from ssdocs import __version__
from ssdocs.context.labels import LEVELS
from ssdocs.context.rollup import WEIGHT_LABELS, HeatBlock, RollupContext, Strip, TrendPoint
from ssdocs.core.csvfile import csv_bytes
from ssdocs.models.base import Text
from ssdocs.render.charts import colour, n, text_width
from ssdocs.render.environment import plain, render_template

STATUS_COLOURS = {"met": "#2e7d4f", "partial": "#e0b44c", "unmet": "#b23a3a", "na": "#c9d1da",
                  "waived": "#8fa8c8", "context": "#d9cfe8", "missing": "#ffffff", "": "#f2f4f6"}
STATUS_LABELS: dict[str, Text] = {
    "met": Text(zh="符合", en="met"), "partial": Text(zh="部分符合", en="partial"),
    "unmet": Text(zh="不符合", en="unmet"), "na": Text(zh="不适用", en="N/A"),
    "waived": Text(zh="豁免", en="waived"), "context": Text(zh="情况项（不计分）", en="context (not scored)"),
    "missing": Text(zh="未作答", en="missing"),
    "": Text(zh="所用版本无此项", en="not in its checklist version"),
}
CELL_W, CELL_H, LABEL_W, HEAD_H = 19.0, 10.0, 92.0, 64.0
STRIP_W, STRIP_LABEL, STRIP_ROW = 660.0, 230.0, 15.0


def render_rollup_html(context: RollupContext, csv_names: Sequence[str] = ()) -> str:
    """The roll-up as one standalone HTML document (CSS, SVG and the sorting script inline)."""
    lang = context.lang
    css = Markup(render_template("report/report.css.j2", lang=lang, draft=False)
                 + render_template("rollup/rollup.css.j2", lang=lang))
    return render_template(
        "rollup/rollup.html.j2", c=context, lang=lang, html_lang="en" if lang == "en" else "zh-CN",
        title=title(context), css=css, version=__version__, csv_names=list(csv_names),
        heatmaps=[(b, heat_svg(b, lang)) for b in context.blocks],
        strips=strip_svg(context.strips, context.highlight, lang) if context.strips else None,
        trend=trend_svg(context.trend, lang) if context.trend else None,
        statuses=[(s, STATUS_COLOURS[s], STATUS_LABELS[s]) for s in STATUS_COLOURS],
        grade_colour=colour, levels=LEVELS, weight_labels=WEIGHT_LABELS, fallback_note=fallback_note(context),
    )


def fallback_note(context: RollupContext) -> Text | None:
    """The parents that fell back to the unweighted median, each with the children lacking the figure."""
    fallbacks = [g for g in context.parents if g.weight is not None and g.unweighted]
    if context.weight is None or not fallbacks:
        return None
    label = WEIGHT_LABELS[context.weight]
    return Text(zh="改用不加权中位数的上级：" + "；".join(f"{g.code}（缺{label.zh}：{', '.join(g.unweighted)}）"
                                                   for g in fallbacks),
                en="Parents falling back to the unweighted median: " + "; ".join(
                    f"{g.code} (no {label.en}: {', '.join(g.unweighted)})" for g in fallbacks))


def title(context: RollupContext) -> str:
    year = str(context.year) if context.year is not None else plain(Text(zh="各地最新年度",
                                                                          en="latest year of each"), context.lang)
    name = Text(zh="社会保障基金安全规范汇总报告", en="Roll-up of social-security fund safety")
    return f"{plain(name, context.lang)} · {year}"


def heat_svg(block: HeatBlock, lang: str) -> Markup:
    """Items (rows) × jurisdictions (columns) of one checklist, coloured by status."""
    cols = [{"x": n(LABEL_W + i * CELL_W + CELL_W / 2), "y": n(HEAD_H - 4), "label": code}
            for i, code in enumerate(block.columns)]
    rows: list[dict[str, Any]] = []
    sections: list[dict[str, str]] = []
    last = None
    for r, row in enumerate(block.rows):
        y = HEAD_H + r * CELL_H
        if row.section != last:
            sections.append({"y": n(y), "x2": n(LABEL_W + len(block.columns) * CELL_W)})
            last = row.section
        rows.append({"y": n(y), "ty": n(y + CELL_H - 2.2), "label": row.item, "red": row.red_line,
                     "cells": [{"x": n(LABEL_W + i * CELL_W), "fill": STATUS_COLOURS.get(s, "#f2f4f6"),
                                "mark": s == "missing"} for i, s in enumerate(row.cells)]})
    width = LABEL_W + max(1, len(block.columns)) * CELL_W + 40  # room for the last rotated label
    height = HEAD_H + len(block.rows) * CELL_H + 2
    return Markup(render_template("rollup/heatmap.svg.j2", width=n(width), height=n(height), cols=cols,
                                  rows=rows, sections=sections, cw=n(CELL_W - 1), ch=n(CELL_H - 1)))


def _x(score: float) -> float:
    return STRIP_LABEL + 10 + (STRIP_W - STRIP_LABEL - 20) * score / 100.0


def strip_svg(strips: Sequence[Strip], highlight: str | None, lang: str) -> Markup:
    """Each section's scores across jurisdictions: one dot each, the median, the highlight."""
    rows = []
    for r, strip in enumerate(strips):
        y = 18 + r * STRIP_ROW + STRIP_ROW / 2
        section = strip.key.split('/', 1)[1]
        label = f"{section} {plain(strip.title, 'en' if lang == 'en' else 'zh')}"
        # Never cut a label (issue #20): a title that does not fit leaves the section id alone.
        rows.append({
            "y": n(y), "ty": n(y + 3), "label": label if text_width(label, 8) <= STRIP_LABEL - 6 else section,
            "dots": [n(_x(v)) for _, v in strip.values],
            "median": n(_x(strip.median)) if strip.median is not None else None,
            "mine": n(_x(strip.highlight)) if strip.highlight is not None else None,
        })
    ticks = [{"x": n(_x(t)), "t": str(t)} for t in range(0, 101, 20)]
    height = 18 + len(strips) * STRIP_ROW + 16
    return Markup(render_template("rollup/strips.svg.j2", width=n(STRIP_W), height=n(height), rows=rows,
                                  ticks=ticks, top="12", bottom=n(height - 14), axis_y=n(height - 3),
                                  highlight=highlight or ""))


def trend_svg(points: Sequence[TrendPoint], lang: str) -> Markup:
    """The province's median overall score per year, its interquartile band and its range."""
    left, right, top, bottom = 40.0, 640.0, 12.0, 170.0
    step = (right - left) / max(1, len(points) - 1) if len(points) > 1 else 0.0

    def y(v: float) -> str:
        return n(bottom - (bottom - top) * v / 100.0)

    marks = []
    for i, p in enumerate(points):
        x = left + i * step if len(points) > 1 else (left + right) / 2
        marks.append({"x": n(x), "year": p.year, "median": y(p.median) if p.median is not None else None,
                      "low": y(p.low) if p.low is not None else None, "high": y(p.high) if p.high is not None else None,
                      "q1": y(p.q1) if p.q1 is not None else None, "q3": y(p.q3) if p.q3 is not None else None,
                      "value": f"{p.median:.1f}" if p.median is not None else "—"})
    line = " ".join(f"{m['x']},{m['median']}" for m in marks if m["median"] is not None)
    ticks = [{"y": y(t), "t": str(t)} for t in range(0, 101, 20)]
    return Markup(render_template("rollup/trend.svg.j2", marks=marks, line=line, ticks=ticks,
                                  left=n(left), right=n(right), axis_y=n(bottom + 14)))


def rollup_csvs(context: RollupContext) -> dict[str, bytes]:
    """The data behind every table and chart of the roll-up, one CSV each (BOM, formula guard)."""
    members = context.members
    out = {
        "league": csv_bytes(
            ("rank", "code", "name_zh", "name_en", "level", "parent", "year", "score", "grade", "previous_year",
             "change", "change_basis", "red_lines", "completeness", "insured", "population"),
            [(i, m.code, m.name.zh, m.name.en, m.level, m.parent or "", m.year, _num(m.score), m.grade or "",
              m.previous_year or "", _num(m.delta), m.basis, " ".join(m.red_lines), _num(m.completeness),
              m.insured or "", m.population or "")
             for i, m in enumerate(members, start=1)]),
        "heatmap": csv_bytes(
            ("code", "checklist", "version", "section", "item", "status"),
            [(m.code, cid, m.checklists.get(cid, ""), row.section, row.item, m.statuses.get(row.item, ""))
             for m in sorted(members, key=lambda m: m.code)
             for cid, rows in _rows_by_checklist(context).items() for row in rows]),
        "sections": csv_bytes(
            ("checklist", "section", "code", "score", "median", "highlight"),
            [(s.key.split("/")[0], s.key.split("/", 1)[1], code, _num(v), _num(s.median),
              "yes" if code == context.highlight else "")
             for s in context.strips for code, v in s.values]),
        "actions": csv_bytes(
            ("kind", "item", "checklist", "jurisdictions", "share", "question_zh", "question_en",
             "recommendation_zh", "recommendation_en", "codes"),
            [(a.kind, a.item, a.checklist, a.count, _num(a.share), a.question.zh, a.question.en,
              a.recommendation.zh, a.recommendation.en, " ".join(a.jurisdictions)) for a in context.actions]),
        "trend": csv_bytes(
            ("year", "jurisdictions", "median", "min", "q1", "q3", "max", "median_change_comparable",
             "changes"),
            [(p.year, p.count, _num(p.median), _num(p.low), _num(p.q1), _num(p.q3), _num(p.high),
              _num(p.change), p.changes) for p in context.trend]),
        "excluded": csv_bytes(("folder", "kind", "problems"),
                              [(e.folder, e.kind, " | ".join(e.problems)) for e in context.excluded]),
    }
    if context.parents:
        out["parents"] = csv_bytes(
            ("parent", "own_score", "children", "aggregate", "aggregation", "median_of_children",
             "weighted_mean", "weight", "weight_total", "children_without_weight", "min", "max",
             "children_with_red_lines", "codes"),
            [(g.code, _num(g.own_score), len(g.children), _num(g.value), f"{g.method_label.zh} / {g.method_label.en}",
              _num(g.median), _num(g.weighted), g.weight or "", g.weight_total or "", " ".join(g.unweighted),
              _num(g.low), _num(g.high), g.red_lines, " ".join(g.children)) for g in context.parents])
    return out


def _rows_by_checklist(context: RollupContext) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for block in context.blocks:
        if block.first == 1:
            out[block.checklist] = block.rows
    return out


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def rollup_pdf(html: str, context: RollupContext, csvs: dict[str, bytes], pdfa: bool = True) -> bytes:
    """The roll-up's PDF (PDF/A-3b unless `pdfa` is false) with its CSV files attached; dates from
    the assessments, never the clock."""
    from ssdocs.render.pdf import DEFAULT_VARIANT, PdfAttachment, PdfMetadata, render_pdf

    try:
        when = dt.datetime.fromisoformat(context.date) if context.date else dt.datetime(2000, 1, 1)
    except ValueError:
        when = dt.datetime(2000, 1, 1)
    metadata = PdfMetadata(title=title(context), date=when.replace(tzinfo=None),
                           lang="en" if context.lang == "en" else "zh-CN",
                           keywords=["社会保障", "基金监管", "汇总", "roll-up"], generator=f"ssdocs {__version__}")
    attachments = [PdfAttachment(name, data, "Data behind the roll-up / 汇总数据", "Data")
                   for name, data in sorted(csvs.items())]
    return render_pdf(html, attachments=attachments, metadata=metadata,
                      pdf_variant=DEFAULT_VARIANT if pdfa else None)


__all__ = ["STATUS_COLOURS", "heat_svg", "render_rollup_html", "rollup_csvs", "rollup_pdf", "strip_svg",
           "trend_svg"]
