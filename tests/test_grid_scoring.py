"""Grid answers (located problems, at_most, na rows, did-you-mean), grid scoring, context items and the
red-line cap each checklist states."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, assessment_for
from ssdocs import api
from ssdocs.cli import cli, commands  # noqa: F401  (registers every command)
from ssdocs.loading.checklists import Catalog, load_checklists
from ssdocs.models.checklist import GridItem
from ssdocs.scoring import score_checklist, score_item

V2 = FIXTURES / "v2"
ANSWERS = V2 / "assessments" / "pilot-2025.yaml"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_checklists(V2 / "checklists")


def _grid(catalog: Catalog) -> GridItem:
    item = next(i for _, i in catalog[("pilot", "2.0.0")].items() if isinstance(i, GridItem))
    return item


HEAD = """\
jurisdiction: {code: demo, name: {zh: 示例市, en: Example City}, level: city}
year: 2025
date: 2026-03-01
assessors: [{name: 张三}]
checklists: [{id: pilot, version: 2.0.0}]
answers:
  PIL-05:
    evidence: [{kind: system_data, title: 台账}]
    value:
"""


def problems(tmp_path: Path, catalog: Catalog, rows: str) -> list[str]:
    path = tmp_path / "a.yaml"
    path.write_text(HEAD + textwrap.indent(textwrap.dedent(rows), "      "), encoding="utf-8")
    return [str(p).replace(str(tmp_path) + "/", "") for p in api.validate([path], catalog)]


def test_the_fixture_answers_are_valid(catalog: Catalog) -> None:
    assert api.validate([ANSWERS], catalog) == []


def test_every_grid_problem_is_located(tmp_path: Path, catalog: Catalog) -> None:
    found = problems(tmp_path, catalog, """\
        death-benefits: {leads: 120, checked: 130, confirmed: 1.5, recovered: -1}
        duplicate-receipts: na
        early-retirement: {leads: 3, checkd: 2, confirmed: 1, recovered: 0, checked-share: 50}
        """)
    assert found == [
        "a.yaml:10:7: answers.PIL-05.value: row duplicate-receipt is missing: give every column of the row, "
        "or na when it does not arise here",
        "a.yaml:10:45: answers.PIL-05.value.death-benefits.checked: "
        "expected at most leads (120) in row death-benefits, got 130",
        "a.yaml:10:61: answers.PIL-05.value.death-benefits.confirmed: expected a whole number, got 1.5",
        "a.yaml:10:77: answers.PIL-05.value.death-benefits.recovered: expected at least 0, got -1",
        "a.yaml:11:7: answers.PIL-05.value.duplicate-receipts: unknown row 'duplicate-receipts'; "
        "did you mean 'duplicate-receipt'? (expected one of: death-benefits, duplicate-receipt, early-retirement)",
        "a.yaml:12:25: answers.PIL-05.value.early-retirement: row early-retirement has no checked: "
        "give every column (leads, checked, confirmed, recovered), or na for the whole row",
        "a.yaml:12:36: answers.PIL-05.value.early-retirement.checkd: unknown column 'checkd'; did you mean "
        "'checked'? (expected one of: leads, checked, confirmed, recovered)",
        "a.yaml:12:75: answers.PIL-05.value.early-retirement.checked-share: "
        "'checked-share' is a ratio, derived from the columns: leave it out",
    ]


def test_wrong_shapes_and_values(tmp_path: Path, catalog: Catalog) -> None:
    found = problems(tmp_path, catalog, """\
        death-benefits: n/a
        duplicate-receipt: {leads: many, checked: 0, confirmed: 0, recovered: 0}
        early-retirement: na
        """)
    assert found == [
        "a.yaml:10:23: answers.PIL-05.value.death-benefits: "
        "expected na or a mapping of columns to numbers, got 'n/a'",
        "a.yaml:11:34: answers.PIL-05.value.duplicate-receipt.leads: "
        "expected a whole number from 0 to inf, got 'many'",
    ]
    path = tmp_path / "b.yaml"
    path.write_text(HEAD.replace("    value:\n", "    value: 12\n"), encoding="utf-8")
    assert [str(p).replace(str(tmp_path) + "/", "") for p in api.validate([path], catalog)] == [
        "b.yaml:9:12: answers.PIL-05.value: expected a grid (row: {column: number} or na), got 12"]


def test_grid_numbers_need_evidence(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "a.yaml"
    text = HEAD.replace("    evidence: [{kind: system_data, title: 台账}]\n", "") + (
        "      death-benefits: na\n      duplicate-receipt: na\n"
        "      early-retirement: {leads: 1, checked: 1, confirmed: 0, recovered: 0}\n")
    path.write_text(text, encoding="utf-8")
    assert [str(p).replace(str(tmp_path) + "/", "") for p in api.validate([path], catalog)] == [
        "a.yaml:7:3: answers.PIL-05: item PIL-05 requires evidence for this answer: "
        "add at least one entry under evidence"]


def test_grid_score_is_the_mean_band_of_scored_rows(catalog: Catalog) -> None:
    grid = _grid(catalog)
    scoring = catalog[("pilot", "2.0.0")].scoring
    on = dt.date(2026, 1, 1)
    from ssdocs.models import Answer

    def scored(value: object) -> tuple[str, float | None, str]:
        result = score_item(grid, Answer.model_validate({"value": value}), scoring, on)
        return result.status, result.score, result.display

    rows = {"death-benefits": {"leads": 120, "checked": 118, "confirmed": 15, "recovered": 36.5},  # 98 % -> 1
            "duplicate-receipt": {"leads": 40, "checked": 34, "confirmed": 4, "recovered": 2},  # 85 % -> 0.5
            "early-retirement": {"leads": 0, "checked": 0, "confirmed": 0, "recovered": 0}}  # no leads: shown only
    assert scored(rows) == ("partial", 0.75, "2/3 rows scored")
    assert scored({**rows, "duplicate-receipt": "na"}) == ("met", 1.0, "1/3 rows scored")
    nothing = {"death-benefits": "na", "duplicate-receipt": "na", "early-retirement": rows["early-retirement"]}
    assert scored(nothing) == ("na", None, "nothing to check")


def test_context_items_are_never_scored(catalog: Catalog) -> None:
    checklist = catalog[("pilot", "2.0.0")]
    with_context = assessment_for(checklist, {"PIL-06": {"value": "no"}})
    result = score_checklist(checklist, with_context)
    context = next(i for s in result.sections for i in s.items if i.id == "PIL-06")
    assert (context.status, context.score, context.display) == ("context", None, "no")
    assert result.counts.context == 1 and result.sections[1].counts.context == 1
    answered = score_checklist(checklist, assessment_for(checklist, {"PIL-06": {"value": "yes"}}))
    assert answered.sections[1].score == result.sections[1].score  # yes or no: the same score
    unanswered = score_checklist(checklist, assessment_for(checklist, {}))
    assert next(i for s in unanswered.sections for i in s.items if i.id == "PIL-06").status == "context"


def test_the_red_line_cap_defaults_to_fail_and_is_reported(catalog: Catalog) -> None:
    checklist = catalog[("pilot", "2.0.0")]
    answers = {"PIL-01": {"value": "no"}, "PIL-02": {"value": 99, "evidence": [{"kind": "document", "title": "台账"}]},
               "PIL-04": {"value": 2, "evidence": [{"kind": "document", "title": "制度"}]},
               "PIL-05": {"value": {r.id: "na" for r in _grid(catalog).rows}}}
    result = score_checklist(checklist, assessment_for(checklist, answers))
    assert (result.score, result.uncapped_grade, result.grade) == (66.7, "pass", "fail")
    assert result.critical_cap == "fail" and result.critical_cap_label is not None
    assert result.critical_cap_label.zh == "不合格"
    out = CliRunner().invoke(cli, ["score", str(ANSWERS), "--checklists", str(V2 / "checklists"), "--lang", "en"])
    assert out.exit_code == 0, out.output
    assert "grade cap when a red line fails: Fail (every checklist)\noverall" in out.output
