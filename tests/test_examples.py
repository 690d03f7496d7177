"""The shipped example assessments (examples/assessments): valid, complete, and telling their story.

The exact scores are pinned on purpose: a checklist change that shifts them must be noticed, and
examples/README.md (which quotes them) updated with the new figures.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import click.testing
import pytest
from click.testing import CliRunner

from conftest import REPO
from ssdocs.api import load_assessment, score
from ssdocs.cli import (
    cli,
    commands,  # noqa: F401  (registers every command)
)
from ssdocs.loading.assessments import checklists_of
from ssdocs.loading.checklists import Catalog, load_checklists
from ssdocs.models.checklist import MatrixItem
from ssdocs.models.results import AssessmentResult

EXAMPLES = REPO / "examples" / "assessments"
CITY = EXAMPLES / "example-city"
COUNTY = EXAMPLES / "example-county"
FILES = sorted(EXAMPLES.glob("*/*.yaml"))
SCHEMA_LINE = "# yaml-language-server: $schema=../../../schemas/assessment.schema.json\n"

# year -> (overall score, grade, red lines failed, expired waivers)
CITY_STORY = {
    2023: (57.2, "fail", [], []),
    2024: (69.1, "pass", ["SUP-07"], []),
    2025: (83.1, "good", [], ["CRE-06"]),
}
COUNTY_STORY = {  # 示例县, a county of 示例市: year -> (score, grade, grade without the red-line cap, red lines)
    2024: (57.6, "fail", "fail", []),
    2025: (75.3, "pass", "good", ["INF-10"]),
}
CITY_CHECKLISTS = {  # year -> checklist id -> score
    2023: {"three-definitions": 56.1, "recovery": 49.2, "credit-evaluation": 53.8,
           "supervision-system": 67.5, "information-platform": 59.8, "institution-building": 56.6},
    2024: {"three-definitions": 69.6, "recovery": 73.6, "credit-evaluation": 62.9,
           "supervision-system": 52.0, "information-platform": 81.5, "institution-building": 75.1},
    2025: {"three-definitions": 70.5, "recovery": 88.2, "credit-evaluation": 82.2,
           "supervision-system": 81.2, "information-platform": 89.1, "institution-building": 87.2},
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_checklists()


@pytest.fixture(scope="module")
def city(catalog: Catalog) -> dict[int, AssessmentResult]:
    return {year: score(CITY / f"{year}.yaml", catalog) for year in CITY_STORY}


def invoke(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _section(result: AssessmentResult, section_id: str) -> float | None:
    return next(s.score for c in result.checklists for s in c.sections if s.id == section_id)


def _status(result: AssessmentResult, item_id: str) -> str:
    return next(i.status for c in result.checklists for s in c.sections for i in s.items if i.id == item_id)


# ---------------------------------------------------------------- every example file

def test_the_city_has_three_consecutive_years() -> None:
    assert [p.name for p in sorted(CITY.glob("*.yaml"))] == ["2023.yaml", "2024.yaml", "2025.yaml"]


def test_all_examples_validate_against_the_shipped_checklists() -> None:
    result = invoke("validate", *map(str, FILES))
    assert (result.exit_code, result.output) == (0, f"{len(FILES)} files valid\n")


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_item_of_every_shipped_checklist_is_answered(path: Path, catalog: Catalog) -> None:
    assessment = load_assessment(path, catalog)
    shipped = {cid for cid, _ in catalog}
    assert {ref.id for ref in assessment.checklists} == shipped
    items = {item_id for c in checklists_of(assessment, catalog) for item_id in c.item_ids()}
    assert set(assessment.answers) == items
    result = score(path, catalog)
    assert (result.completeness, result.missing, result.counts.missing) == (100.0, [], 0)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_file_header_names_the_schema_and_the_year(path: Path, catalog: Catalog) -> None:
    assert path.read_text(encoding="utf-8").startswith(SCHEMA_LINE)
    assessment = load_assessment(path, catalog)
    assert path.stem == str(assessment.year)
    assert assessment.period is not None
    assert (assessment.period.start, assessment.period.end) == (dt.date(assessment.year, 1, 1),
                                                                dt.date(assessment.year, 12, 31))
    assert assessment.date.year == assessment.year + 1 and assessment.date.month <= 4
    assert len(assessment.assessors) >= 2 and all(a.organisation for a in assessment.assessors)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_matrices_are_answered_cell_by_cell(path: Path, catalog: Catalog) -> None:
    assessment = load_assessment(path, catalog)
    for checklist in checklists_of(assessment, catalog):
        for _, item in checklist.items():
            answer = assessment.answers[item.id]
            if not isinstance(item, MatrixItem) or answer.value is None:
                continue
            assert isinstance(answer.value, dict)
            cells = {(r, c) for r, row in answer.value.items() for c in row}
            assert cells == {(r.id, c.id) for r in item.rows for c in item.columns}, item.id


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_unmet_answers_carry_an_owner_and_a_due_date(path: Path, catalog: Catalog) -> None:
    """Every yes/no item answered partial or no feeds the action plan: it names who and by when."""
    assessment = load_assessment(path, catalog)
    for checklist in checklists_of(assessment, catalog):
        for _, item in checklist.items():
            answer = assessment.answers[item.id]
            if item.type == "yes_no" and answer.value in ("partial", "no") and answer.waiver is None:
                assert answer.owner and answer.due and answer.due > assessment.date, item.id


# ---------------------------------------------------------------- 示例市's story

@pytest.mark.parametrize("year", sorted(CITY_STORY))
def test_city_scores_per_year(year: int, city: dict[int, AssessmentResult]) -> None:
    result = city[year]
    assert (result.score, result.grade, result.critical_failures, result.expired_waivers) == CITY_STORY[year]
    assert {c.id: c.score for c in result.checklists} == CITY_CHECKLISTS[year]


def test_city_score_command_output() -> None:
    lines = invoke("score", str(CITY / "2024.yaml")).output.splitlines()
    assert lines[-2:] == ["总分 69.1  等级 合格  完整度 100.0%", "未守住的红线：SUP-07"]
    result = invoke("score", str(CITY / "2025.yaml"))
    assert result.exit_code == 0
    assert "总分 83.1  等级 良好  完整度 100.0%" in result.output.splitlines()


def test_2024_fails_the_reporting_red_line_and_2025_recovers_it(city: dict[int, AssessmentResult]) -> None:
    assert _status(city[2023], "SUP-07") == "met"
    assert _status(city[2024], "SUP-07") == "unmet"
    assert _status(city[2025], "SUP-07") == "met"
    supervision = {year: next(c for c in r.checklists if c.id == "supervision-system") for year, r in city.items()}
    assert supervision[2024].critical_failures == ["SUP-07"]
    assert (supervision[2024].grade, _section(city[2024], "SUP-C")) == ("fail", 0.0)
    assert supervision[2025].critical_failures == []


def test_the_credit_platform_waiver_is_valid_in_2024_and_expired_in_2025(city: dict[int, AssessmentResult]) -> None:
    assert _status(city[2024], "CRE-06") == "waived"
    assert city[2024].counts.waived == 1
    # Past its expiry date the waiver no longer removes the item: it is scored on its answer, and flagged.
    assert _status(city[2025], "CRE-06") == "partial"
    assert (city[2025].counts.waived, city[2025].expired_waivers) == (0, ["CRE-06"])
    result = invoke("score", "--json", str(CITY / "2025.yaml"))
    assert '"expired_waivers": [\n    "CRE-06"\n  ]' in result.output


def test_2025_improves_overall_while_supervision_staffing_regresses(city: dict[int, AssessmentResult]) -> None:
    overall = [city[y].score or 0.0 for y in sorted(city)]
    assert overall == sorted(overall) and overall[2] - overall[1] > 10
    # The institutional reform of 2025 shows as a regression of one section (TD-D, staff of supervision posts).
    assert [_section(city[y], "TD-D") for y in sorted(city)] == [55.0, 80.0, 40.0]
    # Recovery figures improve year on year.
    assert [_section(city[y], "REC-D") for y in sorted(city)] == [55.0, 67.5, 87.5]


def test_the_fig5_matrix_fills_in_over_the_years(catalog: Catalog) -> None:
    met = []
    for year in sorted(CITY_STORY):
        assessment = load_assessment(CITY / f"{year}.yaml", catalog)
        (item,) = [i for c in checklists_of(assessment, catalog) for _, i in c.items() if "fig5-matrix" in i.tags]
        value = assessment.answers[item.id].value
        assert isinstance(value, dict)
        assert set(value["fund-operator"].values()) == {"na"}  # no fund operator at city level
        met.append(sum(cell == "yes" for row in value.values() for cell in row.values()))
    assert met == [29, 36, 43]


def test_notes_are_markdown_with_links_and_real_looking_evidence(catalog: Catalog) -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(CITY.glob("*.yaml")))
    assert re.search(r"<https://[^>\s]+>", text) and "**" in text and "\n      - " in text
    numbers = set(re.findall(r"示[\u4e00-\u9fff]+〔20\d\d〕\d+号", text))
    assert {"示政办发〔2024〕7号", "示人社发〔2023〕15号", "示人社发〔2024〕15号"} <= numbers
    kinds = {e.kind for y in CITY_STORY for a in load_assessment(CITY / f"{y}.yaml", catalog).answers.values()
             for e in a.evidence}
    assert kinds == {"document", "system_data", "observation", "interview"}


def test_readme_quotes_the_scores() -> None:
    readme = (REPO / "examples" / "README.md").read_text(encoding="utf-8")
    for year, (overall, _, _, _) in CITY_STORY.items():
        assert f"| {year} | {overall:.1f} |" in readme
    for year, (overall, _, _, _) in COUNTY_STORY.items():
        assert f"| 示例县 {year} | {overall:.1f} |" in readme
        for checklist_score in CITY_CHECKLISTS[year].values():
            assert f"{checklist_score:.1f}" in readme


# ---------------------------------------------------------------- 示例县, and the tree of both

@pytest.mark.parametrize("year", sorted(COUNTY_STORY))
def test_county_scores_per_year(year: int, catalog: Catalog) -> None:
    result = score(COUNTY / f"{year}.yaml", catalog)
    assert (result.score, result.grade, result.uncapped_grade, result.critical_failures) == COUNTY_STORY[year]
    assert (result.jurisdiction, result.completeness) == ("example-county", 100.0)


def test_county_rows_that_do_not_exist_at_county_level_are_na(catalog: Catalog) -> None:
    for year in COUNTY_STORY:
        answers = load_assessment(COUNTY / f"{year}.yaml", catalog).answers
        td01, inf05 = answers["TD-01"].value, answers["INF-05"].value
        assert isinstance(td01, dict) and isinstance(inf05, dict)
        assert set(td01["financial-regulation"].values()) == set(td01["fund-operator"].values()) == {"na"}
        assert set(inf05["injury-vs-medical"].values()) == {"na"}  # no work-injury insurance office in the county
    assert load_assessment(COUNTY / "2024.yaml", catalog).answers["REC-08"].na is not None


def test_check_over_the_tree_gates_each_latest_year() -> None:
    result = invoke("check", str(EXAMPLES), "--config", str(REPO / "examples" / "ci" / "ssdocs.toml"))
    assert result.exit_code == 1
    assert result.output == (
        "PASS 示例市 2025: 83.1 良好 (+14.0 vs 2024)\n"
        "FAIL 示例县 2025: 75.3 合格 (+17.7 vs 2024)\n"
        "\n"
        "示例县 2025: red lines newly failed since 2024: INF-10, no new critical\n"
        "policy failed: 1 reason\n"
    )
