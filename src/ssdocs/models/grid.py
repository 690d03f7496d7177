"""The grid item: several numbers per row, with derived ratios scored by bands."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from ssdocs.models.base import Strict, Text
from ssdocs.models.parts import SLUG, Band, ItemBase


class GridRow(Strict):
    id: str = Field(pattern=SLUG)
    label: Text


class GridColumn(Strict):
    """A number asked per row; `at_most` names an earlier column it may not exceed."""

    id: str = Field(pattern=SLUG)
    label: Text
    unit: Text | None = None
    integer: bool = False
    minimum: float | None = None
    maximum: float | None = None
    at_most: str | None = Field(default=None, pattern=SLUG)

    def allowed(self) -> str:
        low = "-inf" if self.minimum is None else f"{self.minimum:g}"
        high = "inf" if self.maximum is None else f"{self.maximum:g}"
        kind = "a whole number" if self.integer else "a number"
        return f"{kind} from {low} to {high}"


class GridRatio(Strict):
    """A ratio derived per row, in percent: numerator / denominator × 100."""

    id: str = Field(pattern=SLUG)
    label: Text
    numerator: str = Field(pattern=SLUG)
    denominator: str = Field(pattern=SLUG)


class GridItem(ItemBase):
    """Rows × numeric columns; each row's `scored_by` ratio is scored by bands, the item by their mean."""

    type: Literal["grid"]
    row_header: Text | None = None
    rows: list[GridRow] = Field(min_length=1, max_length=50)
    columns: list[GridColumn] = Field(min_length=1, max_length=8)
    ratios: list[GridRatio] = Field(default_factory=list, max_length=8)
    scored_by: str = Field(pattern=SLUG)
    bands: list[Band] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _consistent(self) -> GridItem:
        rows = [r.id for r in self.rows]
        if len(set(rows)) != len(rows):
            raise ValueError(f"row ids must be unique, got {rows}")
        names = [c.id for c in self.columns] + [r.id for r in self.ratios]
        if len(set(names)) != len(names):
            raise ValueError(f"column and ratio ids must be unique together, got {names}")
        earlier: list[str] = []
        for column in self.columns:
            if column.at_most is not None and column.at_most not in earlier:
                raise ValueError(
                    f"column {column.id!r}: at_most must name an earlier column, "
                    f"expected one of {earlier}, got {column.at_most!r}"
                )
            if column.minimum is not None and column.maximum is not None and column.minimum > column.maximum:
                raise ValueError(f"column {column.id!r}: minimum {column.minimum:g} exceeds maximum {column.maximum:g}")
            earlier.append(column.id)
        for ratio in self.ratios:
            for end in (ratio.numerator, ratio.denominator):
                if end not in earlier:
                    raise ValueError(f"ratio {ratio.id!r} names column {end!r}, expected one of {earlier}")
        ratio_ids = [r.id for r in self.ratios]
        if self.scored_by not in ratio_ids:
            raise ValueError(f"scored_by must name a ratio, expected one of {ratio_ids}, got {self.scored_by!r}")
        return self

    def column(self, ident: str) -> GridColumn | None:
        return next((c for c in self.columns if c.id == ident), None)

    def ratio(self, ident: str) -> GridRatio | None:
        return next((r for r in self.ratios if r.id == ident), None)

    def band_for(self, value: float) -> Band | None:
        return next((band for band in self.bands if band.contains(value)), None)

    def ratio_value(self, ratio: GridRatio, cells: dict[str, float]) -> float | None:
        """The ratio in percent for one row's cells; None when the denominator is 0 or missing."""
        num, den = cells.get(ratio.numerator), cells.get(ratio.denominator)
        if num is None or den is None or den == 0:
            return None
        return num / den * 100

    def allowed_values(self) -> list[str]:
        return [f"a mapping of rows ({', '.join(r.id for r in self.rows)}) to "
                f"{{{', '.join(c.id for c in self.columns)}}} or na"]
