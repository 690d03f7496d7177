"""How the xlsx questionnaire looks and guards its cells: styles, texts, drop-down lists, data
validation, row heights, protection and A4 print setup (used by render/workbook.py)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ssdocs.forms import sheets as L
from ssdocs.forms.sheets import Choice, Lang
from ssdocs.models.base import Text

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


def word(key: str, lang: Lang) -> str:
    return L.text(WORDS[key], lang)


_SOFT_BREAK = re.compile(r"(?<=\S)[ \t]*\n(?![ \t]*(?:\n|[-*] |\d+[.)、] ))[ \t]*")


def plain_text(value: Text, lang: Lang) -> str:
    """Item texts are markdown; a cell shows them without the markup (both languages for `both`), with
    the line breaks of the YAML source joined (a cell wraps by itself), list items and paragraphs kept."""
    texts = [value.get(lang)] if lang != "both" else ([value.zh] if value.zh == value.en else [value.zh, value.en])
    return "\n\n".join(_SOFT_BREAK.sub(" ", _MARKDOWN.sub("", t).strip()) for t in texts)


class Lists:
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


class Validations:
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

    def choice(self, cell: str, lists: Lists, choices: Sequence[Choice], lang: Lang, title: str = "") -> None:
        shown = "/".join(c.shown for c in choices)
        self.add(cell, "list", formula1=lists.formula(choices), title=title, prompt=word("choose", lang),
                 error=f"{word('choose', lang)}: {shown}")

    def date(self, cell: str, lang: Lang) -> None:
        self.add(cell, "date", operator="between", formula1=str(serial(FIRST_DATE)),
                 formula2=str(serial(LAST_DATE)), prompt=word("date_hint", lang), error=word("date_hint", lang))


def display_width(line: str) -> float:
    """Width of a line in column units: a CJK character takes two, a Latin one about one."""
    return sum(2.0 if ord(ch) > 0x2E7F else 0.85 for ch in line)


def fit_row(sheet: Worksheet, row: int, minimum: float = 15.0) -> None:
    """Set a row's height from its wrapped texts: neither Excel nor LibreOffice does it on open."""
    needed = 0.0
    for cell in sheet[row]:
        if not isinstance(cell.value, str) or not cell.value:
            continue
        width = sheet.column_dimensions[cell.column_letter].width or 10.0
        size = (cell.font.sz or 10.0) if cell.font is not None else 10.0
        per_line = max(1, int((width - 0.5) * 10.5 / size))
        lines = sum(max(1, -(-int(display_width(part)) // per_line)) for part in cell.value.split("\n"))
        needed = max(needed, lines * size * 1.3 + 4.0)
    sheet.row_dimensions[row].height = max(minimum, min(409.0, needed))


def serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days


def setup_sheet(sheet: Worksheet, lang: Lang, header_rows: int, landscape: bool, freeze: str | None) -> None:
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
    footer.center.text = word("page", lang)
    footer.center.size = 8
    header.left.text = word("kicker", lang).replace("&", "&&")
    header.left.size = 8


def title_rows(sheet: Worksheet, text: str, subtitle: str, width: int) -> None:
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


def fit_title(sheet: Worksheet, width: int) -> None:
    """Heights of the title and subtitle rows, from their texts and the columns they are merged over."""
    total = sum(sheet.column_dimensions[get_column_letter(c)].width or 10.0 for c in range(1, width + 1))
    for row, size, minimum in ((1, 14.0, 24.0), (2, 9.0, 15.0)):
        value = sheet.cell(row=row, column=1).value
        if isinstance(value, str):
            per_line = max(1, int((total - 2) * 10.0 / size))
            lines = sum(max(1, -(-int(display_width(part)) // per_line)) for part in value.split("\n"))
            sheet.row_dimensions[row].height = max(minimum, lines * size * 1.35 + 4)


def headings(sheet: Worksheet, row: int, labels: Sequence[str], widths: Sequence[float], lang: Lang) -> None:
    for col, (label, width) in enumerate(zip(labels, widths, strict=True), start=1):
        cell = sheet.cell(row=row, column=col, value=label)
        cell.font = Font(name=FONT, bold=True, size=10)
        cell.fill = HEAD_FILL
        cell.border = BORDER
        cell.alignment = CENTER
        if width:
            sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.row_dimensions[row].height = 42 if lang == "both" else 28


def answer_cell(sheet: Worksheet, row: int, col: int, value: CellValue = None, date: bool = False) -> str:
    cell = sheet.cell(row=row, column=col, value=value)
    cell.protection = OPEN
    cell.fill = ANSWER_FILL
    cell.border = BORDER
    cell.alignment = WRAP
    cell.font = Font(name=FONT, size=10)
    if date:
        cell.number_format = DATE_FORMAT
    return str(cell.coordinate)


def fixed_cell(sheet: Worksheet, row: int, col: int, value: CellValue, *, bold: bool = False,
                center: bool = False, size: int = 10) -> None:
    cell = sheet.cell(row=row, column=col, value=value)
    cell.border = BORDER
    cell.alignment = CENTER if center else WRAP
    cell.font = Font(name=FONT, size=size, bold=bold)


__all__ = [
    "ANSWER_FILL",
    "BORDER",
    "CENTER",
    "DATE_FORMAT",
    "FIRST_DATE",
    "FONT",
    "HEAD_FILL",
    "LAST_DATE",
    "OPEN",
    "SECTION_FILL",
    "WORDS",
    "WRAP",
    "CellValue",
    "Lists",
    "Validations",
    "answer_cell",
    "display_width",
    "fit_row",
    "fit_title",
    "fixed_cell",
    "headings",
    "plain_text",
    "serial",
    "setup_sheet",
    "title_rows",
    "word",
]
