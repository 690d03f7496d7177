"""Properties of the comparison: non-comparable items never move a delta; same versions = plain difference."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ssdocs.history import compare_years
from ssdocs.history.loading import YearEntry
from ssdocs.loading import load_checklists
from ssdocs.models.assessment import Assessment
from ssdocs.scoring import score_assessment

FIXTURES = Path(__file__).parent / "fixtures"
CATALOG = load_checklists(FIXTURES / "history" / "checklists")
OLD, NEW = CATALOG[("mini", "1.0.0")], CATALOG[("mini", "1.1.0")]

yes_no = st.sampled_from(["yes", "partial", "no"])
level = st.sampled_from(["D", "C", "B", "A"])
percent = st.integers(min_value=0, max_value=100)
method = st.sampled_from(["none", "manual", "system"])
cell = st.sampled_from(["yes", "no", "na"])
matrix = st.fixed_dictionaries({r: st.fixed_dictionaries({"functions": cell, "staffing": cell})
                                 for r in ("audit", "tax")})


def entry(year: int, version: str, answers: dict[str, Any]) -> YearEntry:
    assessment = Assessment.model_validate({
        "jurisdiction": {"code": "p", "name": {"zh": "性质市", "en": "Property City"}, "level": "city"},
        "year": year, "date": f"{year + 1}-03-01", "assessors": [{"name": "x"}],
        "checklists": [{"id": "mini", "version": version}],
        "answers": {k: {"value": v} for k, v in answers.items()},
    })
    checklist = CATALOG[("mini", version)]
    return YearEntry(Path(f"{year}.yaml"), assessment, [checklist], score_assessment(assessment, [checklist]))


@settings(max_examples=60, deadline=None)
@given(shared=st.tuples(yes_no, level, matrix), old=st.tuples(percent, method),
       new=st.tuples(percent, method, method, yes_no))
def test_only_comparable_items_move_the_delta(shared: tuple[Any, ...], old: tuple[Any, ...],
                                              new: tuple[Any, ...]) -> None:
    min01, min02, min05 = shared
    before = entry(2024, "1.0.0", {"MIN-01": min01, "MIN-02": min02, "MIN-03": old[0], "MIN-04": old[1],
                                   "MIN-05": min05})
    after = entry(2025, "1.1.0", {"MIN-01": min01, "MIN-20": min02, "MIN-03": new[0], "MIN-41": new[1],
                                  "MIN-42": new[2], "MIN-05": min05, "MIN-06": new[3]})
    change = compare_years(before, after)
    assert change.overall.basis == "comparable-items"
    assert change.overall.delta == 0.0
    assert {c.key: c.delta for c in change.sections} == {"mini/MIN-A": 0.0, "mini/MIN-B": 0.0}
    assert change.worse == [] and change.better == []


@settings(max_examples=60, deadline=None)
@given(a=st.tuples(yes_no, level, percent, method, matrix), b=st.tuples(yes_no, level, percent, method, matrix))
def test_same_version_delta_is_the_difference_of_the_scores_shown(a: tuple[Any, ...], b: tuple[Any, ...]) -> None:
    ids = ["MIN-01", "MIN-02", "MIN-03", "MIN-04", "MIN-05"]
    before, after = entry(2024, "1.0.0", dict(zip(ids, a))), entry(2025, "1.0.0", dict(zip(ids, b)))
    change = compare_years(before, after)
    assert change.overall.basis == "same"
    assert before.result.score is not None and after.result.score is not None
    assert change.overall.delta == round(after.result.score - before.result.score, 1)
    assert change.not_comparable == []
