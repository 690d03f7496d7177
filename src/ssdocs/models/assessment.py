"""The assessment format: one jurisdiction, one year, answers keyed by item id."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StrictFloat, StrictInt, StrictStr, model_validator

from ssdocs.models.base import Date, Strict, Text
from ssdocs.models.checklist import ITEM_ID, SEMVER, SLUG

JURISDICTION_CODE = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$"

# A scalar answer (yes/partial/no, a scale level, a choice, a number) or rows of cells: a matrix
# (yes / no / na per cell) or a grid (a number per cell, or a whole row `na`). Cells are checked
# against the item by the loader, with located messages.
Scalar = StrictStr | StrictInt | StrictFloat
# A blank cell (`staffing: ,` in a row uncommented from the answer template) is None here, so the
# loader can say "blank: write yes, no or na" at its place instead of a type error.
Value = Scalar | dict[str, dict[str, Scalar | None] | StrictStr]
MAX_ANSWERS = 5_000
AnswerKey = Annotated[str, Field(pattern=ITEM_ID, max_length=64)]


MAX_PERSONS = 2_000_000_000  # more people than any jurisdiction (China: 1.4 billion) has


def _persons(value: Any) -> Any:
    """A count of persons: a whole number from 1 to MAX_PERSONS, never text, a fraction or a boolean."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_PERSONS:
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        got = "a mapping" if isinstance(value, dict) else "a list" if isinstance(value, list) else repr(value)
    else:
        got = repr(value)
    raise ValueError(f"expected a whole number of persons from 1 to {MAX_PERSONS:,} (digits only), got {got}")


# 参保人数 / 常住人口: optional, the weights of `ssdocs rollup --weight` (figures of the year assessed).
Persons = Annotated[StrictInt, Field(ge=1, le=MAX_PERSONS), BeforeValidator(_persons)]


def persons_typed(text: str) -> int | str:
    """A number of persons as staff type it in a form (1,234,567 or 1 234 567 or 1，234，567): the
    whole number, or the text as it was (validation then says what is wrong with it)."""
    digits = re.sub(r"[\s,，]", "", text)
    return int(digits) if re.fullmatch(r"[0-9]{1,12}", digits) else text


class Jurisdiction(Strict):
    code: str = Field(pattern=JURISDICTION_CODE)
    name: Text
    level: Literal["national", "province", "city", "county"]
    parent: str | None = Field(default=None, pattern=JURISDICTION_CODE)
    insured: Persons | None = Field(default=None, description="参保人数: insured persons (year assessed)")
    population: Persons | None = Field(default=None, description="常住人口: resident population (year assessed)")


class Assessor(Strict):
    name: str = Field(min_length=1, max_length=200)
    organisation: str | None = Field(default=None, max_length=200)
    role: str | None = Field(default=None, max_length=200)


class ChecklistRef(Strict):
    id: str = Field(pattern=SLUG, max_length=64)
    version: str = Field(pattern=SEMVER, max_length=32)


class Evidence(Strict):
    """A reference to the evidence behind an answer (never the evidence itself)."""

    kind: Literal["document", "system_data", "observation", "interview"]
    title: str = Field(min_length=1, max_length=500)
    number: str | None = Field(default=None, max_length=200)
    date: Date | None = None


class Waiver(Strict):
    """An approved exemption: while unexpired, the item leaves the denominator."""

    justification: str = Field(min_length=1, max_length=5_000)
    approved_by: str = Field(min_length=1, max_length=200)
    expires: Date


class Answer(Strict):
    """The answer to one item: a value, or N/A with a reason; evidence, note, waiver, owner."""

    value: Value | None = None
    na: str | None = Field(default=None, min_length=1, max_length=2_000)
    evidence: list[Evidence] = Field(default_factory=list, max_length=100)
    note: str | None = Field(default=None, max_length=20_000)
    waiver: Waiver | None = None
    owner: str | None = Field(default=None, max_length=200)
    due: Date | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_evidence_yet(cls, data: Any) -> Any:
        """`evidence:` with its example entries still commented out (the answer template) is no evidence."""
        if isinstance(data, dict) and "evidence" in data and data["evidence"] is None:
            return {k: v for k, v in data.items() if k != "evidence"}
        return data

    @model_validator(mode="after")
    def _value_or_na(self) -> Answer:
        if self.value is not None and self.na is not None:
            raise ValueError("give either a value or na (with its reason), not both")
        return self


class Period(Strict):
    start: Date
    end: Date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")
        return self


class Assessment(Strict):
    """One jurisdiction's answers for one year, against named checklist versions."""

    schema_: str | None = Field(default=None, alias="$schema")
    jurisdiction: Jurisdiction
    year: StrictInt = Field(ge=1990, le=2100)
    period: Period | None = None
    date: Date
    assessors: list[Assessor] = Field(min_length=1, max_length=50)
    checklists: list[ChecklistRef] = Field(min_length=1, max_length=50)
    answers: dict[AnswerKey, Answer] = Field(default_factory=dict, max_length=MAX_ANSWERS)

    def checklist_versions(self) -> dict[str, str]:
        return {ref.id: ref.version for ref in self.checklists}
