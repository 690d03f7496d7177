"""Stable ASCII form-field names derived from item ids, and the way back from a name to an item.

Names: `REC-03.value` (radio group or text), `TD-01.value.audit.functions` (one matrix cell, a
radio group), `RSK-01.value.death-benefits.leads` (one grid cell, a text field), `REC-03.na`,
`REC-03.evidence`, `REC-03.note`, and `meta.*` for the cover page. Item ids, row and column ids
are ASCII without dots, so a name splits back unambiguously.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ssdocs.models.checklist import (
    AnyItem,
    Checklist,
    GridItem,
    MatrixItem,
    NumberItem,
)

Part = Literal["value", "cell", "grid", "na", "evidence", "note"]

# The cover page: jurisdiction, year, respondent, contact, date.
META_FIELDS: tuple[str, ...] = (
    "meta.jurisdiction.code",
    "meta.jurisdiction.name-zh",
    "meta.jurisdiction.name-en",
    "meta.jurisdiction.level",
    "meta.jurisdiction.parent",
    "meta.jurisdiction.insured",
    "meta.jurisdiction.population",
    "meta.year",
    "meta.respondent",
    "meta.organisation",
    "meta.contact",
    "meta.date",
)
TEXT_PARTS: tuple[Part, ...] = ("na", "evidence", "note")
CELL_VALUES: tuple[str, ...] = ("yes", "no", "na")


@dataclass(frozen=True)
class FieldRef:
    """What one form field answers: an item's value, one matrix or grid cell, its N/A reason, evidence or note."""

    name: str
    item: AnyItem
    part: Part
    row: str | None = None
    column: str | None = None

    def choices(self) -> list[str] | None:
        """The export values of a radio group; None for a text field."""
        if self.part == "cell":
            return list(CELL_VALUES)
        if self.part == "value" and not isinstance(self.item, (NumberItem, GridItem)):
            return self.item.allowed_values()
        return None


def value_field(item_id: str) -> str:
    return f"{item_id}.value"


def cell_field(item_id: str, row: str, column: str) -> str:
    return f"{item_id}.value.{row}.{column}"


def text_field(item_id: str, part: Part) -> str:
    return f"{item_id}.{part}"


def item_fields(item: AnyItem) -> list[FieldRef]:
    """Every field of one item, in the order the questionnaire shows them."""
    refs: list[FieldRef] = []
    if isinstance(item, MatrixItem):
        refs += [FieldRef(cell_field(item.id, row.id, column.id), item, "cell", row.id, column.id)
                 for row in item.rows for column in item.columns]
    elif isinstance(item, GridItem):
        refs += [FieldRef(cell_field(item.id, row.id, column.id), item, "grid", row.id, column.id)
                 for row in item.rows for column in item.columns]
    else:
        refs.append(FieldRef(value_field(item.id), item, "value"))
    refs += [FieldRef(text_field(item.id, part), item, part) for part in TEXT_PARTS]
    return refs


def form_fields(checklists: list[Checklist]) -> dict[str, FieldRef]:
    """Every answer field of the chosen checklists by name; names are unique (item ids are global)."""
    fields: dict[str, FieldRef] = {}
    for checklist in checklists:
        for _, item in checklist.items():
            for ref in item_fields(item):
                if ref.name in fields:  # pragma: no cover - the catalog guarantees unique item ids
                    raise ValueError(f"form field {ref.name} would be defined twice")
                fields[ref.name] = ref
    return fields


def item_id_of(name: str) -> str:
    """The item id a field name starts with (or the whole name when it has no dot)."""
    return name.split(".", 1)[0]


__all__ = [
    "CELL_VALUES",
    "META_FIELDS",
    "TEXT_PARTS",
    "FieldRef",
    "cell_field",
    "form_fields",
    "item_fields",
    "item_id_of",
    "text_field",
    "value_field",
]
