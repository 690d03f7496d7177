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
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Border, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.worksheet import Worksheet

from ssdocs import __version__
from ssdocs.context.questionnaire import QuestionnaireContext
from ssdocs.forms import sheets as L
from ssdocs.forms.sheets import Choice, Lang
from ssdocs.models.assessment import MAX_PERSONS
from ssdocs.models.checklist import AnyItem, Band, Checklist, GridItem, MatrixItem, NumberItem, Section
from ssdocs.models.registers import BasisRegister
from ssdocs.render.workbook_style import (
    BORDER,
    CENTER,
    FONT,
    HEAD_FILL,
    SECTION_FILL,
    WORDS,
    WRAP,
    CellValue,
    Lists,
    Validations,
    answer_cell,
    fit_row,
    fit_title,
    fixed_cell,
    headings,
    plain_text,
    setup_sheet,
    title_rows,
    word,
)


def _cover(book: Workbook, context: QuestionnaireContext, lists: Lists) -> None:
    lang: Lang = context.lang
    sheet = book.active
    assert sheet is not None
    sheet.title = L.tab(L.COVER, lang)
    title_rows(sheet, L.text(context.title, lang), word("cover_note", lang), 4)
    checks = Validations(sheet)
    header = context.header
    prefill: dict[str, CellValue] = {
        "code": header.code, "name_zh": header.name_zh, "name_en": header.name_en,
        "level": L.text(L.LEVELS[header.level], lang) if header.level else None,
        "year": header.year, "date": header.date, "parent": header.parent, "insured": header.insured, "population": header.population,
    }
    first = {"both": 35, "en": 25}.get(lang, 22)  # room for the longest label, 上级地区代码 / Parent jurisdiction (code)
    for width, letter in ((first, "A"), (30, "B"), (40, "C"), (24, "D")):
        sheet.column_dimensions[letter].width = width
    for offset, field in enumerate(L.COVER_FIELDS):
        row = L.COVER_FIRST_ROW + offset
        label = L.text(field.label, lang) + (" *" if field.required else "")
        fixed_cell(sheet, row, 1, label, bold=True)
        sheet.cell(row=row, column=1).fill = HEAD_FILL
        cell = answer_cell(sheet, row, 2, prefill.get(field.key), date=field.kind == "date")
        if field.kind == "level":
            checks.choice(cell, lists, L.level_choices(lang), lang, L.text(field.label, lang))
        elif field.kind == "year":
            checks.add(cell, "whole", operator="between", formula1="1990", formula2="2100",
                       prompt="1990–2100", error="1990–2100")
        elif field.kind == "date":
            checks.date(cell, lang)
        elif field.kind == "count":
            limits = f"1–{MAX_PERSONS:,}"
            checks.add(cell, "whole", operator="between", formula1="1", formula2=str(MAX_PERSONS),
                       prompt=limits, error=limits)
    head = L.assessor_header_row()
    sheet.cell(row=head - 1, column=1, value=word("assessors", lang)).font = Font(name=FONT, bold=True)
    headings(sheet, head, [L.text(c.label, lang) for c in L.ASSESSOR_COLUMNS] + [""], [0, 0, 0, 0], lang)
    sheet.cell(row=head, column=4).border = Border()
    sheet.cell(row=head, column=4).fill = PatternFill()
    for row in range(head + 1, head + 1 + L.ASSESSOR_ROWS):
        first = row == head + 1
        for col in range(1, 4):
            answer_cell(sheet, row, col, header.assessor if first and col == 1 else None)
    summary = head + L.ASSESSOR_ROWS + 2
    sheet.cell(row=summary, column=1, value=word("checklist", lang)).font = Font(name=FONT, bold=True)
    for offset, view in enumerate(context.checklists, start=1):
        c = view.checklist
        count = sum(len(s.items) for s in view.sections)
        row = summary + offset
        sheet.cell(row=row, column=1, value=f"{c.id} {c.version}").font = Font(name=FONT, size=9)
        title = sheet.cell(row=row, column=2, value=f"{L.text(c.title, lang)} ({count} {word('items', lang)})")
        title.font = Font(name=FONT, size=9)
        title.alignment = WRAP
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        sheet.row_dimensions[row].height = 26 if lang == "both" else 14
    fit_title(sheet, 4)
    setup_sheet(sheet, lang, 0, False, None)


