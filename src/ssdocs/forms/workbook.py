"""A filled xlsx questionnaire -> assessment YAML: check the package, read the cells, locate every problem.

The workbook is untrusted. Before openpyxl sees it, the zip is checked with `zipfile`: size, member
count, uncompressed size and compression ratio (zip bombs), macros (`.xlsm`, by content type and
`vbaProject.bin`, not only by extension) and links to other workbooks are refused. openpyxl then reads
it in read-only mode, row by bounded row. Formulas are never evaluated: a cell holding a formula is an
error (its cached value could be anything the sender typed into the XML), so answers must be typed.
Every problem is reported as `FILE:Sheet!Cell: message`, all at once; nothing is written on error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ssdocs.core.files import write_text
from ssdocs.errors import Problem, SsdocsError, ValidationFailed
from ssdocs.forms import sheets as L
from ssdocs.forms.cells import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    Reading,
    Sheet,
    check_package,
    choice_table,
    choose,
    headings_ok,
    read_number,
    read_sheet,
    shown,
)
from ssdocs.forms.importer import ImportResult, check_target, dump_assessment, validation_problems
from ssdocs.forms.workbook_cover import read_assessors, read_cover
from ssdocs.loading.checklists import Catalog
from ssdocs.models.checklist import AnyItem, Checklist, GridColumn, GridItem, NumberItem


class WorkbookInvalid(ValidationFailed):
    """Problems found in a filled workbook, in the order of its sheets, rows and columns."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = list(problems)  # workbook order, not the text sort of "Sheet!E10" < "Sheet!E7"
        n = len(problems)
        self.args = (f"{n} error{'s' if n != 1 else ''} in 1 file",)  # one workbook, however many cells


@dataclass
class _Answers:
    by_item: dict[str, dict[str, Any]] = field(default_factory=dict)

    def get(self, item_id: str) -> dict[str, Any]:
        return self.by_item.setdefault(item_id, {})


def _evidence(sheet: Sheet, row: int, cols: dict[str, int], kinds: dict[str, set[str | int]],
              path: str) -> dict[str, Any] | None:
    kind = choose(sheet, row, cols["kind"], kinds, list(L.EVIDENCE_KINDS))
    title = sheet.text(row, cols["title"])
    number = sheet.text(row, cols["number"])
    date = sheet.date(row, cols["date"])
    if title is None:
        if kind is not None or number is not None or date is not None:
            sheet.problem(row, cols["title"], "evidence needs a title (the name of the document or record)")
        return None
    entry: dict[str, Any] = {"kind": kind or "document", "title": title}
    if number is not None:
        entry["number"] = number
    if date is not None:
        entry["date"] = date
    sheet.reading.locations[path] = sheet.where(row, cols["title"])
    return entry


def _item_row(sheet: Sheet, row: int, item: AnyItem, lang: L.Lang, answers: _Answers) -> None:
    col = L.COLUMN_INDEX
    answer = answers.get(item.id)
    base = f"answers.{item.id}"
    sheet.reading.locations[base] = sheet.where(row, col["id"])
    if not L.is_grid(item):
        value: Any = None
        if isinstance(item, NumberItem):
            value = read_number(sheet, row, col["value"], item)
        else:
            table = choice_table(L.labels_of(item), L.item_choices(item, lang) or [])
            value = choose(sheet, row, col["value"], table, item.allowed_values())
        if value is not None:
            answer["value"] = value
        sheet.reading.locations[f"{base}.value"] = sheet.where(row, col["value"])
    na = sheet.text(row, col["na"])
    if na is not None:
        if "value" in answer:
            sheet.problem(row, col["na"], "give either an answer or an N/A reason, not both")
        answer["na"] = na
        sheet.reading.locations[f"{base}.na"] = sheet.where(row, col["na"])
    kinds = choice_table(list(L.EVIDENCE_KINDS.items()), L.evidence_choices(lang))
    ev_cols = {k: col[f"evidence.{k}"] for k in ("kind", "title", "number", "date")}
    entry = _evidence(sheet, row, ev_cols, kinds, f"{base}.evidence[0]")
    if entry is not None:
        answer.setdefault("evidence", []).append(entry)
    for key in ("note", "owner"):
        value = sheet.text(row, col[key])
        if value is not None:
            answer[key] = value
            sheet.reading.locations[f"{base}.{key}"] = sheet.where(row, col[key])
    due = sheet.date(row, col["due"])
    if due is not None:
        answer["due"] = due
        sheet.reading.locations[f"{base}.due"] = sheet.where(row, col["due"])


