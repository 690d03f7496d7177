"""The one CSV dialect of every CSV ssdocs writes (action plans, index.csv, trend --csv).

UTF-8 with a byte-order mark (so spreadsheet programs read the Chinese), CRLF rows (RFC 4180), and
a formula guard: a text cell starting with = + - @ (or a tab or carriage return) is a formula to a
spreadsheet, so it goes out with a leading apostrophe. Numbers (-3.2) stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(value: object) -> str:
    """One cell as text: None empty, text that a spreadsheet would run as a formula made inert."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_rows(rows: Iterable[Sequence[object]]) -> str:
    """Rows (no byte-order mark): every cell through `csv_cell`, quoted where needed, CRLF-terminated."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue()


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A whole CSV file: the byte-order mark, the header row, the rows."""
    return BOM + csv_rows([header]) + csv_rows(rows)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    return csv_text(header, rows).encode("utf-8")


__all__ = ["BOM", "csv_bytes", "csv_cell", "csv_rows", "csv_text"]
