"""Check a grid answer against its item: rows, columns, numbers and `at_most`, every problem located."""

from __future__ import annotations

import difflib
import math
from typing import Any

from ssdocs.errors import Problem
from ssdocs.loading.problems import _show as show
from ssdocs.loading.yamlio import Document
from ssdocs.models.checklist import GridColumn, GridItem

MAX_NUMBER = 10**15  # as for number items: larger integers lose precision as floats


def _unknown(kind: str, key: Any, known: list[str]) -> str:
    hint = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
    return (f"unknown {kind} {key!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")
            + f" (expected one of: {', '.join(known)})")


def check_grid(item: GridItem, value: Any, path: tuple[str, ...], doc: Document) -> list[Problem]:
    """Every row given (numbers for every column, or `na`), every number within its limits."""
    if not isinstance(value, dict):
        return [doc.problem(path, f"expected a grid (row: {{column: number}} or na), got {show(value)}")]
    problems: list[Problem] = []
    rows = [r.id for r in item.rows]
    for row, cells in value.items():
        if row not in rows:
            problems.append(doc.problem((*path, row), _unknown("row", row, rows), at_key=True))
        elif isinstance(cells, str) and cells == "na":
            continue
        elif not isinstance(cells, dict):
            problems.append(doc.problem((*path, row),
                            f"expected na or a mapping of columns to numbers, got {show(cells)}"))
        else:
            problems.extend(_check_row(item, row, cells, (*path, row), doc))
    absent = [r for r in rows if r not in value]
    if absent:
        problems.append(doc.problem(path, f"rows {', '.join(absent)} are missing: give every column of a row, "
                                          "or na when the row does not arise here"
                                    if len(absent) > 1 else
                                    f"row {absent[0]} is missing: give every column of the row, "
                                    "or na when it does not arise here"))
    return problems


def _check_row(item: GridItem, row: str, cells: dict[str, Any], path: tuple[str, ...],
               doc: Document) -> list[Problem]:
    problems: list[Problem] = []
    columns = [c.id for c in item.columns]
    good: dict[str, float] = {}
    for key, cell in cells.items():
        column = item.column(key)
        if column is None:
            if item.ratio(key) is not None:
                message = f"{key!r} is a ratio, derived from the columns: leave it out"
            else:
                message = _unknown("column", key, columns)
            problems.append(doc.problem((*path, key), message, at_key=True))
            continue
        wrong = _cell_problem(column, cell)
        if wrong:
            problems.append(doc.problem((*path, key), wrong))
        else:
            good[key] = float(cell)
    missing = [c for c in columns if c not in cells]
    if missing:
        problems.append(doc.problem(path, f"row {row} has no {', '.join(missing)}: give every column "
                                          f"({', '.join(columns)}), or na for the whole row"))
    for column in item.columns:
        limit = column.at_most
        if limit is not None and column.id in good and limit in good and good[column.id] > good[limit]:
            problems.append(doc.problem((*path, column.id),
                            f"expected at most {limit} ({good[limit]:g}) in row {row}, got {good[column.id]:g}"))
    return problems


def _cell_problem(column: GridColumn, cell: Any) -> str | None:
    if isinstance(cell, bool) or not isinstance(cell, (int, float)):
        return f"expected {column.allowed()}, got {show(cell)}"
    if isinstance(cell, float) and not math.isfinite(cell):
        return f"expected a finite number, got {cell!r}"
    if abs(cell) > MAX_NUMBER:
        return f"expected a number of at most {MAX_NUMBER:.0e}, got one with {len(str(int(abs(cell))))} digits"
    if column.integer and float(cell) != int(cell):
        return f"expected a whole number, got {cell!r}"
    if column.minimum is not None and cell < column.minimum:
        return f"expected at least {column.minimum:g}, got {cell!r}"
    if column.maximum is not None and cell > column.maximum:
        return f"expected at most {column.maximum:g}, got {cell!r}"
    return None
