"""Fill an xlsx questionnaire the way a respondent would (drop-down texts, typed dates), with openpyxl."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from ssdocs.forms import sheets as L
from ssdocs.models import Assessment
from ssdocs.models.checklist import Checklist, GridItem


def _shown(choices: list[L.Choice], value: object) -> str:
    return next(c.shown for c in choices if str(c.value) == str(value))


def fill_workbook(source: Path, target: Path, assessment: Assessment, checklists: list[Checklist],
                  lang: L.Lang) -> Path:
    """Write `assessment` into the blank questionnaire `source`, saved as `target`.

    Choices are entered as the drop-down shows them; the first evidence goes in the item's row,
    the others on the More evidence sheet. Waivers have no cells and are left out.
    """
    book = load_workbook(source)
    cover = book[L.tab(L.COVER, lang)]
    j = assessment.jurisdiction
    values: dict[str, Any] = {
        "code": j.code, "name_zh": j.name.zh, "name_en": j.name.en,
        "level": _shown(L.level_choices(lang), j.level), "year": assessment.year,
        "period_start": assessment.period.start if assessment.period else None,
        "period_end": assessment.period.end if assessment.period else None, "date": assessment.date,
        "parent": j.parent, "insured": j.insured, "population": j.population,
    }
    for offset, spec in enumerate(L.COVER_FIELDS):
        cover.cell(row=L.COVER_FIRST_ROW + offset, column=2, value=values[spec.key])
    for index, person in enumerate(assessment.assessors[:L.ASSESSOR_ROWS]):
        row = L.assessor_header_row() + 1 + index
        for col, value in enumerate((person.name, person.organisation, person.role), start=1):
            cover.cell(row=row, column=col, value=value)
    names = L.checklist_sheets(checklists, lang)
    col = L.COLUMN_INDEX
    extra: list[tuple[str, Any]] = []
    kinds = L.evidence_choices(lang)
    for checklist in checklists:
        sheet = book[names[checklist.id]]
        rows = {sheet.cell(row=r, column=1).value: r for r in range(L.FIRST_ROW, sheet.max_row + 1)}
        for _, item in checklist.items():
            answer = assessment.answers.get(item.id)
            if answer is None:
                continue
            row = rows[item.id]
            if isinstance(answer.value, dict):
                grid = book[item.id]
                grid_rows = {grid.cell(row=r, column=1).value: r for r in range(L.FIRST_ROW, grid.max_row + 1)}
                columns = [c.id for c in item.columns]  # type: ignore[union-attr]
                for row_id, cells in answer.value.items():
                    if cells == "na":
                        grid.cell(row=grid_rows[row_id], column=3 + len(columns),
                                  value=_shown(L.row_na_choices(lang), "na"))
                        continue
                    for column_id, cell in cells.items():
                        grid.cell(row=grid_rows[row_id], column=3 + columns.index(column_id),
                                  value=cell if isinstance(item, GridItem) else _shown(L.cell_choices(lang), cell))
            elif answer.value is not None:
                choices = L.item_choices(item, lang)
                sheet.cell(row=row, column=col["value"],
                           value=_shown(choices, answer.value) if choices else answer.value)
            sheet.cell(row=row, column=col["na"], value=answer.na)
            for index, evidence in enumerate(answer.evidence):
                if index:
                    extra.append((item.id, evidence))
                    continue
                sheet.cell(row=row, column=col["evidence.kind"], value=_shown(kinds, evidence.kind))
                sheet.cell(row=row, column=col["evidence.title"], value=evidence.title)
                sheet.cell(row=row, column=col["evidence.number"], value=evidence.number)
                sheet.cell(row=row, column=col["evidence.date"], value=evidence.date)
            sheet.cell(row=row, column=col["note"], value=answer.note)
            sheet.cell(row=row, column=col["owner"], value=answer.owner)
            sheet.cell(row=row, column=col["due"], value=answer.due)
    more = book[L.tab(L.EVIDENCE, lang)]
    for offset, (item_id, evidence) in enumerate(extra):
        row = L.FIRST_ROW + offset
        for column, value in enumerate((item_id, _shown(kinds, evidence.kind), evidence.title, evidence.number,
                                        evidence.date), start=1):
            more.cell(row=row, column=column, value=value)
    book.save(target)
    return target
