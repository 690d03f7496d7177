"""Score one answer to one item: a value in [0, 1], or None when it leaves the denominator."""

from __future__ import annotations

import datetime as dt

from ssdocs.models.assessment import Answer
from ssdocs.models.checklist import (
    AnyItem,
    ChoiceItem,
    GridItem,
    MatrixItem,
    NumberItem,
    ScaleItem,
    Scoring,
    YesNoItem,
)
from ssdocs.models.results import ItemResult, ItemStatus
from ssdocs.scoring.grid import grid_score


def score_item(
    item: AnyItem,
    answer: Answer | None,
    scoring: Scoring,
    on: dt.date,
    checklist: str = "",
    section: str = "",
) -> ItemResult:
    """Score `answer` to `item` as of the assessment date `on` (which decides waiver expiry)."""
    waiver_expired = bool(answer and answer.waiver and answer.waiver.expires < on)
    value = answer.value if answer else None
    score: float | None
    if item.context:  # answered and shown, never scored: out of the denominator like N/A
        status: ItemStatus = "context"
        score = None
        display = "—" if value is None else context_display(item, value, scoring)
    elif answer is not None and answer.na is not None:
        status = "na"
        score, display = None, "N/A"
    elif answer is not None and answer.waiver is not None and not waiver_expired:
        status, score, display = "waived", None, "waived"
    elif value is None:
        status, score, display = "missing", 0.0, "—"
    elif isinstance(item, GridItem):
        score, display = grid_score(item, value)
        status = "na" if score is None else "met" if score >= 1 else "unmet" if score <= 0 else "partial"
    else:
        score, display = value_score(item, value, scoring)
        status = "met" if score >= 1 else "unmet" if score <= 0 else "partial"
    critical_failed = item.critical and score is not None and score < scoring.critical_fail_below
    return ItemResult(
        id=item.id,
        checklist=checklist,
        section=section,
        type=item.type,
        weight=item.weight,
        critical=item.critical,
        status=status,
        score=score,
        critical_failed=critical_failed,
        waiver_expired=waiver_expired,
        display=display,
    )


def context_display(item: AnyItem, value: object, scoring: Scoring) -> str:
    """How a context item's answer reads (it has no score)."""
    if isinstance(item, GridItem):
        return f"{len(value) if isinstance(value, dict) else 0}/{len(item.rows)} rows"
    return value_score(item, value, scoring)[1]


def value_score(item: AnyItem, value: object, scoring: Scoring) -> tuple[float, str]:
    """The score of a validated value, and how to show the value to a reader."""
    if isinstance(item, YesNoItem):
        partial = item.partial_credit if item.partial_credit is not None else scoring.partial_credit
        return {"yes": 1.0, "partial": partial, "no": 0.0}[str(value)], str(value)
    if isinstance(item, ScaleItem):
        index = item.allowed_values().index(str(value))
        return item.level_score(index), str(value)
    if isinstance(item, ChoiceItem):
        option = item.option(str(value))
        return (option.score if option else 0.0), str(value)
    if isinstance(item, NumberItem):
        number = float(value)  # type: ignore[arg-type]
        band = item.band_for(number)
        return (band.score if band else 0.0), f"{number:g} {item.unit.en}".strip()
    if isinstance(item, GridItem):
        score, display = grid_score(item, value)
        return (0.0 if score is None else score), display
    return matrix_score(item, value)  # type: ignore[arg-type]


def matrix_score(item: MatrixItem, value: dict[str, dict[str, str]]) -> tuple[float, str]:
    """Share of cells answered yes among cells not N/A; a cell left out counts as not met."""
    met = total = 0
    for row in item.rows:
        cells = value.get(row.id, {})
        cells = cells if isinstance(cells, dict) else {}
        for column in item.columns:
            cell = cells.get(column.id, "no")
            if cell == "na":
                continue
            total += 1
            met += cell == "yes"
    if total == 0:
        return 1.0, "0/0"
    return met / total, f"{met}/{total}"
