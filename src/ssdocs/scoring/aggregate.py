"""Aggregate item scores into sections, checklists and the assessment."""

from __future__ import annotations

from collections import Counter

from ssdocs.models.assessment import Assessment
from ssdocs.models.base import Text
from ssdocs.models.checklist import DEFAULT_GRADES, Checklist, Grade, Section, grade_for
from ssdocs.models.results import (
    AssessmentResult,
    ChecklistResult,
    Counts,
    ItemResult,
    SectionResult,
)
from ssdocs.scoring.items import score_item


def score_section(section: Section, results: list[ItemResult], grades: list[Grade]) -> SectionResult:
    """Weighted mean of the counted items, or the weakest of them; None if none counts."""
    counted = [r for r in results if r.score is not None]
    score: float | None
    if not counted:
        score = None
    elif section.aggregation == "weakest_link":
        score = 100 * min(r.score for r in counted if r.score is not None)
    else:
        total = sum(r.weight for r in counted)
        score = 100 * sum(r.weight * (r.score or 0.0) for r in counted) / total
    return SectionResult(
        id=section.id,
        title=section.title,
        weight=section.weight,
        aggregation=section.aggregation,
        score=_round(score),
        grade=grade_for(grades, score).id if score is not None else None,
        grade_label=grade_for(grades, score).label if score is not None else None,
        counts=count(results),
        items=results,
    )


def score_checklist(checklist: Checklist, assessment: Assessment) -> ChecklistResult:
    """Score every section, then the weighted mean of sections; red lines cap the grade."""
    sections = []
    for section in checklist.sections:
        results = [
            score_item(item, assessment.answers.get(item.id), checklist.scoring, assessment.date,
                       checklist=checklist.id, section=section.id)
            for item in section.items
        ]
        sections.append(score_section(section, results, checklist.scoring.grades))
    score = weighted_mean([(s.weight, s.score) for s in sections])
    items = [i for s in sections for i in s.items]
    failures = [i.id for i in items if i.critical_failed]
    uncapped = grade_for(checklist.scoring.grades, score).id if score is not None else None
    grade = uncapped
    if failures and grade is not None:
        grade = cap(checklist.scoring.grades, grade, checklist.scoring.critical_cap)
    return ChecklistResult(
        id=checklist.id,
        version=checklist.version,
        title=checklist.title,
        weight=checklist.weight,
        score=_round(score),
        grade=grade,
        grade_label=label_of(checklist.scoring.grades, grade),
        uncapped_grade=uncapped,
        critical_cap=checklist.scoring.critical_cap,
        critical_cap_label=label_of(checklist.scoring.grades, checklist.scoring.critical_cap),
        critical_failures=failures,
        completeness=completeness(items),
        counts=count(items),
        sections=sections,
    )


def score_assessment(assessment: Assessment, checklists: list[Checklist]) -> AssessmentResult:
    """Score an assessment over the checklist versions it names (already validated against them)."""
    results = [score_checklist(c, assessment) for c in checklists]
    score = weighted_mean([(c.weight, c.score) for c in results])
    grades = list(DEFAULT_GRADES)
    uncapped = grade_for(grades, score) if score is not None else None
    grade = uncapped
    caps = [c for c, r in zip(checklists, results, strict=True) if r.critical_failures]
    if grade is not None and caps:
        # The strictest cap any failing checklist declares, mapped onto the overall bands by id.
        ids = [g.id for g in grades]
        cap_ids = [c.scoring.critical_cap for c in caps if c.scoring.critical_cap in ids]
        for cap_id in cap_ids:
            grade = next(g for g in grades if g.id == cap(grades, grade.id, cap_id))
    items = [i for r in results for s in r.sections for i in s.items]
    return AssessmentResult(
        jurisdiction=assessment.jurisdiction.code,
        jurisdiction_name=assessment.jurisdiction.name,
        level=assessment.jurisdiction.level,
        parent=assessment.jurisdiction.parent,
        insured=assessment.jurisdiction.insured,
        population=assessment.jurisdiction.population,
        year=assessment.year,
        date=assessment.date.isoformat(),
        score=_round(score),
        grade=grade.id if grade else None,
        grade_label=grade.label if grade else None,
        uncapped_grade=uncapped.id if uncapped else None,
        completeness=completeness(items),
        critical_failures=[i.id for i in items if i.critical_failed],
        missing=[i.id for i in items if i.status == "missing"],
        expired_waivers=[i.id for i in items if i.waiver_expired],
        counts=count(items),
        checklists=results,
    )


def weighted_mean(pairs: list[tuple[float, float | None]]) -> float | None:
    """Σ wᵢ·sᵢ / Σ wᵢ over the pairs whose score is not None."""
    counted = [(w, s) for w, s in pairs if s is not None]
    if not counted:
        return None
    return sum(w * s for w, s in counted) / sum(w for w, _ in counted)


def cap(grades: list[Grade], grade: str, ceiling: str) -> str:
    """The lower of `grade` and `ceiling` (grades are listed best first)."""
    ids = [g.id for g in grades]
    return ids[max(ids.index(grade), ids.index(ceiling))]


def completeness(items: list[ItemResult]) -> float:
    """Share (0-100) of items with an answer: a value, N/A or a waiver (context items count too)."""
    if not items:
        return 100.0
    answered = sum(i.answered for i in items)
    return round(100 * answered / len(items), 1)


def count(items: list[ItemResult]) -> Counts:
    tally: Counter[str] = Counter(i.status for i in items)
    return Counts(**{status: tally[status] for status in Counts.model_fields})


def _round(score: float | None) -> float | None:
    # One decimal is what reports show; rounding here keeps JSON, PDF and CI messages identical.
    return None if score is None else round(score, 1)


def label_of(grades: list[Grade], grade_id: str | None) -> Text | None:
    return next((g.label for g in grades if g.id == grade_id), None)

