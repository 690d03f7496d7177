"""Scoring: hand-computed cases for every item type, N/A, waivers, red lines and both aggregations."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import MINI_ASSESSMENT
from ssdocs import api
from ssdocs.loading.checklists import Catalog
from ssdocs.models import Answer, Assessment, Checklist
from ssdocs.models.results import AssessmentResult
from ssdocs.scoring import score_assessment

EVIDENCE = [{"kind": "document", "title": "追缴办法"}]


@pytest.fixture
def mini(mini_catalog: Catalog) -> Checklist:
    return mini_catalog[("mini", "1.0.0")]


def run(mini: Checklist, answers: dict[str, dict[str, Any]], date: str = "2025-03-01") -> AssessmentResult:
    assessment = Assessment.model_validate(
        {
            "jurisdiction": {"code": "demo", "name": {"zh": "示例市", "en": "Example City"}, "level": "city"},
            "year": 2024,
            "date": date,
            "assessors": [{"name": "张三"}],
            "checklists": [{"id": "mini", "version": "1.0.0"}],
            "answers": answers,
        }
    )
    return score_assessment(assessment, [mini])


def item(result: AssessmentResult, ident: str) -> Any:
    return next(i for i in result.items() if i.id == ident)


def section(result: AssessmentResult, ident: str) -> Any:
    return next(s for s in result.checklists[0].sections if s.id == ident)


ALL_MET = {
    "MIN-01": {"value": "yes", "evidence": EVIDENCE},
    "MIN-02": {"value": "A"},
    "MIN-03": {"value": 95},
    "MIN-04": {"value": "system"},
    "MIN-05": {"value": {"audit": {"functions": "yes", "staffing": "yes"},
                         "tax": {"functions": "yes", "staffing": "yes"}}},
}


def test_all_met_is_100_excellent(mini: Checklist) -> None:
    result = run(mini, ALL_MET)
    assert (result.score, result.grade, result.completeness) == (100.0, "excellent", 100.0)
    assert result.counts.met == 5


def test_fixture_hand_computed(mini_catalog: Catalog) -> None:
    # Section A (weighted mean): MIN-01 partial 0.5 × w2, MIN-02 level B = 2/3 × w1 -> 1.6667/3 = 55.6
    # Section B (weakest link): min(75 % -> band 0.5, manual 0.6, matrix 2 of 3 cells) = 50.0
    # Checklist: (2 × 55.6 + 1 × 50.0) / 3 = 53.73 -> 53.7, grade fail (< 60)
    result = api.score(MINI_ASSESSMENT, mini_catalog)
    assert [s.score for s in result.checklists[0].sections] == [55.6, 50.0]
    assert result.score == 53.7
    assert result.grade == "fail"
    assert item(result, "MIN-05").display == "2/3"


@pytest.mark.parametrize(
    ("ident", "value", "expected"),
    [
        ("MIN-01", "yes", 1.0), ("MIN-01", "partial", 0.5), ("MIN-01", "no", 0.0),
        ("MIN-02", "D", 0.0), ("MIN-02", "C", 1 / 3), ("MIN-02", "A", 1.0),
        ("MIN-03", 90, 1.0), ("MIN-03", 89.9, 0.5), ("MIN-03", 60, 0.5), ("MIN-03", 59, 0.0),
        ("MIN-04", "none", 0.0), ("MIN-04", "manual", 0.6), ("MIN-04", "system", 1.0),
    ],
)
def test_item_types(mini: Checklist, ident: str, value: Any, expected: float) -> None:
    answer: dict[str, Any] = {"value": value}
    if ident == "MIN-01":
        answer["evidence"] = EVIDENCE
    assert item(run(mini, {ident: answer}), ident).score == pytest.approx(expected)


def test_matrix_share_of_cells_na_excluded_missing_cells_unmet(mini: Checklist) -> None:
    value = {"audit": {"functions": "yes", "staffing": "na"}, "tax": {"functions": "yes"}}
    result = item(run(mini, {"MIN-05": {"value": value}}), "MIN-05")
    assert (result.score, result.display, result.status) == (pytest.approx(2 / 3), "2/3", "partial")


def test_weighted_mean_and_missing_counts_zero(mini: Checklist) -> None:
    # MIN-01 yes (w2) and MIN-02 missing (w1): (2 × 1 + 1 × 0) / 3 = 66.7
    result = run(mini, {"MIN-01": {"value": "yes", "evidence": EVIDENCE}})
    assert section(result, "MIN-A").score == 66.7
    assert "MIN-02" in result.missing
    assert result.completeness == 20.0


def test_weakest_link(mini: Checklist) -> None:
    answers = {**ALL_MET, "MIN-04": {"value": "manual"}}
    assert section(run(mini, answers), "MIN-B").score == 60.0


def test_na_leaves_the_denominator(mini: Checklist) -> None:
    answers = {**ALL_MET, "MIN-02": {"na": "本市不适用"}}
    result = run(mini, answers)
    assert item(result, "MIN-02").status == "na"
    assert section(result, "MIN-A").score == 100.0
    assert result.completeness == 100.0


def test_all_na_section_leaves_the_checklist_mean(mini: Checklist) -> None:
    answers = {**ALL_MET, "MIN-03": {"na": "x"}, "MIN-04": {"na": "x"}, "MIN-05": {"na": "x"}}
    answers["MIN-02"] = {"value": "C"}
    result = run(mini, answers)
    assert section(result, "MIN-B").score is None
    # Only section A counts: (2 × 1 + 1 × 1/3) / 3 = 77.8
    assert result.score == 77.8


def waiver(expires: str) -> dict[str, str]:
    return {"justification": "机构改革过渡期", "approved_by": "市人社局", "expires": expires}


def test_valid_waiver_leaves_the_denominator(mini: Checklist) -> None:
    answers = {**ALL_MET, "MIN-02": {"value": "D", "waiver": waiver("2025-12-31")}}
    result = run(mini, answers)
    assert item(result, "MIN-02").status == "waived"
    assert section(result, "MIN-A").score == 100.0
    assert result.expired_waivers == []


def test_expired_waiver_counts_no_more_and_is_reported(mini: Checklist) -> None:
    answers = {**ALL_MET, "MIN-02": {"value": "D", "waiver": waiver("2025-02-28")}}
    result = run(mini, answers)
    assert item(result, "MIN-02").status == "unmet"
    assert item(result, "MIN-02").waiver_expired is True
    assert section(result, "MIN-A").score == 66.7
    assert result.expired_waivers == ["MIN-02"]


def test_red_line_caps_the_grade(mini: Checklist) -> None:
    # MIN-01 is critical; 'no' scores 0 < 0.5, so the grade is capped at 'pass' (critical_cap)
    answers = {**ALL_MET, "MIN-01": {"value": "no"}}
    result = run(mini, answers)
    assert section(result, "MIN-A").score == 33.3
    checklist = result.checklists[0]
    # (2 × 33.3 + 1 × 100) / 3 = 55.5 -> already below pass: cap changes nothing
    assert (checklist.score, checklist.grade, checklist.critical_failures) == (55.5, "fail", ["MIN-01"])


def test_red_line_cap_lowers_a_high_grade(mini: Checklist) -> None:
    answers = {**ALL_MET, "MIN-01": {"value": "no"}}
    heavy = mini.model_copy(update={"sections": [mini.sections[0].model_copy(update={"weight": 0.1}),
                                                 mini.sections[1].model_copy(update={"weight": 10})]})
    result = run(heavy, answers)
    # (0.1 × 33.3 + 10 × 100) / 10.1 = 99.3 -> excellent, capped to pass
    assert result.score == 99.3
    assert (result.checklists[0].uncapped_grade, result.checklists[0].grade) == ("excellent", "pass")
    assert (result.uncapped_grade, result.grade) == ("excellent", "pass")
    assert result.critical_failures == ["MIN-01"]


def test_missing_red_line_counts_as_failed(mini: Checklist) -> None:
    answers = {k: v for k, v in ALL_MET.items() if k != "MIN-01"}
    assert run(mini, answers).critical_failures == ["MIN-01"]


def test_partial_red_line_is_not_failed(mini: Checklist) -> None:
    answers = {**ALL_MET, "MIN-01": {"value": "partial", "evidence": EVIDENCE}}
    assert run(mini, answers).critical_failures == []


def test_results_are_json_serialisable(mini: Checklist) -> None:
    data = run(mini, ALL_MET).model_dump(mode="json")
    assert data["checklists"][0]["sections"][0]["items"][0]["id"] == "MIN-01"
    assert AssessmentResult.model_validate(data).score == 100.0


def test_answer_model_rejects_value_and_na() -> None:
    with pytest.raises(ValueError):
        Answer(value="yes", na="x")
