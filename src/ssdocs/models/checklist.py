"""The checklist format: sections of typed items, each traced to the paper."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from ssdocs.models.base import Strict, Text
from ssdocs.models.grid import GridColumn, GridItem, GridRatio, GridRow
from ssdocs.models.parts import (
    ITEM_ID,
    PAPER_ONLY,
    SLUG,
    Band,
    BasisRef,
    ItemBase,
    Source,
)

SECTION_ID = r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$"
SEMVER = r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$"
VALUE_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


class YesNoItem(ItemBase):
    """Answered yes / partial / no; partial earns `partial_credit` (default: the checklist's)."""

    type: Literal["yes_no"]
    partial_credit: float | None = Field(default=None, ge=0, le=1)

    def allowed_values(self) -> list[str]:
        return ["yes", "partial", "no"]


class ScaleLevel(Strict):
    value: str | int
    label: Text
    description: Text
    score: float | None = Field(default=None, ge=0, le=1)
    evidence: Text | None = None  # the minimum evidence to claim this level (PEFA style)


class ScaleItem(ItemBase):
    """A labelled maturity scale, lowest level first; a level's score defaults to its rank."""

    type: Literal["scale"]
    levels: list[ScaleLevel] = Field(min_length=2, max_length=10)

    @model_validator(mode="after")
    def _unique_levels(self) -> ScaleItem:
        values = [str(level.value) for level in self.levels]
        if len(set(values)) != len(values):
            raise ValueError(f"scale level values must be unique, got {values}")
        return self

    def level_score(self, index: int) -> float:
        level = self.levels[index]
        if level.score is not None:
            return level.score
        return index / (len(self.levels) - 1)

    def allowed_values(self) -> list[str]:
        return [str(level.value) for level in self.levels]


class NumberItem(ItemBase):
    """A measured number with a unit, scored by the first band that contains it."""

    type: Literal["number"]
    unit: Text
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    bands: list[Band] = Field(min_length=1, max_length=20)

    def band_for(self, value: float) -> Band | None:
        return next((band for band in self.bands if band.contains(value)), None)

    def allowed_values(self) -> list[str]:
        low = "-inf" if self.minimum is None else f"{self.minimum:g}"
        high = "inf" if self.maximum is None else f"{self.maximum:g}"
        return [f"a number from {low} to {high} ({self.unit.en})"]


class ChoiceOption(Strict):
    value: str = Field(pattern=VALUE_ID)
    label: Text
    score: float = Field(ge=0, le=1)


class ChoiceItem(ItemBase):
    """A single choice among options, each with its own score."""

    type: Literal["choice"]
    options: list[ChoiceOption] = Field(min_length=2, max_length=20)

    @model_validator(mode="after")
    def _unique_options(self) -> ChoiceItem:
        values = [option.value for option in self.options]
        if len(set(values)) != len(values):
            raise ValueError(f"option values must be unique, got {values}")
        return self

    def option(self, value: str) -> ChoiceOption | None:
        return next((o for o in self.options if o.value == value), None)

    def allowed_values(self) -> list[str]:
        return [option.value for option in self.options]


class RowGroup(Strict):
    id: str = Field(pattern=SLUG)
    label: Text


class MatrixRow(Strict):
    id: str = Field(pattern=SLUG)
    label: Text
    group: str | None = None


class MatrixColumn(Strict):
    id: str = Field(pattern=SLUG)
    label: Text


class MatrixItem(ItemBase):
    """Rows × columns answered cell by cell (yes / no / na); scored by the share of cells met."""

    type: Literal["matrix"]
    row_header: Text | None = None  # what the rows are (部门, 基金类别…); "事项 / Item" when omitted
    groups: list[RowGroup] = Field(default_factory=list)
    rows: list[MatrixRow] = Field(min_length=1, max_length=100)
    columns: list[MatrixColumn] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _consistent(self) -> MatrixItem:
        for kind, ids in (
            ("row", [r.id for r in self.rows]),
            ("column", [c.id for c in self.columns]),
            ("group", [g.id for g in self.groups]),
        ):
            if len(set(ids)) != len(ids):
                raise ValueError(f"{kind} ids must be unique, got {ids}")
        group_ids = {g.id for g in self.groups}
        for row in self.rows:
            if row.group is not None and row.group not in group_ids:
                raise ValueError(
                    f"row {row.id!r} names group {row.group!r}, expected one of {sorted(group_ids)}"
                )
        return self

    def allowed_values(self) -> list[str]:
        return ["yes", "no", "na"]


AnyItem = YesNoItem | ScaleItem | NumberItem | ChoiceItem | MatrixItem | GridItem
Item = Annotated[AnyItem, Field(discriminator="type")]


class Section(Strict):
    """A group of items scored together, by weighted mean or by its weakest item."""

    id: str = Field(pattern=SECTION_ID)
    title: Text
    description: Text | None = None
    weight: float = Field(default=1.0, gt=0, le=100)
    aggregation: Literal["weighted_mean", "weakest_link"] = "weighted_mean"
    items: list[Item] = Field(min_length=1, max_length=500)


class Grade(Strict):
    id: str = Field(pattern=SLUG)
    min: float = Field(ge=0, le=100)
    label: Text


DEFAULT_GRADES: tuple[Grade, ...] = (
    Grade(id="excellent", min=90, label=Text(zh="优秀", en="Excellent")),
    Grade(id="good", min=75, label=Text(zh="良好", en="Good")),
    Grade(id="pass", min=60, label=Text(zh="合格", en="Pass")),
    Grade(id="fail", min=0, label=Text(zh="不合格", en="Fail")),
)


class Scoring(Strict):
    """How a checklist turns answers into a grade."""

    partial_credit: float = Field(default=0.5, ge=0, le=1)
    grades: list[Grade] = Field(default_factory=lambda: list(DEFAULT_GRADES), min_length=1)
    critical_cap: str = "fail"
    critical_fail_below: float = Field(default=0.5, gt=0, le=1)

    @field_validator("grades")
    @classmethod
    def _descending(cls, grades: list[Grade]) -> list[Grade]:
        mins = [g.min for g in grades]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError(f"grade thresholds must be strictly descending, got {mins}")
        if mins[-1] != 0:
            raise ValueError(f"the lowest grade must start at 0, got {mins[-1]:g}")
        return grades

    @model_validator(mode="after")
    def _cap_is_a_grade(self) -> Scoring:
        ids = [g.id for g in self.grades]
        if self.critical_cap not in ids:
            raise ValueError(f"critical_cap must be one of {ids}, got {self.critical_cap!r}")
        return self


class CrosswalkEntry(Strict):
    """How an item of an earlier version maps to this one, so trends compare like with like."""

    old: str = Field(pattern=ITEM_ID)
    new: list[str] = Field(default_factory=list)
    change: Literal["kept", "renamed", "split", "merged", "dropped", "rescaled"]
    since: str = Field(pattern=SEMVER)
    note: Text | None = None

    @model_validator(mode="after")
    def _kept_is_itself(self) -> CrosswalkEntry:
        if self.change == "kept" and self.new not in ([], [self.old]):
            raise ValueError(f"a kept item keeps its id: new must be [{self.old}] or left out, got {self.new}; "
                             "use renamed for a new id")
        return self


class Checklist(Strict):
    """A versioned, bilingual checklist: scoring rules and sections of items."""

    schema_: str | None = Field(default=None, alias="$schema")
    id: str = Field(pattern=SLUG)
    version: str = Field(pattern=SEMVER)
    title: Text
    description: Text
    weight: float = Field(default=1.0, gt=0, le=100)
    scoring: Scoring = Field(default_factory=Scoring)
    crosswalk: list[CrosswalkEntry] = Field(default_factory=list)
    sections: list[Section] = Field(min_length=1, max_length=100)

    def items(self) -> list[tuple[Section, AnyItem]]:
        return [(section, item) for section in self.sections for item in section.items]

    def item_ids(self) -> list[str]:
        return [item.id for _, item in self.items()]

    @model_validator(mode="after")
    def _unique_ids(self) -> Checklist:
        seen: set[str] = set()
        for section in self.sections:
            for ident in [section.id, *(item.id for item in section.items)]:
                if ident in seen:
                    raise ValueError(f"id {ident!r} is used twice; ids must be unique")
                seen.add(ident)
        return self

    def grade_for(self, score: float) -> Grade:
        return grade_for(self.scoring.grades, score)


def grade_for(grades: list[Grade] | tuple[Grade, ...], score: float) -> Grade:
    """The first (highest) grade whose threshold the score reaches."""
    for grade in grades:
        if score >= grade.min:
            return grade
    return grades[-1]


__all__ = [
    "ITEM_ID", "PAPER_ONLY", "SEMVER", "SLUG", "AnyItem", "Band", "BasisRef", "Checklist", "ChoiceItem",
    "ChoiceOption", "CrosswalkEntry", "Grade", "GridColumn", "GridItem", "GridRatio", "GridRow", "Item",
    "MatrixColumn", "MatrixItem", "MatrixRow", "NumberItem", "RowGroup", "ScaleItem", "ScaleLevel", "Scoring",
    "Section", "Source", "YesNoItem", "grade_for",
]