def _checklist_sheet(sheet: Sheet, checklist: Checklist, lang: L.Lang, answers: _Answers) -> None:
    if not headings_ok(sheet, [L.heading(c.label, lang) for c in L.ITEM_COLUMNS]):
        return
    items = {item.id: item for _, item in checklist.items()}
    seen: dict[str, int] = {}
    answer_cols = [i + 1 for i, c in enumerate(L.ITEM_COLUMNS) if c.answer]
    last = max((r for r, _ in sheet.cells), default=0)
    for row in range(L.FIRST_ROW, last + 1):
        ident = sheet.text(row, 1)
        if ident is not None and ident in items:
            if ident in seen:
                sheet.problem(row, 1, f"item {ident} has a second row (the first is row {seen[ident]})")
                continue
            seen[ident] = row
            _item_row(sheet, row, items[ident], lang, answers)
        elif any((row, c) in sheet.cells for c in answer_cols):
            sheet.problem(row, 1, f"this row answers no item of {checklist.id} {checklist.version}: expected an "
                          f"item ID in column A, got {shown(ident or '')}")
    for ident in items:
        if ident not in seen:
            sheet.reading.problem(sheet.title, f"the row of item {ident} is missing; use a fresh questionnaire")


def _grid_number(sheet: Sheet, row: int, col: int, column: GridColumn) -> int | float | None:
    value = sheet.raw(row, col)
    if value is None:
        return None
    number: Any = value
    if isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "").replace("，", ""))
        except ValueError:
            number = None
    if isinstance(number, bool) or not isinstance(number, int | float) or number != number:
        sheet.problem(row, col, f"expected {column.allowed()}, got {shown(value)}")
        return None
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    low, high = column.minimum, column.maximum
    if (low is not None and number < low) or (high is not None and number > high) or \
            (column.integer and not isinstance(number, int)):
        sheet.problem(row, col, f"expected {column.allowed()}, got {shown(value)}")
        return None
    return number  # type: ignore[no-any-return]


def _grid_sheet(sheet: Sheet, item: L.GridLike, lang: L.Lang, answers: _Answers) -> None:
    """A matrix (yes/no/na per cell) or a grid (numbers per cell, a row may be N/A) on its own sheet."""
    expected = L.grid_headings(item, lang)
    if not headings_ok(sheet, expected):
        return
    table = choice_table(list(L.CELL.items()), L.cell_choices(lang))
    na_table = choice_table([("na", L.CELL["na"])], L.row_na_choices(lang))
    rows = {r.id for r in item.rows}
    value: dict[str, Any] = {}
    seen: set[str] = set()
    last = max((r for r, _ in sheet.cells), default=0)
    width = len(expected)
    for row in range(L.FIRST_ROW, last + 1):
        ident = sheet.text(row, 1)
        if ident is None or ident not in rows or ident in seen:
            if any((row, c) in sheet.cells for c in range(3, width + 1)):
                sheet.problem(row, 1, f"this row is no row of {item.id}: expected a row ID in column A, "
                              f"got {shown(ident or '')}")
            continue
        seen.add(ident)
        path = f"answers.{item.id}.value.{ident}"
        sheet.reading.locations[path] = sheet.where(row, 3)
        cells: dict[str, Any] = {}
        columns: list[Any] = list(item.columns)
        for offset, column in enumerate(columns):
            cell: Any
            if isinstance(item, GridItem):
                cell = _grid_number(sheet, row, 3 + offset, column)
            else:
                found = choose(sheet, row, 3 + offset, table, ["yes", "no", "na"])
                cell = None if found is None else str(found)
            if cell is not None:
                cells[column.id] = cell
                sheet.reading.locations[f"{path}.{column.id}"] = sheet.where(row, 3 + offset)
        if isinstance(item, GridItem) and choose(sheet, row, width, na_table, ["na"]) is not None:
            if cells:
                sheet.problem(row, width, "give the row's numbers or mark it N/A, not both")
            value[ident] = "na"
            sheet.reading.locations[path] = sheet.where(row, width)
        elif cells:
            value[ident] = cells
    missing = [r for r in rows if r not in seen]
    if missing:
        sheet.reading.problem(sheet.title, f"rows missing: {', '.join(sorted(missing))}; use a fresh questionnaire")
    if value:
        answers.get(item.id)["value"] = {r.id: value[r.id] for r in item.rows if r.id in value}
        sheet.reading.locations.setdefault(f"answers.{item.id}.value", f"{sheet.title}!C{L.FIRST_ROW}")


