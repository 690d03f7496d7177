"""Reading an untrusted xlsx: the package checks before any XML is parsed, bounded reading of a sheet's
cells, and typed getters that record every problem located as `FILE:Sheet!Cell`.

Formulas are never evaluated: a cell holding one is an error (the value cached beside it is whatever
the sender's file says). openpyxl reads in read-only mode, row by row, at most MAX_ROWS rows and
MAX_COLUMNS columns a sheet.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ssdocs.errors import Problem, SsdocsError
from ssdocs.forms import sheets as L
from ssdocs.forms.importer import parse_date, parse_number
from ssdocs.models.checklist import NumberItem

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_MEMBERS = 500
MAX_UNCOMPRESSED = 50 * 1024 * 1024  # ~100 times a questionnaire of every shipped checklist
MAX_RATIO = 100  # uncompressed / compressed, for members over 1 MB
MAX_ROWS = 5_000  # per sheet; a questionnaire sheet has at most a few hundred
MAX_COLUMNS = 40
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_SPACES = re.compile(r"\s+")


@dataclass
class Cell:
    value: Any
    formula: bool = False


@dataclass
class Reading:
    """What reading gathers: problems, and where each YAML path came from (to locate validation)."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    locations: dict[str, str] = field(default_factory=dict)

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(f"{self.file}:{where}" if where else self.file, 0, 0, "", message))


def shown(value: Any) -> str:
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def check_package(path: Path) -> None:
    """Refuse, before any XML is parsed, what is not a plain xlsx of a sane size."""
    name = str(path)
    if not path.exists():
        raise SsdocsError(f"{name}: file not found")
    if not path.is_file() or path.is_symlink():
        raise SsdocsError(f"{name}: expected a regular file (an xlsx workbook)")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SsdocsError(f"{name}: {size:,} bytes, more than the {MAX_FILE_BYTES:,} an xlsx questionnaire may have")
    if path.suffix.lower() in (".xlsm", ".xltm", ".xlam"):
        raise SsdocsError(f"{name}: a macro-enabled workbook ({path.suffix}) is refused; "
                          "save it as an Excel Workbook (.xlsx) and import that")
    if not zipfile.is_zipfile(path):
        raise SsdocsError(f"{name}: not an xlsx workbook (not a zip package; an old .xls or .et? "
                          "save it as .xlsx)")
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
            if len(members) > MAX_MEMBERS:
                raise SsdocsError(f"{name}: {len(members)} parts in the package, more than {MAX_MEMBERS}")
            total = 0
            for member in members:
                total += member.file_size
                big = member.file_size > 1024 * 1024
                if total > MAX_UNCOMPRESSED or (big and member.file_size > MAX_RATIO * max(1, member.compress_size)):
                    raise SsdocsError(
                        f"{name}: {member.filename} unpacks to {member.file_size:,} bytes from "
                        f"{member.compress_size:,} (limits: {MAX_UNCOMPRESSED:,} bytes in all, ratio {MAX_RATIO}); "
                        "refused as a possible zip bomb")
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names:
                raise SsdocsError(f"{name}: not an xlsx workbook (no [Content_Types].xml)")
            types = package.read("[Content_Types].xml").decode("utf-8", "replace")
    except zipfile.BadZipFile as exc:
        raise SsdocsError(f"{name}: damaged zip package ({exc})") from None
    if MACRO_TYPE in types or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise SsdocsError(f"{name}: the workbook contains macros (it is an .xlsm inside); save it as an "
                          "Excel Workbook (.xlsx) without macros and import that")
    if MAIN_TYPE not in types:
        raise SsdocsError(f"{name}: not an xlsx workbook (its content type is not {MAIN_TYPE})")
    links = sorted(n for n in names if n.startswith("xl/externalLinks/") and n.endswith(".xml"))
    if links:
        raise SsdocsError(f"{name}: the workbook links to other files ({', '.join(links)}); ssdocs never "
                          "follows links: break them (Data > Edit Links > Break Link) and import again")


def read_sheet(sheet: Any, title: str, reading: Reading) -> dict[tuple[int, int], Cell]:
    """Non-empty cells by (row, column), reading at most MAX_ROWS rows and MAX_COLUMNS columns."""
    cells: dict[tuple[int, int], Cell] = {}
    declared = sheet.max_row if isinstance(sheet.max_row, int) else 0
    if declared > MAX_ROWS:
        reading.problem(f"{title}", f"the sheet has {declared:,} rows, more than the {MAX_ROWS:,} a "
                        "questionnaire sheet may have; delete the extra rows and import again")
        return cells
    for index, row in enumerate(sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS), start=1):
        if index > MAX_ROWS:
            reading.problem(f"{title}!A{index}", f"more than the {MAX_ROWS:,} rows a questionnaire sheet "
                            "may have; delete the extra rows and import again")
            break
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            cells[(cell.row, cell.column)] = Cell(value, getattr(cell, "data_type", None) == "f")
    return cells


