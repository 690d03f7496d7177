"""The xlsx questionnaire: context -> workbook bytes for Excel, WPS Spreadsheets or LibreOffice.

A cover sheet, one sheet per checklist (one row per item), one sheet per matrix item (the grid),
a sheet for further evidence, and two hidden sheets: `_ssdocs` (which checklist versions the
workbook answers) and `_lists` (the drop-down values). Every sheet is protected; only answer cells
are unlocked and each carries data validation. `ssdocs import-xlsx` reads it back.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ssdocs import __version__
from ssdocs.context.questionnaire import QuestionnaireContext
from ssdocs.forms import sheets as L
from ssdocs.forms.sheets import Choice, Lang
from ssdocs.models.base import Text
from ssdocs.models.checklist import AnyItem, Band, Checklist, GridItem, MatrixItem, NumberItem, Section
from ssdocs.models.registers import BasisRegister
from ssdocs.outputs.files import write_bytes

FONT = "等线"  # Excel's default CJK face; LibreOffice and WPS substitute their own
THIN = Side(style="thin", color="9AA5B1")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DCE3EA")
SECTION_FILL = PatternFill("solid", fgColor="EEF1F4")
ANSWER_FILL = PatternFill("solid", fgColor="FFF8DC")  # the cells to fill in: pale yellow
OPEN = Protection(locked=False)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(wrap_text=True, vertical="top", horizontal="center")
DATE_FORMAT = "yyyy-mm-dd"
FIRST_DATE = dt.date(1950, 1, 1)  # evidence may be an old regulation
LAST_DATE = dt.date(2100, 12, 31)
_MARKDOWN = re.compile(r"\*\*|__|`")
CellValue = str | int | float | dt.date | None

WORDS: dict[str, Text] = {
    "kicker": Text(zh="社会保障基金安全规范 · 审计问卷", en="Social-security fund safety standards · audit questionnaire"),
    "cover_note": Text(
        zh="请在淡黄色单元格中填写（下拉选择或输入），其余单元格已锁定。填好后交回本文件；"
           "审计方运行 ssdocs import-xlsx 生成评估文件。",
        en="Fill in the pale yellow cells (choose from the list or type); all other cells are locked. "
           "Return this file; the auditors turn it into an assessment with ssdocs import-xlsx."),
    "how": Text(
        zh="每行一项：在“答案”列选择答案；确不适用时不填答案，在“不适用理由”写明理由。证据列填一项主要证据，"
           "更多证据填入“更多证据”工作表。矩阵项在以其编号命名的工作表中逐格填写。",
        en="One item a row: choose the answer in the Answer column; if the item does not apply, leave the "
           "answer empty and give the reason under N/A reason. The evidence columns take one main piece; "
           "list more on the More evidence sheet. Matrix items are answered cell by cell on the sheet "
           "named after their ID."),
    "section": Text(zh="部分", en="Section"),
    "checklist": Text(zh="检查表", en="Checklist"),
    "version": Text(zh="版本", en="version"),
    "items": Text(zh="项", en="items"),
    "red_line": Text(zh="红线项", en="Red line"),
    "evidence_required": Text(zh="须附证据", en="Evidence required"),
    "see_sheet": Text(zh="见工作表", en="see sheet"),
    "unit": Text(zh="单位", en="Unit"),
    "bands": Text(zh="评分区间", en="Scoring bands"),
    "range": Text(zh="取值范围", en="Range"),
    "paper": Text(zh="论文", en="Paper"),
    "grid_legend": Text(zh="每格选择：是 · 否 · 不适用", en="In each cell choose: Yes · No · N/A"),
    "numbers_legend": Text(zh="每行填写各列数字；某一行不适用时在“本行不适用”选择“不适用”，该行不填数字。",
                           en="Give every number of a row; if a row does not apply, choose N/A under Row N/A and leave its numbers empty."),
    "ratios": Text(zh="派生比率（自动计算，不必填写）", en="Derived ratios (computed by ssdocs, not to be filled)"),
    "scored_by": Text(zh="按此比率评分", en="scored by"),
    "context": Text(zh="情况项（不计分）", en="Context (not scored)"),
    "paper_only": Text(zh="依据：论文本身", en="Basis: the paper alone"),
    "basis": Text(zh="依据", en="Basis"),
    "evidence_intro": Text(
        zh="每行一项证据：条目编号、证据类型、名称、文号、日期。同一条目可填多行。",
        en="One piece of evidence a row: item ID, kind, title, reference number, date. An item may have several rows."),
    "assessors": Text(zh="评估人（第一行必填）", en="Assessors (the first row is required)"),
    "required": Text(zh="必填", en="required"),
    "date_hint": Text(zh="日期，格式 2025-03-31", en="a date, e.g. 2025-03-31"),
    "choose": Text(zh="请从下拉列表中选择", en="Choose from the list"),
    "page": Text(zh="第 &P 页 / 共 &N 页", en="Page &P of &N"),
}


def _t(key: str, lang: Lang) -> str:
    return L.text(WORDS[key], lang)


_SOFT_BREAK = re.compile(r"(?<=\S)[ \t]*\n(?![ \t]*(?:\n|[-*] |\d+[.)、] ))[ \t]*")


def _plain(value: Text, lang: Lang) -> str:
    """Item texts are markdown; a cell shows them without the markup (both languages for `both`), with
    the line breaks of the YAML source joined (a cell wraps by itself), list items and paragraphs kept."""
    texts = [value.get(lang)] if lang != "both" else ([value.zh] if value.zh == value.en else [value.zh, value.en])
    return "\n\n".join(_SOFT_BREAK.sub(" ", _MARKDOWN.sub("", t).strip()) for t in texts)


class _Lists:
    """The hidden sheet of drop-down values: one column per distinct list, reused by every cell."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.ranges: dict[tuple[str, ...], str] = {}

    def formula(self, choices: Sequence[Choice]) -> str:
        key = tuple(c.shown for c in choices)
        if key not in self.ranges:
            column = get_column_letter(len(self.ranges) + 1)
            for row, shown in enumerate(key, start=1):
                self.sheet[f"{column}{row}"] = shown
            self.ranges[key] = f"{quote_sheetname(L.LISTS_SHEET)}!${column}$1:${column}${len(key)}"
        return self.ranges[key]


