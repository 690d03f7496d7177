"""The cover sheet of a filled xlsx questionnaire: the assessment's header fields and its assessors."""

from __future__ import annotations

import re
from typing import Any

from ssdocs.forms import sheets as L
from ssdocs.forms.cells import Sheet, choice_table, choose, norm, shown
from ssdocs.models.assessment import JURISDICTION_CODE, MAX_PERSONS, persons_typed


def read_cover(sheet: Sheet, lang: L.Lang, version: int = L.FORMAT_VERSION) -> dict[str, Any]:
    values: dict[str, Any] = {spec.key: None for spec in L.COVER_FIELDS}
    for offset, spec in enumerate(L.cover_fields(version)):
        row = L.COVER_FIRST_ROW + offset
        label = L.text(spec.label, lang) + (" *" if spec.required else "")
        if norm(sheet.text(row, 1) or "") != norm(label):
            sheet.problem(row, 1, f"expected the label {shown(label)}, got {shown(sheet.text(row, 1) or '')}; "
                          "the cover must stay as ssdocs wrote it")
            continue
        value: Any
        if spec.kind == "date":
            value = sheet.date(row, 2)
        elif spec.kind == "level":
            value = choose(sheet, row, 2, choice_table(list(L.LEVELS.items()), L.level_choices(lang)), list(L.LEVELS))
        elif spec.kind == "count":
            value = _count(sheet, row, 2)
        elif spec.kind == "year":
            text = sheet.text(row, 2)
            value = int(text) if text is not None and text.isdigit() and 1990 <= int(text) <= 2100 else None
            if text is not None and value is None:
                sheet.problem(row, 2, f"expected a year from 1990 to 2100, got {shown(text)}")
        else:
            value = sheet.text(row, 2)
            if spec.key in ("code", "parent") and value is not None and not re.match(JURISDICTION_CODE, value):
                sheet.problem(row, 2, "expected a code of letters, digits, '-' or '_' (at most 32), "
                              f"got {shown(value)}")
        if value is None and spec.required and not any(p.file.endswith(sheet.where(row, 2))
                                                      for p in sheet.reading.problems):
            sheet.problem(row, 2, f"required: {L.text(spec.label, lang)} is empty")
        values[spec.key] = value
        sheet.reading.locations[_COVER_PATHS[spec.key]] = sheet.where(row, 2)
    return values


_COVER_PATHS = {"code": "jurisdiction.code", "name_zh": "jurisdiction.name.zh", "name_en": "jurisdiction.name.en",
                "level": "jurisdiction.level", "year": "year", "period_start": "period.start",
                "period_end": "period.end", "date": "date", "parent": "jurisdiction.parent",
                "insured": "jurisdiction.insured", "population": "jurisdiction.population"}


def _count(sheet: Sheet, row: int, col: int) -> int | None:
    """A number of persons: a whole number (typed, or text with thousands separators) from 1 to MAX_PERSONS."""
    value = sheet.raw(row, col)
    if value is None:
        return None
    number: Any = persons_typed(value) if isinstance(value, str) else value
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    if isinstance(number, int) and not isinstance(number, bool) and 1 <= number <= MAX_PERSONS:
        return number
    sheet.problem(row, col, f"expected a whole number of persons from 1 to {MAX_PERSONS:,}, got {shown(value)}")
    return None


def read_assessors(sheet: Sheet, lang: L.Lang, version: int = L.FORMAT_VERSION) -> list[dict[str, str]]:
    head = L.assessor_header_row(version)
    for col, column in enumerate(L.ASSESSOR_COLUMNS, start=1):
        if norm(sheet.text(head, col) or "") != norm(L.text(column.label, lang)):
            sheet.problem(head, col, f"expected the column heading {shown(L.text(column.label, lang))}, "
                          f"got {shown(sheet.text(head, col) or '')}")
            return []
    found: list[dict[str, str]] = []
    for row in range(head + 1, head + 1 + L.ASSESSOR_ROWS):
        name, organisation, role = (sheet.text(row, c) for c in (1, 2, 3))
        if name is None:
            if organisation is not None or role is not None:
                sheet.problem(row, 1, "an assessor needs a name")
            continue
        person = {"name": name}
        if organisation is not None:
            person["organisation"] = organisation
        if role is not None:
            person["role"] = role
        sheet.reading.locations[f"assessors[{len(found)}]"] = sheet.where(row, 1)
        found.append(person)
    if not found:
        sheet.problem(head + 1, 1, "required: at least one assessor (the first row) is empty")
    return found
