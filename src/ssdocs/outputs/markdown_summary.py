"""The check as a Markdown summary for $GITHUB_STEP_SUMMARY or a merge-request comment."""

from __future__ import annotations

import html
import re

from ssdocs.history.compare import ItemChange
from ssdocs.history.gate import CheckReport, YearCheck
from ssdocs.outputs.files import write_text

BIGGEST = 10  # changes listed in the summary; the JSON report has them all


def _md(text: str) -> str:
    """Text safe in a Markdown table cell: HTML escaped, Markdown punctuation backslashed."""
    text = html.escape(" ".join(text.split()), quote=False)
    return re.sub(r"([\\`*_{}\[\]()#+!|~>])", r"\\\1", text)


def _code(text: str) -> str:
    """An exact line as a code span (its text stays verbatim; backticks cannot end it early)."""
    return "`` " + " ".join(text.replace("`", "'").split()) + " ``"


def _num(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.1f}" if signed else f"{value:.1f}"


def markdown_summary(report: CheckReport) -> str:
    """A small score table, the biggest changes, and the failures with their reasons."""
    status = ("✅ 通过 / passed" if report.passed
              else f"❌ 未通过 / failed ({len(report.failures)})")
    lines = [f"## ssdocs check: {status}", ""]
    rules = report.policy.rules()
    if rules:
        shown = ", ".join(f"`{r}`" + ("" if r == "no-new-critical" else f" {report.policy.as_dict()[r]:g}")
                          for r in rules)
        lines += [f"策略 / Policy: {shown}", ""]
    lines += [
        "| 地区 / Jurisdiction | 年度 / Year | 得分 / Score | 变化 / Δ | 等级 / Grade | 完整度 / Completeness | 结果 / Result |",
        "|---|---:|---:|---:|---|---:|---|",
    ]
    for year in report.years:
        result = year.entry.result
        grade = f"{result.grade_label.zh} / {result.grade_label.en}" if result.grade_label else "—"
        delta = "—"
        if year.comparison is not None:
            change = year.comparison.overall
            delta = _num(change.delta, signed=True) + ("\\*" if change.basis == "comparable-items" else "")
        rescored = " (re-scored)" if year.entry.rescored else ""
        lines.append(
            f"| {_md(year.history.name.zh)} ({_md(result.jurisdiction)}) | {result.year} | "
            f"{_num(result.score)}{rescored} | {delta} | {_md(grade)} | {result.completeness:.1f}% | "
            f"{'✅' if year.passed else '❌'} |")
    if any(y.comparison and y.comparison.overall.basis == "comparable-items" for y in report.years):
        lines += ["", "\\* 检查表版本不同，仅比较可比检查项 / checklist versions differ: "
                  "compared on comparable items only"]
    if not report.passed:
        lines += ["", "### 未通过的原因 / Failures", ""]
        lines += [f"- {_code(f.message)}" for f in report.failures]
    changes = _biggest(report.years)
    if changes:
        lines += ["", "### 变化最大的检查项 / Biggest changes", "",
                  "| 地区 / Jurisdiction | 检查项 / Item | 上年 / Before | 本年 / Now | 变化 / Δ |",
                  "|---|---|---|---|---:|"]
        for year, item in changes:
            label = f"{year.history.name.zh} {year.comparison.previous_year}→{year.entry.result.year}" \
                if year.comparison else year.label
            lines.append(f"| {_md(label)} | {_md(item.id)} | {_md(str(item.previous_status))} "
                         f"{_num(item.previous_score)} | {_md(str(item.status))} {_num(item.score)} | "
                         f"{_num(item.delta, signed=True)} |")
    red = [(y, y.comparison) for y in report.years if y.comparison and
           (y.comparison.red_lines_new or y.comparison.red_lines_fixed)]
    if red:
        lines += ["", "### 红线 / Red lines", ""]
        for year, comparison in red:
            if comparison and comparison.red_lines_new:
                lines.append(f"- {_md(year.label)}: 新增未达标 / newly failed: "
                             f"{_md(', '.join(comparison.red_lines_new))}")
            if comparison and comparison.red_lines_fixed:
                lines.append(f"- {_md(year.label)}: 已纠正 / fixed: {_md(', '.join(comparison.red_lines_fixed))}")
    return "\n".join(lines) + "\n"


def _biggest(years: list[YearCheck]) -> list[tuple[YearCheck, ItemChange]]:
    changes = [(y, i) for y in years if y.comparison for i in y.comparison.items if i.delta]
    # Falls first (what a reviewer must look at), then rises, each biggest first.
    changes.sort(key=lambda yi: ((yi[1].delta or 0) > 0, -abs(yi[1].delta or 0),
                                 yi[0].entry.result.jurisdiction, yi[1].id))
    return changes[:BIGGEST]


def write_markdown_summary(report: CheckReport, target: str) -> None:
    write_text(target, markdown_summary(report))