def _band(band: Band) -> str:
    if band.min is not None and band.max is not None:
        return f"{band.min:g}–{band.max:g}"
    if band.min is not None:
        return f"≥ {band.min:g}"
    return f"< {band.max:g}" if band.max is not None else "*"


def _guidance(item: AnyItem, lang: Lang) -> str:
    out = plain_text(item.guidance, lang)
    if isinstance(item, NumberItem):
        bands = "; ".join(f"{_band(b)}: {L.text(b.label, lang)} ({b.score:g})" for b in item.bands)
        out += f"\n\n{word('unit', lang)}: {L.text(item.unit, lang)}. {word('bands', lang)}: {bands}"
    return out


@functools.cache
def _register() -> BasisRegister | None:
    """The shipped register of legal instruments, to name what items cite; None if it cannot be read."""
    from ssdocs.core.paths import checklists_dir
    from ssdocs.errors import SsdocsError
    from ssdocs.loading.registers import BASIS_FILE, load_basis

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
        lines.append(f"{word('basis', lang)}：{name}{' ' + ref.article if ref.article else ''}")
    if item.paper_only:
        lines.append(word("paper_only", lang))
    paper = word("paper", lang)
    lines += [f"{paper}（{source.section}）：「{source.quote}」" for source in item.sources]
    return "\n".join(lines)


def _flags(item: AnyItem, lang: Lang) -> str:
    flags = []
    if item.context:
        flags.append(word("context", lang))
    if item.critical:
        flags.append("★ " + word("red_line", lang))
    if item.evidence_required:
        flags.append(word("evidence_required", lang))
    return "\n".join(flags)


def _number_rule(item: NumberItem, lang: Lang) -> dict[str, str | None]:
    low, high = item.minimum, item.maximum
    unit = L.text(item.unit, lang)
    prompt = f"{word('unit', lang)}: {unit}"
    if low is not None and high is not None:
        rule: dict[str, str | None] = {"operator": "between", "formula1": f"{low:g}", "formula2": f"{high:g}"}
        prompt += f"; {word('range', lang)}: {low:g}–{high:g}"
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


def _checklist_sheet(book: Workbook, checklist: Checklist, name: str, lang: Lang, lists: Lists) -> None:
    sheet = book.create_sheet(name)
    subtitle = f"{checklist.id} {word('version', lang)} {checklist.version} · {word('how', lang)}"
    title_rows(sheet, L.text(checklist.title, lang), subtitle, len(L.ITEM_COLUMNS))
    headings(sheet, L.HEADER_ROW, [L.heading(c.label, lang) for c in L.ITEM_COLUMNS],
              [c.width * (1.3 if lang == "both" and c.key in ("question", "guidance") else 1.0)
               for c in L.ITEM_COLUMNS], lang)
    checks = Validations(sheet)
    col = L.COLUMN_INDEX
    row = L.FIRST_ROW
    for section in checklist.sections:
        _section_row(sheet, row, section, lang)
        row += 1
        for item in section.items:
            fixed_cell(sheet, row, col["id"], item.id, bold=True)
            fixed_cell(sheet, row, col["question"], plain_text(item.question, lang))
            fixed_cell(sheet, row, col["guidance"], _guidance(item, lang), size=8 if lang == "both" else 9)
            fixed_cell(sheet, row, col["basis"], _basis(item, lang), size=9)
            fixed_cell(sheet, row, col["weight"], item.weight, center=True)
            fixed_cell(sheet, row, col["flags"], _flags(item, lang), center=True)
            if item.critical:
                sheet.cell(row=row, column=col["flags"]).font = Font(name=FONT, size=10, bold=True, color="B42318")
            question = f"{item.id}"
            if L.is_grid(item):
                fixed_cell(sheet, row, col["value"], f"→ {word('see_sheet', lang)} {item.id}", center=True)
            else:
                cell = answer_cell(sheet, row, col["value"])
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
                cell = answer_cell(sheet, row, col[key], date=key in ("evidence.date", "due"))
                if key == "evidence.kind":
                    checks.choice(cell, lists, L.evidence_choices(lang), lang)
                elif key in ("evidence.date", "due"):
                    checks.date(cell, lang)
            fit_row(sheet, row, 30.0)
            row += 1
    fit_title(sheet, len(L.ITEM_COLUMNS))
    setup_sheet(sheet, lang, L.HEADER_ROW, True, f"C{L.FIRST_ROW}")
    sheet.print_area = f"A1:{get_column_letter(len(L.ITEM_COLUMNS))}{row - 1}"


