"""A grid item's answer as a table: rows × (columns + ratios + band), as the report shows it."""

from __future__ import annotations

from dataclasses import dataclass

from ssdocs.models.assessment import Answer
from ssdocs.models.base import Text
from ssdocs.models.checklist import GridItem
from ssdocs.models.results import ItemResult
from ssdocs.scoring.grid import grid_rows

ROW_HEADER = Text(zh="事项", en="Item")
NA = Text(zh="不适用", en="N/A")
NOT_SCORED = Text(zh="无可核查事项，不计分", en="nothing to check, not scored")


@dataclass(frozen=True)
class GridColumnView:
    label: Text
    unit: Text | None
    is_ratio: bool = False


@dataclass(frozen=True)
class GridRowView:
    label: Text
    cells: list[str]  # the numbers as written, then the ratios in percent; "" when not given or undefined
    band: Text | None  # the band of the scored ratio; NOT_SCORED or NA when the row is not scored
    state: str  # scored / unscored / na


@dataclass(frozen=True)
class GridView:
    item_id: str
    row_header: Text
    columns: list[GridColumnView]
    rows: list[GridRowView]
    scored_by: Text
    answered: bool


def _decimals(value: float | None) -> int:
    """Decimals a number needs (0 to 2)."""
    if value is None or float(value).is_integer():
        return 0
    return len(f"{value:.2f}".rstrip("0").split(".")[1])


def _num(value: float | None, decimals: int | None = None) -> str:
    """A cell; `decimals` aligns a column (128.9 above 47 prints 47.0), otherwise as few as needed."""
    if value is None:
        return ""
    return f"{value:,.{_decimals(value) if decimals is None else decimals}f}"


def grid_view(item: GridItem, result: ItemResult | None, answer: Answer | None) -> GridView:
    """Every row of the item with its numbers, ratios (percent, one decimal) and band."""
    value = answer.value if answer is not None and answer.na is None else None
    columns = [GridColumnView(c.label, c.unit) for c in item.columns]
    columns += [GridColumnView(r.label, Text(zh="%", en="%"), is_ratio=True) for r in item.ratios]
    scored_rows = grid_rows(item, value)
    decimals = {c.id: max((_decimals(r.cells.get(c.id)) for r in scored_rows if not r.na), default=0)
                for c in item.columns}
    rows = []
    for row, scored in zip(item.rows, scored_rows, strict=True):
        if scored.na:
            cells = [""] * len(columns)
            rows.append(GridRowView(row.label, cells, NA if value is not None else None, "na"))
            continue
        cells = [_num(scored.cells.get(c.id), decimals[c.id]) for c in item.columns]
        cells += ["" if scored.ratios.get(r.id) is None else f"{scored.ratios[r.id]:.1f}" for r in item.ratios]
        band = scored.band.label if scored.band is not None else NOT_SCORED
        rows.append(GridRowView(row.label, cells, band, "scored" if scored.band is not None else "unscored"))
    ratio = item.ratio(item.scored_by)
    return GridView(
        item_id=item.id,
        row_header=item.row_header or ROW_HEADER,
        columns=columns,
        rows=rows,
        scored_by=ratio.label if ratio is not None else Text(zh=item.scored_by, en=item.scored_by),
        answered=value is not None,
    )