def _evidence_sheet(sheet: Sheet, item_ids: set[str], lang: L.Lang, answers: _Answers) -> None:
    if not headings_ok(sheet, [L.heading(c.label, lang) for c in L.EVIDENCE_COLUMNS]):
        return
    kinds = choice_table(list(L.EVIDENCE_KINDS.items()), L.evidence_choices(lang))
    cols = {c.key: i + 1 for i, c in enumerate(L.EVIDENCE_COLUMNS)}
    last = max((r for r, _ in sheet.cells), default=0)
    for row in range(L.FIRST_ROW, last + 1):
        if not any((row, c) in sheet.cells for c in cols.values()):
            continue
        ident = sheet.text(row, cols["item"])
        if ident not in item_ids:
            sheet.problem(row, cols["item"],
                          f"expected the ID of an item of this questionnaire, got {shown(ident or '')}")
            continue
        count = len(answers.get(ident).get("evidence", []))
        entry = _evidence(sheet, row, cols, kinds, f"answers.{ident}.evidence[{count}]")
        if entry is not None:
            answers.get(ident).setdefault("evidence", []).append(entry)


def _meta(book: Any, file: str, catalog: Catalog) -> tuple[L.Lang, list[Checklist], int]:
    if L.META_SHEET not in book.sheetnames:
        raise SsdocsError(f"{file}: no hidden sheet {L.META_SHEET}; expected a workbook written by "
                          "`ssdocs questionnaire --format xlsx`")
    rows = list(book[L.META_SHEET].iter_rows(max_row=200, max_col=3, values_only=True))
    meta = {str(r[0]): r[1] for r in rows if r and r[0] is not None and r[0] != "checklist"}
    if meta.get("format") != L.FORMAT or str(meta.get("lang")) not in ("zh", "en", "both"):
        raise SsdocsError(f"{file}: its sheet {L.META_SHEET} does not describe an ssdocs questionnaire "
                          f"(format {L.FORMAT} {L.FORMAT_VERSION})")
    chosen: list[Checklist] = []
    for row in rows:
        if row and row[0] == "checklist":
            key = (str(row[1]), str(row[2]))
            if key not in catalog:
                raise SsdocsError(f"{file}: the questionnaire answers checklist {key[0]} {key[1]}, "
                                  "which is not among the loaded checklists (use --checklists)")
            chosen.append(catalog[key])
    if not chosen:
        raise SsdocsError(f"{file}: its sheet {L.META_SHEET} names no checklist")
    version = 1 if meta.get("format_version") == 1 else L.FORMAT_VERSION  # 1: no parent/insured/population rows
    return str(meta["lang"]), chosen, version  # type: ignore[return-value]


@dataclass(frozen=True)
class WorkbookAnswers:
    """A filled workbook as assessment data, where each part came from, and the questions (for comments)."""

    data: dict[str, Any]
    locations: dict[str, str]
    questions: dict[str, str]
    answered: int


