"""The answer-template YAML: every item with an empty value, its question and allowed values as comments.

The template is a valid (incomplete) assessment as written: `value:` is null for every item and a
matrix's grid is laid out as commented rows under `value:` (uncomment and fill the cells).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from pathlib import Path

from ssdocs.context.questionnaire import (
    CELL_LABELS,
    YES_NO_LABELS,
    Header,
    Lang,
)
from ssdocs.core.files import write_text
from ssdocs.models.base import Text
from ssdocs.models.checklist import (
    AnyItem,
    Band,
    Checklist,
    ChoiceItem,
    GridItem,
    MatrixItem,
    NumberItem,
    ScaleItem,
)

SCHEMA_REF = "assessment.schema.json"
PLACEHOLDER = Text(zh="（请填写）", en="(fill in)")
_PLAIN = re.compile(r"^[A-Za-z\u4e00-\u9fff\u3400-\u4dbf（][^:#{}\[\],&*!|>'\"%@`\n]*$")
_RESERVED = {"null", "true", "false", "yes", "no", "on", "off", "y", "n", "~"}


def yaml_scalar(value: str) -> str:
    """A YAML scalar for `value`: plain when unambiguous, else double-quoted (JSON is valid YAML)."""
    if _PLAIN.match(value) and value.lower() not in _RESERVED and value == value.strip():
        return value
    return json.dumps(value, ensure_ascii=False)


def _comment(text: str, indent: str) -> list[str]:
    return [f"{indent}#{(' ' + line) if line.strip() else ''}" for line in text.strip().splitlines()]


def _texts(text: Text, lang: Lang) -> list[str]:
    if lang == "both":
        return [text.zh, text.en] if text.zh != text.en else [text.zh]
    return [text.get(lang)]


def _pick(lang: Lang, zh: str, en: str) -> str:
    return {"zh": zh, "en": en}.get(lang, f"{zh} / {en}")


def _label(text: Text, lang: Lang) -> str:
    return " / ".join(_texts(text, lang))


def _band_range(band: Band) -> str:
    if band.min is not None and band.max is not None:
        return f"{band.min:g} ≤ x < {band.max:g}"
    if band.min is not None:
        return f"x ≥ {band.min:g}"
    if band.max is not None:
        return f"x < {band.max:g}"
    return "any"


def _allowed(item: AnyItem, lang: Lang, indent: str) -> list[str]:
    out: list[str] = []
    c = indent + "#   "
    if isinstance(item, ScaleItem):
        out.append(f"{indent}# {_pick(lang, '可选等级（由低到高）', 'levels, lowest first')}:")
        for level in item.levels:
            out.append(f"{c}{level.value}  {_label(level.label, lang)} — {_label(level.description, lang)}")
    elif isinstance(item, ChoiceItem):
        out.append(f"{indent}# {_pick(lang, '可选项', 'options')}:")
        for option in item.options:
            out.append(f"{c}{option.value}  {_label(option.label, lang)}")
    elif isinstance(item, NumberItem):
        low = "" if item.minimum is None else f"{item.minimum:g}"
        high = "" if item.maximum is None else f"{item.maximum:g}"
        kind = _pick(lang, "整数" if item.integer else "数值", "whole number" if item.integer else "number")
        span = f" {low}–{high}" if low or high else ""
        out.append(f"{indent}# {kind}{span}, {_pick(lang, '单位', 'unit')}: {_label(item.unit, lang)}")
        out.append(f"{indent}# {_pick(lang, '评分区间', 'scoring bands')}:")
        for band in item.bands:
            out.append(f"{c}{_band_range(band)}  {_label(band.label, lang)}  ({band.score:g})")
    elif isinstance(item, MatrixItem):
        cells = " | ".join(f"{k} {_label(v, lang)}" for k, v in CELL_LABELS.items())
        out.append(f"{indent}# {_pick(lang, '矩阵：取消下方各行的注释，逐格填写', 'matrix: uncomment the rows below and fill every cell with')} {cells}")
        for column in item.columns:
            out.append(f"{c}{column.id}  {_label(column.label, lang)}")
    elif isinstance(item, GridItem):
        out += _grid_allowed(item, lang, indent)
    else:
        allowed = " | ".join(f"{k} {_label(v, lang)}" for k, v in YES_NO_LABELS.items())
        out.append(f"{indent}# {_pick(lang, '可选', 'allowed')}: {allowed}")
    return out


def _grid_allowed(item: GridItem, lang: Lang, indent: str) -> list[str]:
    c = indent + "#   "
    out = [f"{indent}# {_pick(lang, '表格：取消下方各行的注释，每行填写每一列的数字；本地不涉及的行写 na', 'grid: uncomment the rows below and give every column of a row; write na for a row that does not arise here')}:"]
    for column in item.columns:
        kind = _pick(lang, "整数" if column.integer else "数值", "whole number" if column.integer else "number")
        limits = [f"≥ {column.minimum:g}"] if column.minimum is not None else []
        limits += [f"≤ {column.maximum:g}"] if column.maximum is not None else []
        limits += [f"≤ {column.at_most}"] if column.at_most is not None else []
        unit = f", {_label(column.unit, lang)}" if column.unit is not None else ""
        out.append(f"{c}{column.id}  {_label(column.label, lang)} ({kind}{unit}{', ' if limits else ''}"
                   f"{', '.join(limits)})")
    for ratio in item.ratios:
        out.append(f"{c}{ratio.id} = {ratio.numerator} / {ratio.denominator} × 100 %  {_label(ratio.label, lang)}"
                   f"  ({_pick(lang, '自动计算，无需填写', 'derived, do not fill in')})")
    scored = item.ratio(item.scored_by)
    label = _label(scored.label, lang) if scored is not None else item.scored_by
    out.append(f"{indent}# {_pick(lang, '评分区间', 'scoring bands')} ({label}):")
    for band in item.bands:
        out.append(f"{c}{_band_range(band)}  {_label(band.label, lang)}  ({band.score:g})")
    return out


def _grid_rows(item: GridItem, lang: Lang, indent: str) -> list[str]:
    """The grid as commented flow mappings, one row a line, every column; valid YAML once uncommented."""
    width = max(len(row.id) for row in item.rows) + 1
    cells = ", ".join(f"{column.id}: " for column in item.columns)
    return [f"{indent}# {(row.id + ':').ljust(width)} {{{cells}}}  # {_label(row.label, lang)}" for row in item.rows]


def _matrix_rows(item: MatrixItem, lang: Lang, indent: str) -> list[str]:
    """The grid as commented flow mappings, one row a line, grouped under comment headings."""
    width = max(len(row.id) for row in item.rows) + 1
    cells = ", ".join(f"{column.id}: " for column in item.columns)
    groups = {group.id: group for group in item.groups}
    out: list[str] = []
    current: str | None = "\0"
    for row in item.rows:
        if row.group != current:
            current = row.group
            heading = _label(groups[row.group].label, lang) if row.group in groups else _pick(lang, "其他", "other")
            out.append(f"{indent}# # —— {heading} ——")
        out.append(f"{indent}# {(row.id + ':').ljust(width)} {{{cells}}}  # {_label(row.label, lang)}")
    return out


def _item_lines(item: AnyItem, lang: Lang) -> list[str]:
    ind = "    "
    lines = [f"  {item.id}:"]
    for text in _texts(item.question, lang):
        lines += _comment(text, ind)
    guidance = _texts(item.guidance, lang)
    lines.append(f"{ind}# {_pick(lang, '指引', 'guidance')}:")
    for text in guidance:
        lines += [line.replace("#", "#  ", 1) if line.strip() != "#" else line for line in _comment(text, ind)]
    lines += _allowed(item, lang, ind)
    flags = []
    if item.critical:
        flags.append(_pick(lang, "红线项", "red line (critical)"))
    if item.context:
        flags.append(_pick(lang, "情况项，不计分", "context item, not scored"))
    if item.evidence_required:
        flags.append(_pick(lang, "须附证据", "evidence required"))
    if flags:
        lines.append(f"{ind}# ⚠ {' · '.join(flags)}")
    lines.append(f"{ind}value:")
    if isinstance(item, MatrixItem):
        lines += _matrix_rows(item, lang, ind + "  ")
    elif isinstance(item, GridItem):
        lines += _grid_rows(item, lang, ind + "  ")
    lines.append(f"{ind}# na: {_pick(lang, '不适用的理由（此时 value 留空）', 'why the item does not apply (value stays empty)')}")
    # `evidence:` alone (not `[]`): each commented entry is valid YAML once uncommented.
    lines.append(f"{ind}evidence:")
    lines.append(f"{ind}  # - {{kind: document, title: {_pick(lang, '文件名称', 'title')}, "
                 f"number: {_pick(lang, '文号', 'reference')}, date: 2025-01-31}}")
    lines.append(f"{ind}  # - {{kind: system_data, title: {_pick(lang, '系统数据名称', 'what the data shows')}}}"
                 f"  # kind: document | system_data | observation | interview")
    lines.append(f"{ind}note:")
    return lines


def _header_lines(checklists: list[Checklist], header: Header, lang: Lang, today: dt.date,
                  schema_ref: str) -> list[str]:
    name_zh = header.name_zh or PLACEHOLDER.zh
    name_en = header.name_en or PLACEHOLDER.en
    assessor = header.assessor or _pick(lang, PLACEHOLDER.zh, PLACEHOLDER.en)
    titles = "; ".join(f"{c.id} {c.version} {_label(c.title, lang)}" for c in checklists)
    how = {
        "zh": [
            "填写方法：在每个 value: 后填写答案（可选值见其上方注释）；不适用时 value 留空，",
            "取消 na: 一行的注释并写明理由；证据写在 evidence 下（文件、系统数据、现场查看或访谈）。",
            "填写后运行 `ssdocs validate 本文件` 检查，`ssdocs score 本文件` 评分。",
        ],
        "en": [
            "How to fill in: write each answer after value: (the allowed values are in the comments",
            "above it); if an item does not apply, leave value empty and uncomment na: with the reason; list the",
            "evidence under evidence. Then run `ssdocs validate THIS_FILE` and `ssdocs score THIS_FILE`.",
        ],
    }
    lines = [f"# yaml-language-server: $schema={schema_ref}",
             f"# ssdocs {_pick(lang, '答题模板', 'answer template')}: {titles}"]
    for key in (("zh", "en") if lang == "both" else (lang,)):
        lines += [f"# {line}" for line in how[key]]
    placeholder_note = _pick(lang, "  # 请改为本地区代码", "  # change to your jurisdiction's code")
    lines += [
        "",
        "jurisdiction:",
        f"  code: {yaml_scalar(header.code or 'change-me')}" + ("" if header.code else placeholder_note),
        f"  name: {{zh: {yaml_scalar(name_zh)}, en: {yaml_scalar(name_en)}}}",
        f"  level: {header.level or 'city'}  # national | province | city | county",
        (f"  parent: {yaml_scalar(header.parent)}  # " if header.parent else "  parent:      # ")
        + _pick(lang, "上级地区代码（可不填，按上级汇总用）",
                         "parent jurisdiction's code (optional, for the roll-up by parent)"),
        "  insured:     # " + _pick(lang, "参保人数（人，评估年度；可不填，汇总加权用）",
                                    "insured persons (year assessed; optional, weights the roll-up)"),
        "  population:  # " + _pick(lang, "常住人口（人，评估年度；可不填）",
                                    "resident population (year assessed; optional)"),
        f"year: {header.year or today.year}",
        f"date: {(header.date or today).isoformat()}  # {_pick(lang, '评估日期', 'date of the assessment')}",
        "assessors:",
        f"  - name: {yaml_scalar(assessor)}",
        "checklists:",
        *(f"  - {{id: {c.id}, version: {c.version}}}" for c in checklists),
        "",
        "answers:",
    ]
    return lines


def render_answer_template(checklists: Iterable[Checklist], header: Header, lang: Lang = "both", *,
                           today: dt.date | None = None, schema_ref: str = SCHEMA_REF) -> str:
    """The template's text: header from `header`, then every item of every checklist, unanswered."""
    chosen = list(checklists)
    lines = _header_lines(chosen, header, lang, today or dt.date.today(), schema_ref)
    for checklist in chosen:
        for section in checklist.sections:
            lines += ["", f"  # ════ {checklist.id} · {section.id} {_label(section.title, lang)} ════", ""]
            for item in section.items:
                lines += [*_item_lines(item, lang), ""]
            lines.pop()
    return "\n".join(lines).rstrip() + "\n"


def write_answer_template(checklists: Iterable[Checklist], header: Header, target: Path | str,
                          lang: Lang = "both", *, today: dt.date | None = None,
                          schema_ref: str = SCHEMA_REF) -> Path:
    """Write the answer template atomically to `target`."""
    return write_text(target, render_answer_template(checklists, header, lang, today=today,
                                                     schema_ref=schema_ref))


__all__ = ["SCHEMA_REF", "render_answer_template", "write_answer_template", "yaml_scalar"]
