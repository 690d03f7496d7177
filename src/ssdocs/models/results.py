"""Scoring results: per item, section, checklist and assessment; JSON-serialisable."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from ssdocs.models.base import Text

# "context": a context item, answered and shown but never scored (out of the denominator like na).
ItemStatus = Literal["met", "partial", "unmet", "na", "waived", "missing", "context"]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class ItemResult(_Result):
    id: str
    checklist: str
    section: str
    type: str
    weight: float
    critical: bool
    status: ItemStatus
    score: float | None  # in [0, 1]; None when the item leaves the denominator (N/A, waiver)
    critical_failed: bool = False
    waiver_expired: bool = False
    display: str = ""  # the answer as a reader sees it: "partial", "B", "87.5 %", "40/52 cells"
    answered: bool = True  # a value, N/A or a waiver was given (false for missing and unanswered context items)

    @property
    def shortfall(self) -> float:
        return 0.0 if self.score is None else 1.0 - self.score

    @property
    def impact(self) -> float:
        """Weight × shortfall: how many weighted points the item costs its section."""
        return self.weight * self.shortfall


class Counts(_Result):
    met: int = 0
    partial: int = 0
    unmet: int = 0
    na: int = 0
    waived: int = 0
    missing: int = 0
    context: int = 0

    @property
    def total(self) -> int:
        return self.met + self.partial + self.unmet + self.na + self.waived + self.missing + self.context


class SectionResult(_Result):
    id: str
    title: Text
    weight: float
    aggregation: Literal["weighted_mean", "weakest_link"]
    score: float | None  # 0-100; None when every item left the denominator
    grade: str | None
    grade_label: Text | None = None
    counts: Counts
    items: list[ItemResult]


class ChecklistResult(_Result):
    id: str
    version: str
    title: Text
    weight: float
    score: float | None
    grade: str | None  # after the red-line cap
    grade_label: Text | None = None
    uncapped_grade: str | None
    critical_cap: str = "fail"  # the grade a failed red line caps this checklist at
    critical_cap_label: Text | None = None
    critical_failures: list[str]
    completeness: float  # 0-100: share of items answered (a value, N/A or a waiver)
    counts: Counts
    sections: list[SectionResult]


class AssessmentResult(_Result):
    jurisdiction: str
    jurisdiction_name: Text
    # The rest of the `jurisdiction:` block, so that whoever has a result (from the cache too) needs
    # not read the assessment again for it: the roll-up's levels, parents and weights.
    level: Literal["national", "province", "city", "county"] | None = None
    parent: str | None = None
    insured: int | None = None
    population: int | None = None
    year: int
    date: str
    score: float | None
    grade: str | None
    grade_label: Text | None
    uncapped_grade: str | None
    completeness: float
    critical_failures: list[str]
    missing: list[str]
    expired_waivers: list[str]
    counts: Counts
    checklists: list[ChecklistResult]

    def items(self) -> list[ItemResult]:
        return [i for c in self.checklists for s in c.sections for i in s.items]