def _grid_subtitle(checklist: Checklist, item: MatrixItem | GridItem, lang: Lang) -> str:
    if isinstance(item, MatrixItem):
        return f"{L.text(checklist.title, lang)} · {word('grid_legend', lang)}"
    names = {c.id: L.text(c.label, lang) for c in item.columns}
    ratios = "; ".join(
        f"{L.text(r.label, lang)} = {names[r.numerator]} ÷ {names[r.denominator]} × 100%"
        + (f" ({word('scored_by', lang)}: {', '.join(f'{_band(b)}% {L.text(b.label, lang)}' for b in item.bands)})"
           if r.id == item.scored_by else "") for r in item.ratios)
    return f"{L.text(checklist.title, lang)} · {word('numbers_legend', lang)} {word('ratios', lang)}: {ratios}"


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


def _grid_sheet(book: Workbook, checklist: Checklist, item: MatrixItem | GridItem, lang: Lang, lists: Lists) -> None:
    sheet = book.create_sheet(item.id)
    labels = L.grid_headings(item, lang)
    width = len(labels)
    title_rows(sheet, f"{item.id}  {plain_text(item.question, lang)}", _grid_subtitle(checklist, item, lang), width)
    widths = [16.0, 30.0] + [max(10.0, min(18.0, 4.0 + len(label) * (1.0 if lang == "en" else 1.6)))
                             for label in labels[2:]]
    headings(sheet, L.HEADER_ROW, labels, widths, lang)
    sheet.row_dimensions[L.HEADER_ROW].height = 44 if lang == "both" else 30
    checks = Validations(sheet)
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
        fixed_cell(sheet, row, 1, grid_row.id, size=8)
        sheet.cell(row=row, column=1).font = Font(name=FONT, size=8, color="667085")
        fixed_cell(sheet, row, 2, L.text(grid_row.label, lang))
        for offset, column in enumerate(item.columns):
            cell = answer_cell(sheet, row, 3 + offset)
            sheet.cell(row=row, column=3 + offset).alignment = CENTER
            if isinstance(item, MatrixItem):
                checks.choice(cell, lists, L.cell_choices(lang), lang)
            else:
                kind, rule = _grid_number_rule(column, lang)
                prompt = labels[2 + offset].replace("\n", " ")
                checks.add(cell, kind, operator=rule["operator"], formula1=rule["formula1"],
                           formula2=rule["formula2"], prompt=prompt, error=prompt)
        if isinstance(item, GridItem):
            cell = answer_cell(sheet, row, width)
            checks.choice(cell, lists, L.row_na_choices(lang), lang)
        fit_row(sheet, row, 18.0)
        row += 1
    fit_title(sheet, width)
    setup_sheet(sheet, lang, L.HEADER_ROW, width > 7, f"C{L.FIRST_ROW}")


def _evidence_sheet(book: Workbook, context: QuestionnaireContext, lists: Lists) -> None:
    lang: Lang = context.lang
    sheet = book.create_sheet(L.tab(L.EVIDENCE, lang))
    title_rows(sheet, L.tab(L.EVIDENCE, lang), word("evidence_intro", lang), len(L.EVIDENCE_COLUMNS))
    headings(sheet, L.HEADER_ROW, [L.heading(c.label, lang) for c in L.EVIDENCE_COLUMNS],
              [c.width for c in L.EVIDENCE_COLUMNS], lang)
    checks = Validations(sheet)
    ids = [Choice(item.id, item.id) for view in context.checklists for s in view.sections for v in s.items
           for item in (v.item,)]
    for row in range(L.FIRST_ROW, L.FIRST_ROW + L.EVIDENCE_ROWS):
        for col, column in enumerate(L.EVIDENCE_COLUMNS, start=1):
            cell = answer_cell(sheet, row, col, date=column.key == "date")
            if column.key == "item":
                checks.choice(cell, lists, ids, lang)
            elif column.key == "kind":
                checks.choice(cell, lists, L.evidence_choices(lang), lang)
            elif column.key == "date":
                checks.date(cell, lang)
    fit_title(sheet, len(L.EVIDENCE_COLUMNS))
    setup_sheet(sheet, lang, L.HEADER_ROW, False, f"A{L.FIRST_ROW}")


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
    lists = Lists(lists_sheet)
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


__all__ = ["WORDS", "build_workbook", "render_workbook"]
