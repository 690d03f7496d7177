"""Property-based tests: the loader only ever raises SsdocsError; scores stay in range and are monotone."""

from __future__ import annotations

import datetime as dt
import math
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import MINI_ASSESSMENT, MINI_CHECKLIST
from ssdocs.errors import SsdocsError
from ssdocs.loading.assessments import check_against_checklists, parse_assessment
from ssdocs.loading.checklists import Catalog, load_checklists
from ssdocs.loading.yamlio import Document, load_yaml, parse_yaml
from ssdocs.models.assessment import Assessment
from ssdocs.models.checklist import (
    Checklist,
    ChoiceItem,
    GridItem,
    MatrixItem,
    NumberItem,
    ScaleItem,
    Scoring,
    YesNoItem,
)
from ssdocs.models.results import AssessmentResult
from ssdocs.scoring import score_assessment
from ssdocs.scoring.items import value_score

# Modest budgets: the machine is shared; the corpus covers the known cases exactly. For a long
# fuzzing session: SSDOCS_HYPOTHESIS_EXAMPLES=5000 python -m pytest tests/test_properties.py
_OVERRIDE = int(os.environ.get("SSDOCS_HYPOTHESIS_EXAMPLES", "0"))
QUICK = settings(max_examples=_OVERRIDE or 150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=_OVERRIDE or 60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MINI: Catalog = load_checklists([MINI_CHECKLIST])
SHIPPED: Catalog = load_checklists()
ON = dt.date(2025, 3, 1)
MINI_DATA = yaml.safe_load(MINI_ASSESSMENT.read_text(encoding="utf-8"))

# --- the loader never fails with anything but SsdocsError

TOKENS = [
    "a", "jurisdiction", "answers", "MIN-01", "value", "yes", "no", "1", "-1.5", "2024-02-30",
    "2025-03-01", ".nan", ".inf", "~", "true", "null", ":", ": ", "- ", "-", "[", "]", "{", "}", ",",
    "&x ", "*x", "&y ", "*y", "!!python/object:os.system ", "!!binary ", "!!set ", "!foo ", "<<: ",
    "? ", "#", "'", '"', "\\x07", "\\u202e", "\\0", "|", ">", "---", "...", "%YAML 1.2", "\t", "\n",
    "\n  ", "\n    ", " ", "\u3000", "示例", "\ufeff", "\x07", "\x00", "\r\n", "0o17", "0x1F", "1e400",
    "9" * 30, "%TAG ! tag:x,2000:",
]
yamlish = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


def only_ssdocs_errors(call: Any, *args: Any) -> Any:
    try:
        return call(*args)
    except SsdocsError:
        return None


@QUICK
@given(st.one_of(yamlish, st.text(max_size=200)))
def test_parse_yaml_raises_only_ssdocs_errors(text: str) -> None:
    doc = only_ssdocs_errors(parse_yaml, text, "x.yaml")
    if doc is not None:
        assert isinstance(doc, Document)
        only_ssdocs_errors(parse_assessment, doc, MINI)


@QUICK
@given(st.binary(max_size=300))
def test_any_bytes_raise_only_ssdocs_errors(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("bytes") / "x.yaml"
    path.write_bytes(data)
    doc = only_ssdocs_errors(load_yaml, path)
    if doc is not None:
        only_ssdocs_errors(parse_assessment, doc, MINI)


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["yes", "partial", "no", "B", "manual", "na", "MIN-01", "mini", "1.0.0", "city"]),
    st.dates(), st.datetimes(),
)
nested = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=10), st.sampled_from(
            ["value", "na", "note", "evidence", "waiver", "audit", "tax", "functions", "kind", "title"])),
            children, max_size=4),
    ),
    max_leaves=20,
)