class _Validations:
    """One DataValidation per distinct rule on a sheet, collecting the cells it applies to."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.rules: dict[tuple[str, ...], DataValidation] = {}

    def add(self, cell: str, kind: Any, *, formula1: str | None = None, formula2: str | None = None,
            operator: Any = None, title: str = "", prompt: str = "", error: str = "") -> None:
        key = (kind, formula1 or "", formula2 or "", operator or "", prompt)
        rule = self.rules.get(key)
        if rule is None:
            rule = DataValidation(type=kind, formula1=formula1, formula2=formula2, operator=operator,
                                  allow_blank=True, showErrorMessage=True, showInputMessage=bool(prompt),
                                  errorTitle="ssdocs", error=error[:255] or None,
                                  promptTitle=title[:32] or None, prompt=prompt[:255] or None)
            self.sheet.add_data_validation(rule)
            self.rules[key] = rule
        rule.add(cell)

    def choice(self, cell: str, lists: _Lists, choices: Sequence[Choice], lang: Lang, title: str = "") -> None:
        shown = "/".join(c.shown for c in choices)
        self.add(cell, "list", formula1=lists.formula(choices), title=title, prompt=_t("choose", lang),
                 error=f"{_t('choose', lang)}: {shown}")

    def date(self, cell: str, lang: Lang) -> None:
        self.add(cell, "date", operator="between", formula1=str(_serial(FIRST_DATE)),
                 formula2=str(_serial(LAST_DATE)), prompt=_t("date_hint", lang), error=_t("date_hint", lang))


def _display_width(line: str) -> float:
    """Width of a line in column units: a CJK character takes two, a Latin one about one."""
    return sum(2.0 if ord(ch) > 0x2E7F else 0.85 for ch in line)


def _fit_row(sheet: Worksheet, row: int, minimum: float = 15.0) -> None:
    """Set a row's height from its wrapped texts: neither Excel nor LibreOffice does it on open."""
    needed = 0.0
    for cell in sheet[row]:
        if not isinstance(cell.value, str) or not cell.value:
            continue
        width = sheet.column_dimensions[cell.column_letter].width or 10.0
        size = (cell.font.sz or 10.0) if cell.font is not None else 10.0
        per_line = max(1, int((width - 0.5) * 10.5 / size))
        lines = sum(max(1, -(-int(_display_width(part)) // per_line)) for part in cell.value.split("\n"))
        needed = max(needed, lines * size * 1.3 + 4.0)
    sheet.row_dimensions[row].height = max(minimum, min(409.0, needed))


def _serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days


def _setup(sheet: Worksheet, lang: Lang, header_rows: int, landscape: bool, freeze: str | None) -> None:
    """Protection, frozen header, A4 print setup with repeated headings and page numbers."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # let people widen a column or a row to read it
    sheet.protection.formatRows = False
    sheet.protection.selectLockedCells = False
    sheet.protection.selectUnlockedCells = False
    if freeze:
        sheet.freeze_panes = freeze
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    assert sheet.sheet_properties.pageSetUpPr is not None
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    if header_rows:
        sheet.print_title_rows = f"{header_rows}:{header_rows}" if header_rows == 1 else f"1:{header_rows}"
    footer, header = sheet.oddFooter, sheet.oddHeader
    assert footer is not None and header is not None
    footer.center.text = _t("page", lang)
    footer.center.size = 8
    header.left.text = _t("kicker", lang).replace("&", "&&")
    header.left.size = 8


def _title(sheet: Worksheet, text: str, subtitle: str, width: int) -> None:
    sheet["A1"] = text
    sheet["A1"].font = Font(name=FONT, bold=True, size=14)
    sheet["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A2"] = subtitle
    sheet["A2"].font = Font(name=FONT, size=9, color="555555")
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.row_dimensions[1].height = 24
    sheet.row_dimensions[2].height = 30 if len(subtitle) < 160 else 44


def _fit_title(sheet: Worksheet, width: int) -> None:
    """Heights of the title and subtitle rows, from their texts and the columns they are merged over."""
    total = sum(sheet.column_dimensions[get_column_letter(c)].width or 10.0 for c in range(1, width + 1))
    for row, size, minimum in ((1, 14.0, 24.0), (2, 9.0, 15.0)):
        value = sheet.cell(row=row, column=1).value
        if isinstance(value, str):
            per_line = max(1, int((total - 2) * 10.0 / size))
            lines = sum(max(1, -(-int(_display_width(part)) // per_line)) for part in value.split("\n"))
            sheet.row_dimensions[row].height = max(minimum, lines * size * 1.35 + 4)


def _headings(sheet: Worksheet, row: int, labels: Sequence[str], widths: Sequence[float], lang: Lang) -> None:
    for col, (label, width) in enumerate(zip(labels, widths, strict=True), start=1):
        cell = sheet.cell(row=row, column=col, value=label)
        cell.font = Font(name=FONT, bold=True, size=10)
        cell.fill = HEAD_FILL
        cell.border = BORDER
        cell.alignment = CENTER
        if width:
            sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.row_dimensions[row].height = 42 if lang == "both" else 28


def _answer_cell(sheet: Worksheet, row: int, col: int, value: CellValue = None, date: bool = False) -> str:
    cell = sheet.cell(row=row, column=col, value=value)
    cell.protection = OPEN
    cell.fill = ANSWER_FILL
    cell.border = BORDER
    cell.alignment = WRAP
    cell.font = Font(name=FONT, size=10)
    if date:
        cell.number_format = DATE_FORMAT
    return str(cell.coordinate)


def _fixed_cell(sheet: Worksheet, row: int, col: int, value: CellValue, *, bold: bool = False,
                center: bool = False, size: int = 10) -> None:
    cell = sheet.cell(row=row, column=col, value=value)
    cell.border = BORDER
    cell.alignment = CENTER if center else WRAP
    cell.font = Font(name=FONT, size=size, bold=bold)


def _cover(book: Workbook, context: QuestionnaireContext, lists: _Lists) -> None:
    lang: Lang = context.lang
    sheet = book.active
    assert sheet is not None
    sheet.title = L.tab(L.COVER, lang)
    _title(sheet, L.text(context.title, lang), _t("cover_note", lang), 4)
    checks = _Validations(sheet)
    header = context.header
    prefill: dict[str, CellValue] = {
        "code": header.code, "name_zh": header.name_zh, "name_en": header.name_en,
        "level": L.text(L.LEVELS[header.level], lang) if header.level else None,
        "year": header.year, "date": header.date,
    }
    for width, letter in ((32 if lang == "both" else 22, "A"), (30, "B"), (40, "C"), (24, "D")):
        sheet.column_dimensions[letter].width = width
    for offset, field in enumerate(L.COVER_FIELDS):
        row = L.COVER_FIRST_ROW + offset
        label = L.text(field.label, lang) + (" *" if field.required else "")
        _fixed_cell(sheet, row, 1, label, bold=True)
        sheet.cell(row=row, column=1).fill = HEAD_FILL
        cell = _answer_cell(sheet, row, 2, prefill.get(field.key), date=field.kind == "date")
        if field.kind == "level":
            checks.choice(cell, lists, L.level_choices(lang), lang, L.text(field.label, lang))
        elif field.kind == "year":
            checks.add(cell, "whole", operator="between", formula1="1990", formula2="2100",
                       prompt="1990–2100", error="1990–2100")
        elif field.kind == "date":
            checks.date(cell, lang)
    head = L.assessor_header_row()
    sheet.cell(row=head - 1, column=1, value=_t("assessors", lang)).font = Font(name=FONT, bold=True)
    _headings(sheet, head, [L.text(c.label, lang) for c in L.ASSESSOR_COLUMNS] + [""], [0, 0, 0, 0], lang)
    sheet.cell(row=head, column=4).border = Border()
    sheet.cell(row=head, column=4).fill = PatternFill()
    for row in range(head + 1, head + 1 + L.ASSESSOR_ROWS):
        first = row == head + 1
        for col in range(1, 4):
            _answer_cell(sheet, row, col, header.assessor if first and col == 1 else None)
    summary = head + L.ASSESSOR_ROWS + 2
    sheet.cell(row=summary, column=1, value=_t("checklist", lang)).font = Font(name=FONT, bold=True)
    for offset, view in enumerate(context.checklists, start=1):
        c = view.checklist
        count = sum(len(s.items) for s in view.sections)
        row = summary + offset
        sheet.cell(row=row, column=1, value=f"{c.id} {c.version}").font = Font(name=FONT, size=9)
        title = sheet.cell(row=row, column=2, value=f"{L.text(c.title, lang)} ({count} {_t('items', lang)})")
        title.font = Font(name=FONT, size=9)
        title.alignment = WRAP
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        sheet.row_dimensions[row].height = 26 if lang == "both" else 14
    _fit_title(sheet, 4)
    _setup(sheet, lang, 0, False, None)


def _band(band: Band) -> str:
    if band.min is not None and band.max is not None:
        return f"{band.min:g}–{band.max:g}"
    if band.min is not None:
        return f"≥ {band.min:g}"
    return f"< {band.max:g}" if band.max is not None else "*"


def _guidance(item: AnyItem, lang: Lang) -> str:
    out = _plain(item.guidance, lang)
    if isinstance(item, NumberItem):
        bands = "; ".join(f"{_band(b)}: {L.text(b.label, lang)} ({b.score:g})" for b in item.bands)
        out += f"\n\n{_t('unit', lang)}: {L.text(item.unit, lang)}. {_t('bands', lang)}: {bands}"
    return out


@functools.cache
def _register() -> BasisRegister | None:
    """The shipped register of legal instruments, to name what items cite; None if it cannot be read."""
    from ssdocs.errors import SsdocsError
    from ssdocs.loading.registers import BASIS_FILE, load_basis
    from ssdocs.paths import checklists_dir

    try:
        return load_basis(checklists_dir() / BASIS_FILE)
    except (SsdocsError, OSError):
        return None


def _basis(item: AnyItem, lang: Lang) -> str:
    """The legal basis (instrument, number, article) and the paper's words the item rests on."""
    lines = []
    register = _register()
    for ref in item.basis_refs:
        instrument = register.get(ref.ref) if register is not None else None
        name = f"《{instrument.title.zh}》" if instrument is not None and lang != "en" else (
            instrument.title.en if instrument is not None else ref.ref)
        if instrument is not None and instrument.number and lang != "en":
            name += f"（{instrument.number}）"
        lines.append(f"{_t('basis', lang)}：{name}{' ' + ref.article if ref.article else ''}")
    if item.paper_only:
        lines.append(_t("paper_only", lang))
    paper = _t("paper", lang)
    lines += [f"{paper}（{source.section}）：「{source.quote}」" for source in item.sources]
    return "\n".join(lines)


def _flags(item: AnyItem, lang: Lang) -> str:
    flags = []
    if item.context:
        flags.append(_t("context", lang))
    if item.critical:
        flags.append("★ " + _t("red_line", lang))
    if item.evidence_required:
        flags.append(_t("evidence_required", lang))
    return "\n".join(flags)


def _number_rule(item: NumberItem, lang: Lang) -> dict[str, str | None]:
    low, high = item.minimum, item.maximum
    unit = L.text(item.unit, lang)
    prompt = f"{_t('unit', lang)}: {unit}"
    if low is not None and high is not None:
        rule: dict[str, str | None] = {"operator": "between", "formula1": f"{low:g}", "formula2": f"{high:g}"}
        prompt += f"; {_t('range', lang)}: {low:g}–{high:g}"
    elif low is not None:
        rule = {"operator": "greaterThanOrEqual", "formula1": f"{low:g}", "formula2": None}
        prompt += f"; ≥ {low:g}"
    elif high is not None:
        rule = {"operator": "lessThanOrEqual", "formula1": f"{high:g}", "formula2": None}
        prompt += f"; ≤ {high:g}"
    else:
        rule = {"operator": "between", "formula1": "-1E+15", "formula2": "1E+15"}
    rule["prompt"] = prompt
    return rule


def _section_row(sheet: Worksheet, row: int, section: Section, lang: Lang) -> None:
    label = f"{section.id}  {L.text(section.title, lang)}"
    for col in range(1, len(L.ITEM_COLUMNS) + 1):
        cell = sheet.cell(row=row, column=col)
        cell.fill = SECTION_FILL
        cell.border = BORDER
    sheet.cell(row=row, column=1, value=label).font = Font(name=FONT, bold=True, size=10)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(L.ITEM_COLUMNS))


def _checklist_sheet(book: Workbook, checklist: Checklist, name: str, lang: Lang, lists: _Lists) -> None:
    sheet = book.create_sheet(name)
    subtitle = f"{checklist.id} {_t('version', lang)} {checklist.version} · {_t('how', lang)}"
    _title(sheet, L.text(checklist.title, lang), subtitle, len(L.ITEM_COLUMNS))
    _headings(sheet, L.HEADER_ROW, [L.heading(c.label, lang) for c in L.ITEM_COLUMNS],
              [c.width * (1.3 if lang == "both" and c.key in ("question", "guidance") else 1.0)
               for c in L.ITEM_COLUMNS], lang)
    checks = _Validations(sheet)
    col = L.COLUMN_INDEX
    row = L.FIRST_ROW
    for section in checklist.sections:
        _section_row(sheet, row, section, lang)
        row += 1
        for item in section.items:
            _fixed_cell(sheet, row, col["id"], item.id, bold=True)
            _fixed_cell(sheet, row, col["question"], _plain(item.question, lang))
            _fixed_cell(sheet, row, col["guidance"], _guidance(item, lang), size=8 if lang == "both" else 9)
            _fixed_cell(sheet, row, col["basis"], _basis(item, lang), size=9)
            _fixed_cell(sheet, row, col["weight"], item.weight, center=True)
            _fixed_cell(sheet, row, col["flags"], _flags(item, lang), center=True)
            if item.critical:
                sheet.cell(row=row, column=col["flags"]).font = Font(name=FONT, size=10, bold=True, color="B42318")
            question = f"{item.id}"
            if L.is_grid(item):
                _fixed_cell(sheet, row, col["value"], f"→ {_t('see_sheet', lang)} {item.id}", center=True)
            else:
                cell = _answer_cell(sheet, row, col["value"])
                choices = L.item_choices(item, lang)
                if choices is not None:
                    checks.choice(cell, lists, choices, lang, question)
                elif isinstance(item, NumberItem):
                    rule = _number_rule(item, lang)
                    checks.add(cell, "whole" if item.integer else "decimal", operator=rule["operator"],
                               formula1=rule["formula1"], formula2=rule["formula2"], title=question,
                               prompt=rule["prompt"] or "", error=rule["prompt"] or "")
            for key in ("na", "evidence.kind", "evidence.title", "evidence.number", "evidence.date",
                        "note", "owner", "due"):
                cell = _answer_cell(sheet, row, col[key], date=key in ("evidence.date", "due"))
                if key == "evidence.kind":
                    checks.choice(cell, lists, L.evidence_choices(lang), lang)
                elif key in ("evidence.date", "due"):
                    checks.date(cell, lang)
            _fit_row(sheet, row, 30.0)
            row += 1
    _fit_title(sheet, len(L.ITEM_COLUMNS))
    _setup(sheet, lang, L.HEADER_ROW, True, f"C{L.FIRST_ROW}")
    sheet.print_area = f"A1:{get_column_letter(len(L.ITEM_COLUMNS))}{row - 1}"


def _grid_subtitle(checklist: Checklist, item: MatrixItem | GridItem, lang: Lang) -> str:
    if isinstance(item, MatrixItem):
        return f"{L.text(checklist.title, lang)} · {_t('grid_legend', lang)}"
    names = {c.id: L.text(c.label, lang) for c in item.columns}
    ratios = "; ".join(
        f"{L.text(r.label, lang)} = {names[r.numerator]} ÷ {names[r.denominator]} × 100%"
        + (f" ({_t('scored_by', lang)}: {', '.join(f'{_band(b)}% {L.text(b.label, lang)}' for b in item.bands)})"
           if r.id == item.scored_by else "") for r in item.ratios)
    return f"{L.text(checklist.title, lang)} · {_t('numbers_legend', lang)} {_t('ratios', lang)}: {ratios}"


def _grid_number_rule(column: Any, lang: Lang) -> tuple[str, dict[str, str | None]]:
    low, high = column.minimum, column.maximum
    if low is not None and high is not None:
        rule: dict[str, str | None] = {"operator": "between", "formula1": f"{low:g}", "formula2": f"{high:g}"}
    elif low is not None:
        rule = {"operator": "greaterThanOrEqual", "formula1": f"{low:g}", "formula2": None}
    elif high is not None:
        rule = {"operator": "lessThanOrEqual", "formula1": f"{high:g}", "formula2": None}
    else:
        rule = {"operator": "between", "formula1": "-1E+15", "formula2": "1E+15"}
    return ("whole" if column.integer else "decimal"), rule


def _grid_sheet(book: Workbook, checklist: Checklist, item: MatrixItem | GridItem, lang: Lang, lists: _Lists) -> None:
    sheet = book.create_sheet(item.id)
    labels = L.grid_headings(item, lang)
    width = len(labels)
    _title(sheet, f"{item.id}  {_plain(item.question, lang)}", _grid_subtitle(checklist, item, lang), width)
    widths = [16.0, 30.0] + [max(10.0, min(18.0, 4.0 + len(label) * (1.0 if lang == "en" else 1.6)))
                             for label in labels[2:]]
    _headings(sheet, L.HEADER_ROW, labels, widths, lang)
    sheet.row_dimensions[L.HEADER_ROW].height = 44 if lang == "both" else 30
    checks = _Validations(sheet)
    groups = {g.id: g for g in getattr(item, "groups", [])}
    row = L.FIRST_ROW
    shown_group: str | None = None
    for grid_row in item.rows:
        group = getattr(grid_row, "group", None)
        if group is not None and group != shown_group:
            shown_group = group
            for col in range(1, width + 1):
                sheet.cell(row=row, column=col).fill = SECTION_FILL
                sheet.cell(row=row, column=col).border = BORDER
            sheet.cell(row=row, column=2, value=L.text(groups[group].label, lang)).font = Font(
                name=FONT, bold=True, size=10)
            row += 1
        _fixed_cell(sheet, row, 1, grid_row.id, size=8)
        sheet.cell(row=row, column=1).font = Font(name=FONT, size=8, color="667085")
        _fixed_cell(sheet, row, 2, L.text(grid_row.label, lang))
        for offset, column in enumerate(item.columns):
            cell = _answer_cell(sheet, row, 3 + offset)
            sheet.cell(row=row, column=3 + offset).alignment = CENTER
            if isinstance(item, MatrixItem):
                checks.choice(cell, lists, L.cell_choices(lang), lang)
            else:
                kind, rule = _grid_number_rule(column, lang)
                prompt = labels[2 + offset].replace("\n", " ")
                checks.add(cell, kind, operator=rule["operator"], formula1=rule["formula1"],
                           formula2=rule["formula2"], prompt=prompt, error=prompt)
        if isinstance(item, GridItem):
            cell = _answer_cell(sheet, row, width)
            checks.choice(cell, lists, L.row_na_choices(lang), lang)
        _fit_row(sheet, row, 18.0)
        row += 1
    _fit_title(sheet, width)
    _setup(sheet, lang, L.HEADER_ROW, width > 7, f"C{L.FIRST_ROW}")


def _evidence_sheet(book: Workbook, context: QuestionnaireContext, lists: _Lists) -> None:
    lang: Lang = context.lang
    sheet = book.create_sheet(L.tab(L.EVIDENCE, lang))
    _title(sheet, L.tab(L.EVIDENCE, lang), _t("evidence_intro", lang), len(L.EVIDENCE_COLUMNS))
    _headings(sheet, L.HEADER_ROW, [L.heading(c.label, lang) for c in L.EVIDENCE_COLUMNS],
              [c.width for c in L.EVIDENCE_COLUMNS], lang)
    checks = _Validations(sheet)
    ids = [Choice(item.id, item.id) for view in context.checklists for s in view.sections for v in s.items
           for item in (v.item,)]
    for row in range(L.FIRST_ROW, L.FIRST_ROW + L.EVIDENCE_ROWS):
        for col, column in enumerate(L.EVIDENCE_COLUMNS, start=1):
            cell = _answer_cell(sheet, row, col, date=column.key == "date")
            if column.key == "item":
                checks.choice(cell, lists, ids, lang)
            elif column.key == "kind":
                checks.choice(cell, lists, L.evidence_choices(lang), lang)
            elif column.key == "date":
                checks.date(cell, lang)
    _fit_title(sheet, len(L.EVIDENCE_COLUMNS))
    _setup(sheet, lang, L.HEADER_ROW, False, f"A{L.FIRST_ROW}")


def _meta(book: Workbook, context: QuestionnaireContext) -> None:
    sheet = book.create_sheet(L.META_SHEET)
    rows: list[tuple[object, ...]] = [
        ("format", L.FORMAT), ("format_version", L.FORMAT_VERSION), ("lang", context.lang),
        ("generator", f"ssdocs {__version__}"), ("generated", context.generated.isoformat()),
    ]
    rows += [("checklist", cid, version) for cid, version in context.checklist_refs]
    for row in rows:
        sheet.append(list(row))
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True
    refs = " ".join(f"{cid}@{version}" for cid, version in context.checklist_refs)
    book.defined_names["ssdocs_checklists"] = DefinedName("ssdocs_checklists", attr_text=f'"{refs}"')


def build_workbook(context: QuestionnaireContext) -> Workbook:
    """The questionnaire as an openpyxl workbook (see the module docstring for its sheets)."""
    book = Workbook()
    lists_sheet = book.create_sheet(L.LISTS_SHEET)  # filled as drop-downs are made, moved last
    lists = _Lists(lists_sheet)
    lang: Lang = context.lang
    checklists = [view.checklist for view in context.checklists]
    names = L.checklist_sheets(checklists, lang)
    _cover(book, context, lists)
    for checklist in checklists:
        _checklist_sheet(book, checklist, names[checklist.id], lang, lists)
    for checklist, item in L.grid_sheets(checklists):
        _grid_sheet(book, checklist, item, lang, lists)
    _evidence_sheet(book, context, lists)
    _meta(book, context)
    book.move_sheet(lists_sheet, offset=len(book.sheetnames) - 1 - book.index(lists_sheet))
    lists_sheet.sheet_state = "hidden"
    lists_sheet.protection.sheet = True
    # No adding, renaming, moving or unhiding sheets: the importer finds everything by its tab name.
    book.security = WorkbookProtection(lockStructure=True)
    stamp = dt.datetime.combine(context.generated, dt.time(0, 0))
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = f"ssdocs {__version__}"
    book.properties.title = L.text(context.title, lang)
    book.properties.language = "en" if lang == "en" else "zh-CN"
    book.properties.keywords = " ".join(f"{cid}@{version}" for cid, version in context.checklist_refs)
    return book


def render_workbook(context: QuestionnaireContext) -> bytes:
    """The questionnaire as xlsx bytes."""
    out = io.BytesIO()
    build_workbook(context).save(out)
    return out.getvalue()


def write_questionnaire_xlsx(context: QuestionnaireContext, target: Path | str) -> Path:
    """Write the xlsx questionnaire atomically to `target`."""
    return write_bytes(target, render_workbook(context))


__all__ = ["WORDS", "build_workbook", "render_workbook", "write_questionnaire_xlsx"]