def read_workbook(path: Path | str, catalog: Catalog) -> WorkbookAnswers:
    """Read a filled xlsx questionnaire; WorkbookInvalid with every located problem, SsdocsError if unreadable."""
    path = Path(path)
    file = str(path)
    check_package(path)
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=False, keep_links=False, keep_vba=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged package
        raise SsdocsError(f"{file}: not a readable xlsx workbook ({type(exc).__name__}: {exc})") from None
    try:
        lang, checklists, version = _meta(book, file, catalog)
        reading = Reading(file)
        order = L.sheet_order(checklists, lang)
        for title in book.sheetnames:
            if title not in order:
                reading.problem(title, f"unexpected sheet; a questionnaire has only {', '.join(order[:-2])} "
                                "(delete it, or copy its content into the questionnaire's sheets)")
        for title in order:
            if title not in book.sheetnames:
                reading.problem("", f"sheet {title!r} is missing; use a fresh questionnaire")
        if reading.problems:
            raise WorkbookInvalid(reading.problems)
        sheets = {title: Sheet(title, read_sheet(book[title], title, reading), reading) for title in order[:-2]}
    except SsdocsError:
        raise
    except Exception as exc:  # damaged XML inside a sound zip: the parser's error, named
        raise SsdocsError(f"{file}: not a readable xlsx workbook ({type(exc).__name__}: {exc})") from None
    finally:
        book.close()
    if reading.problems:
        raise WorkbookInvalid(reading.problems)
    answers = _Answers()
    cover = sheets[L.tab(L.COVER, lang)]
    header = read_cover(cover, lang, version)
    assessors = read_assessors(cover, lang, version)
    names = L.checklist_sheets(checklists, lang)
    for checklist in checklists:
        _checklist_sheet(sheets[names[checklist.id]], checklist, lang, answers)
    for _, grid in L.grid_sheets(checklists):
        _grid_sheet(sheets[grid.id], grid, lang, answers)
    item_ids = {item.id for c in checklists for _, item in c.items()}
    _evidence_sheet(sheets[L.tab(L.EVIDENCE, lang)], item_ids, lang, answers)
    if reading.problems:
        raise WorkbookInvalid(reading.problems)
    ordered: dict[str, dict[str, Any]] = {}
    questions: dict[str, str] = {}
    for checklist in checklists:
        for _, item in checklist.items():
            found = answers.by_item.get(item.id)
            questions[item.id] = item.question.en if lang == "en" else item.question.zh
            if found:
                ordered[item.id] = {k: found[k] for k in ("value", "na", "evidence", "note", "owner", "due")
                                    if k in found}
    data: dict[str, Any] = {
        "jurisdiction": {"code": header["code"], "name": {"zh": header["name_zh"], "en": header["name_en"]},
                         "level": header["level"],
                         **{k: header[k] for k in ("parent", "insured", "population") if header[k] is not None}},
        "year": header["year"],
    }
    if header["period_start"] is not None or header["period_end"] is not None:
        data["period"] = {"start": header["period_start"], "end": header["period_end"]}
    data["date"] = header["date"]
    data["assessors"] = assessors
    data["checklists"] = [{"id": c.id, "version": c.version} for c in checklists]
    data["answers"] = ordered
    return WorkbookAnswers(data, reading.locations, questions, len(ordered))


def _locate(problem: Problem, file: str, locations: dict[str, str]) -> Problem:
    """A problem found in the YAML, moved to the cell the value came from (or the workbook itself)."""
    path = problem.path
    while path:
        if path in locations:
            return Problem(f"{file}:{locations[path]}", 0, 0, "", f"{problem.path}: {problem.message}")
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return Problem(file, 0, 0, problem.path, problem.message)


def import_xlsx(workbook: Path | str, target: Path | str, catalog: Catalog, *, force: bool = False) -> ImportResult:
    """Read a filled xlsx questionnaire and write the assessment YAML to `target`, only if it is valid.

    Every problem (in a cell, or found validating the assessment, then located at the cell it came
    from) is raised together as WorkbookInvalid; nothing is written then. The same workbook always
    gives the same bytes.
    """
    target = check_target(target, force)
    read = read_workbook(workbook, catalog)
    text = dump_assessment(read.data, "import-xlsx", str(workbook), read.questions, compact=True)
    problems = validation_problems(text, target, catalog)
    if problems:
        raise WorkbookInvalid([_locate(p, str(workbook), read.locations) for p in problems])
    write_text(target, text)
    return ImportResult(target=target, answered=read.answered)


__all__ = ["MAX_FILE_BYTES", "MAX_ROWS", "WorkbookAnswers", "WorkbookInvalid", "check_package", "import_xlsx",
           "read_workbook"]