def paths_of(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths_of(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths_of(value, (*prefix, index))
    return found


def replaced(data: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = replaced(data[path[0]], path[1:], new)  # type: ignore[index]
    return copy


@QUICK
@given(st.data())
def test_mutated_assessments_raise_only_ssdocs_errors(data: st.DataObject) -> None:
    """The valid fixture with any one node replaced by random data: valid, or located problems."""
    path = data.draw(st.sampled_from(paths_of(MINI_DATA)))
    mutated = replaced(MINI_DATA, path, data.draw(nested))
    try:
        text = yaml.safe_dump(mutated, allow_unicode=True)
    except (yaml.YAMLError, ValueError):
        assume(False)
        return
    doc = only_ssdocs_errors(parse_yaml, text, "x.yaml")
    if doc is not None:
        result = only_ssdocs_errors(parse_assessment, doc, MINI)
        if result is not None:
            assert isinstance(result, Assessment)
            scored = score_assessment(result, [MINI[("mini", "1.0.0")]])
            check_ranges(scored)


# --- scores: in range, and never lower when one answer improves


def values_for(item: Any) -> st.SearchStrategy[Any]:
    """Valid answer values for one item."""
    if isinstance(item, YesNoItem):
        return st.sampled_from(["yes", "partial", "no"])
    if isinstance(item, (ScaleItem, ChoiceItem)):
        return st.sampled_from(item.allowed_values())
    if isinstance(item, NumberItem):
        low = item.minimum if item.minimum is not None else -1e6
        high = item.maximum if item.maximum is not None else 1e6
        if item.integer:
            return st.integers(min_value=math.ceil(low), max_value=math.floor(high))
        return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)
    if isinstance(item, GridItem):
        return _grid(item)
    assert isinstance(item, MatrixItem)
    cells = st.tuples(st.sampled_from([r.id for r in item.rows]), st.sampled_from([c.id for c in item.columns]),
                      st.sampled_from(["yes", "no", "na"]))
    return st.lists(cells, max_size=3 * len(item.rows)).map(_matrix)


def _grid(item: GridItem) -> st.SearchStrategy[dict[str, Any]]:
    """Grid values the loader accepts (integers, minimum/maximum, at_most); the first row is always
    scored (its scored_by ratio has a denominator of at least 1), so the item's score is defined."""
    denominator = next(r.denominator for r in item.ratios if r.id == item.scored_by)

    @st.composite
    def row(draw: st.DrawFn, scored: bool) -> dict[str, float]:
        values: dict[str, float] = {}
        pending = list(item.columns)
        while pending:  # a column bounded by another (at_most) is drawn after it
            column = next(c for c in pending if c.at_most is None or c.at_most in values)
            pending.remove(column)
            low = column.minimum if column.minimum is not None else 0.0
            if scored and column.id == denominator:
                low = max(low, 1.0)
            high = column.maximum if column.maximum is not None else 1e6
            if column.at_most is not None:
                high = min(high, values[column.at_most])
            high = max(high, low)
            if column.integer:
                values[column.id] = draw(st.integers(min_value=math.ceil(low), max_value=math.floor(high)))
            else:
                values[column.id] = draw(st.floats(min_value=low, max_value=high, allow_nan=False,
                                                   allow_infinity=False))
        return values

    first, *rest = item.rows
    return st.fixed_dictionaries({first.id: row(True), **{r.id: st.one_of(st.just("na"), row(False)) for r in rest}})


def _matrix(cells: list[tuple[str, str, str]]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for row, column, cell in cells:
        out.setdefault(row, {})[column] = cell
    return out


EVIDENCE = [{"kind": "document", "title": "文件"}]


def answers_for(item: Any) -> st.SearchStrategy[dict[str, Any] | None]:
    """A value, N/A, a waiver (live or expired), or no answer at all."""
    waiver = st.builds(lambda days, v: {"value": v, "evidence": EVIDENCE, "waiver": {
        "justification": "改造中", "approved_by": "局长", "expires": ON + dt.timedelta(days=days)}},
        st.integers(min_value=-400, max_value=400), values_for(item))
    return st.one_of(
        st.none(),
        values_for(item).map(lambda v: {"value": v, "evidence": EVIDENCE}),
        st.just({"na": "本地区不适用"}),
        waiver,
    )


def assessment_data(checklists: list[Checklist], answers: dict[str, Any]) -> dict[str, Any]:
    return {
        "jurisdiction": {"code": "demo", "name": {"zh": "示例市", "en": "Example City"}, "level": "city"},
        "year": 2024, "date": ON, "assessors": [{"name": "张三"}],
        "checklists": [{"id": c.id, "version": c.version} for c in checklists],
        "answers": {k: v for k, v in answers.items() if v is not None},
    }


@st.composite
def assessments(draw: st.DrawFn, catalog: Catalog) -> tuple[list[Checklist], dict[str, Any]]:
    # one version per checklist: an assessment lists each checklist once
    keys = draw(st.lists(st.sampled_from(sorted(catalog)), min_size=1, max_size=len(catalog), unique_by=lambda k: k[0]))
    checklists = [catalog[k] for k in keys]
    answers = {item.id: draw(answers_for(item)) for c in checklists for _, item in c.items()}
    return checklists, answers


def build(checklists: list[Checklist], answers: dict[str, Any], catalog: Catalog) -> Assessment:
    assessment = Assessment.model_validate(assessment_data(checklists, answers))
    # The generator only makes answers the loader accepts.
    assert check_against_checklists(assessment, catalog, Document("x.yaml", None)) == []
    return assessment


def check_ranges(result: AssessmentResult) -> None:
    scores = [result.score, *(c.score for c in result.checklists),
              *(s.score for c in result.checklists for s in c.sections)]
    assert all(s is None or 0 <= s <= 100 for s in scores), scores
    assert all(i.score is None or 0 <= i.score <= 1 for i in result.items())
    assert 0 <= result.completeness <= 100
    assert all(0 <= c.completeness <= 100 for c in result.checklists)


@SLOW
@given(assessments(SHIPPED))
def test_scores_stay_in_range(drawn: tuple[list[Checklist], dict[str, Any]]) -> None:
    checklists, answers = drawn
    check_ranges(score_assessment(build(checklists, answers, SHIPPED), checklists))


def all_scores(result: AssessmentResult) -> dict[tuple[str, ...], float | None]:
    out: dict[tuple[str, ...], float | None] = {("overall",): result.score}
    for c in result.checklists:
        out[(c.id,)] = c.score
        for s in c.sections:
            out[(c.id, s.id)] = s.score
    return out


@SLOW
@given(st.data())
def test_a_better_answer_never_lowers_a_score(data: st.DataObject) -> None:
    """One answer replaced by one that scores at least as well (or a missing one answered): no section,
    checklist or overall score goes down, whichever aggregation (weighted mean, weakest link)."""
    checklists, answers = data.draw(assessments(SHIPPED))
    owner = data.draw(st.sampled_from(checklists))
    _, item = data.draw(st.sampled_from(owner.items()))
    first, second = data.draw(values_for(item)), data.draw(values_for(item))
    scoring: Scoring = owner.scoring
    low, high = sorted([first, second], key=lambda v: value_score(item, v, scoring)[0])
    worse = None if data.draw(st.booleans()) else {"value": low, "evidence": EVIDENCE}
    better = {"value": high, "evidence": EVIDENCE}
    before = all_scores(score_assessment(build(checklists, {**answers, item.id: worse}, SHIPPED), checklists))
    after = all_scores(score_assessment(build(checklists, {**answers, item.id: better}, SHIPPED), checklists))
    assert before.keys() == after.keys()
    for key, old in before.items():
        new = after[key]
        assert (old is None) == (new is None), key
        assert old is None or new is not None and new >= old, (key, old, new)


@QUICK
@given(st.data())
def test_improving_steps_on_the_mini_checklist(data: st.DataObject) -> None:
    """The named steps: no -> partial -> yes, a higher scale level, a matrix cell met, a better choice."""
    checklist = MINI[("mini", "1.0.0")]
    _, answers = data.draw(assessments(MINI))
    steps = {
        "MIN-01": ["no", "partial", "yes"],
        "MIN-02": ["D", "C", "B", "A"],
        "MIN-03": [10, 60, 95],
        "MIN-04": ["none", "manual", "system"],
    }
    item_id = data.draw(st.sampled_from([*steps, "MIN-05"]))
    if item_id == "MIN-05":
        cells = data.draw(values_for(checklist.items()[4][1]))
        row, column = data.draw(st.sampled_from([("audit", "functions"), ("audit", "staffing"),
                                                 ("tax", "functions"), ("tax", "staffing")]))
        if cells.get(row, {}).get(column) == "na":
            cells[row][column] = "no"
        ladder = [cells, {**cells, row: {**cells.get(row, {}), column: "yes"}}]
    else:
        ladder = steps[item_id]
    previous = None
    for value in ladder:
        result = score_assessment(build([checklist], {**answers, item_id: {"value": value, "evidence": EVIDENCE}},
                                        MINI), [checklist])
        check_ranges(result)
        now = all_scores(result)
        if previous is not None:
            assert all(previous[k] is None or (now[k] is not None and now[k] >= previous[k]) for k in now), \
                (item_id, value, previous, now)
        previous = now


def test_path_helpers() -> None:
    assert replaced({"a": [1, {"b": 2}]}, ("a", 1, "b"), 3) == {"a": [1, {"b": 3}]}
    assert ("a", 1, "b") in paths_of({"a": [1, {"b": 2}]})
    assert Path(MINI_ASSESSMENT).exists()
