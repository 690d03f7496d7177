"""The check as a Markdown summary for $GITHUB_STEP_SUMMARY or a merge-request comment."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ssdocs.core.files import write_text
from ssdocs.history.gate import CheckReport, Failure, YearCheck
from ssdocs.policy import Policy

BIGGEST = 10  # changes listed in the summary; the JSON report has them all


def _md(text: str) -> str:
    """Text safe in a Markdown table cell: HTML escaped, Markdown punctuation backslashed."""
    text = html.escape(" ".join(text.split()), quote=False)
    return re.sub(r"([\\`*_{}\[\]()#+!|~>])", r"\\\1", text)


def _num(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.1f}" if signed else f"{value:.1f}"


Change = tuple[tuple[bool, float, str, str], str]  # (the key that orders it, its table row)


@dataclass(frozen=True)
class MarkdownYear:
    """What the summary shows of one gated year: its table row, its biggest changes (each with
    the key that orders them against the other years'), its red-line lines."""

    row: str
    comparable_items: bool
    changes: list[Change]
    red_lines: list[str]


def markdown_year(year: YearCheck) -> MarkdownYear:
    result = year.entry.result
    grade = f"{result.grade_label.zh} / {result.grade_label.en}" if result.grade_label else "—"
    delta = "—"
    if year.comparison is not None:
        change = year.comparison.overall
        delta = _num(change.delta, signed=True) + ("\\*" if change.basis == "comparable-items" else "")
    rescored = " (re-scored)" if year.entry.rescored else ""
    row = (f"| {_md(year.history.name.zh)} ({_md(result.jurisdiction)}) | {result.year} | "
           f"{_num(result.score)}{rescored} | {delta} | {_md(grade)} | {result.completeness:.1f}% | "
           f"{'✅' if year.passed else '❌'} |")
    comparison = year.comparison
    changes: list[Change] = []
    red: list[str] = []
    if comparison is not None:
        label = f"{year.history.name.zh} {comparison.previous_year}→{result.year}"
        for item in comparison.items:
            if not item.delta:
                continue
            # Falls first (what a reviewer must look at), then rises, each biggest first.
            key = (item.delta > 0, -abs(item.delta), result.jurisdiction, item.id)
            changes.append((key, f"| {_md(label)} | {_md(item.id)} | {_md(str(item.previous_status))} "
                                 f"{_num(item.previous_score)} | {_md(str(item.status))} {_num(item.score)} | "
                                 f"{_num(item.delta, signed=True)} |"))
        changes = biggest(changes)
        if comparison.red_lines_new:
            red.append(f"- {_md(year.label)}: 新增未达标 / newly failed: "
                       f"{_md(', '.join(comparison.red_lines_new))}")
        if comparison.red_lines_fixed:
            red.append(f"- {_md(year.label)}: 已纠正 / fixed: {_md(', '.join(comparison.red_lines_fixed))}")
    basis = comparison is not None and comparison.overall.basis == "comparable-items"
    return MarkdownYear(row, basis, changes, red)


def markdown_summary(report: CheckReport) -> str:
    """A small score table, the biggest changes, and the failures with their reasons."""
    years = [markdown_year(y) for y in report.years]
    return markdown_document(report.policy, report.failures, [y.row for y in years],
                             any(y.comparable_items for y in years),
                             biggest([c for y in years for c in y.changes]),
                             [line for y in years for line in y.red_lines])


def biggest(changes: list[Change]) -> list[Change]:
    """The changes the summary lists: falls first, then rises, each biggest first (stable)."""
    return sorted(changes, key=lambda kc: kc[0])[:BIGGEST]


def markdown_document(policy: Policy, failures: list[Failure], rows: list[str], comparable_items: bool,
                      changes: list[Change], red_lines: list[str]) -> str:
    """The summary from the gated years' rows, biggest changes and red-line lines, in order."""
    passed = not failures
    status = ("✅ 通过 / passed" if passed
              else f"❌ 未通过 / failed ({len(failures)})")
    lines = [f"## ssdocs check: {status}", ""]
    rules = policy.rules()
    if rules:
        shown = ", ".join(f"`{r}`" + ("" if r == "no-new-critical" else f" {policy.as_dict()[r]:g}")
                          for r in rules)
        lines += [f"策略 / Policy: {shown}", ""]
    lines += [
        "| 地区 / Jurisdiction | 年度 / Year | 得分 / Score | 变化 / Δ | 等级 / Grade | 完整度 / Completeness | 结果 / Result |",
        "|---|---:|---:|---:|---|---:|---|",
    ]
    lines += rows
    if comparable_items:
        lines += ["", "\\* 检查表版本不同，仅比较可比检查项 / checklist versions differ: "
                  "compared on comparable items only"]
    if not passed:
        lines += ["", "### 未通过的原因 / Failures", ""]
        # Plain escaped text, not code spans: the messages are sentences for people, and a file
        # name or jurisdiction in them must not become Markdown or HTML.
        lines += [f"- {_md(f.message)}" for f in failures]
    if changes:
        lines += ["", "### 变化最大的检查项 / Biggest changes", "",
                  "| 地区 / Jurisdiction | 检查项 / Item | 上年 / Before | 本年 / Now | 变化 / Δ |",
                  "|---|---|---|---|---:|"]
        lines += [row for _, row in changes]
    if red_lines:
        lines += ["", "### 红线 / Red lines", ""]
        lines += red_lines
    return "\n".join(lines) + "\n"


def write_markdown_summary(report: CheckReport, target: str) -> None:
    write_text(target, markdown_summary(report))