class Sheet:
    """One sheet's cells, with typed getters that record located problems."""

    def __init__(self, title: str, cells: dict[tuple[int, int], Cell], reading: Reading) -> None:
        self.title = title
        self.cells = cells
        self.reading = reading

    def where(self, row: int, col: int) -> str:
        from openpyxl.utils import get_column_letter

        return f"{self.title}!{get_column_letter(col)}{row}"

    def problem(self, row: int, col: int, message: str) -> None:
        self.reading.problem(self.where(row, col), message)

    def raw(self, row: int, col: int) -> Any:
        """The cell's value; None for empty and for a formula (reported once)."""
        cell = self.cells.get((row, col))
        if cell is None:
            return None
        if cell.formula:
            self.problem(row, col, f"a formula ({shown(cell.value)}); formulas are never evaluated: "
                         "type the answer itself")
            return None
        return cell.value

    def text(self, row: int, col: int) -> str | None:
        value = self.raw(row, col)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        out = str(value).strip()
        return out or None

    def date(self, row: int, col: int) -> dt.date | None:
        value = self.raw(row, col)
        if value is None:
            return None
        if isinstance(value, dt.datetime) and value.time() == dt.time(0):
            return value.date()
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            parsed = parse_date(value)
            if isinstance(parsed, dt.date) and dt.date(1950, 1, 1) <= parsed <= dt.date(2100, 12, 31):
                return parsed
        self.problem(row, col, f"expected a date such as 2025-03-31, got {shown(value)}")
        return None


def norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


def choice_table(pairs: list[tuple[str | int, Any]], shown: list[L.Choice]) -> dict[str, set[str | int]]:
    """Every way an answer may be typed (value, label in either language, the drop-down text) -> values."""
    table: dict[str, set[str | int]] = {}
    for value, label in pairs:
        for form in (str(value), label.zh, label.en, f"{label.zh} / {label.en}", f"{value} {label.zh}",
                     f"{value} {label.en}", f"{value} {label.zh} / {label.en}"):
            table.setdefault(norm(form), set()).add(value)
    for choice in shown:
        table.setdefault(norm(choice.shown), set()).add(choice.value)
    return table


def choose(sheet: Sheet, row: int, col: int, table: dict[str, set[str | int]],
            allowed: list[str]) -> str | int | None:
    text = sheet.text(row, col)
    if text is None:
        return None
    found = table.get(norm(text), set())
    if len(found) == 1:
        return next(iter(found))
    sheet.problem(row, col, f"expected one of {'/'.join(allowed)}, got {shown(text)}"
                  + (" (ambiguous)" if found else ""))
    return None


def read_number(sheet: Sheet, row: int, col: int, item: NumberItem) -> int | float | None:
    value = sheet.raw(row, col)
    if value is None:
        return None
    number: Any = value
    if isinstance(value, str):
        number = parse_number(item, value)
    if isinstance(number, bool) or not isinstance(number, int | float) or number != number:
        sheet.problem(row, col, f"expected {item.allowed_values()[0]}, got {shown(value)}")
        return None
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    if (item.minimum is not None and number < item.minimum) or (item.maximum is not None and number > item.maximum) \
            or (item.integer and not isinstance(number, int)):
        kind = "a whole number" if item.integer else "a number"
        sheet.problem(row, col, f"expected {item.allowed_values()[0].replace('a number', kind)}, got {shown(value)}")
        return None
    return number  # type: ignore[no-any-return]


def headings_ok(sheet: Sheet, expected: list[str]) -> bool:
    ok = True
    for col, label in enumerate(expected, start=1):
        got = sheet.text(L.HEADER_ROW, col)
        if norm(got or "") != norm(label):
            sheet.problem(L.HEADER_ROW, col, f"expected the column heading {shown(label)}, got {shown(got or '')}; "
                          "the columns must stay as ssdocs wrote them")
            ok = False
    for (row, col) in sorted(sheet.cells):
        if row >= L.HEADER_ROW and col > len(expected):
            sheet.problem(row, col, "a value outside the questionnaire's columns; move it into the right column")
    return ok


__all__ = ["MAX_COLUMNS", "MAX_FILE_BYTES", "MAX_MEMBERS", "MAX_RATIO", "MAX_ROWS", "MAX_UNCOMPRESSED", "Cell",
           "Reading", "Sheet", "check_package", "choice_table", "choose", "headings_ok", "norm", "read_number",
           "read_sheet", "shown"]
