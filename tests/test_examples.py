"""The shipped example assessments (examples/assessments): valid, complete, and telling their story.

The exact scores are pinned on purpose: a checklist change that shifts them must be noticed, and
examples/README.md (which quotes them) updated with the new figures.
"""

from __future__ import annotations

import datetime as dt
import json
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

# The years before 2025 answer checklists 1.0.0 (six checklists); 2025 answers 2.0.0 (eight).
VERSION = {2023: "1.0.0", 2024: "1.0.0", 2025: "2.0.0"}
# year -> (overall score, grade, red lines failed, expired waivers)
CITY_STORY = {
    2023: (57.2, "fail", [], []),
    2024: (69.1, "pass", ["SUP-07"], []),
    2025: (80.5, "good", [], []),
}
COUNTY_STORY = {  # 示例县, a county of 示例市: year -> (score, grade, grade without the red-line cap, red lines)
    2024: (57.6, "fail", "fail", []),
    2025: (71.5, "fail", "pass", ["INF-10"]),
}
CITY_CHECKLISTS = {  # year -> checklist id -> score
    2023: {"three-definitions": 56.1, "recovery": 49.2, "credit-evaluation": 53.8,
           "supervision-system": 67.5, "information-platform": 59.8, "institution-building": 56.6},
    2024: {"three-definitions": 69.6, "recovery": 73.6, "credit-evaluation": 62.9,
           "supervision-system": 52.0, "information-platform": 81.5, "institution-building": 75.1},
    2025: {"three-definitions": 82.0, "recovery": 83.2, "credit-evaluation": 76.3, "supervision-system": 78.4,
           "fund-finance": 78.8, "information-platform": 83.7, "institution-building": 86.4, "risk-topics": 75.6},
}
COUNTY_CHECKLISTS = {
    2024: {"three-definitions": 48.9, "recovery": 65.0, "credit-evaluation": 56.6,
           "supervision-system": 57.2, "information-platform": 65.0, "institution-building": 53.2},
    2025: {"three-definitions": 63.8, "recovery": 82.2, "credit-evaluation": 85.0, "supervision-system": 78.3,
           "fund-finance": 77.1, "information-platform": 58.8, "institution-building": 67.7, "risk-topics": 58.7},
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
    """2023 and 2024 answer every item of the six 1.0.0 checklists, 2025 every item of the eight 2.0.0 ones."""
    assessment = load_assessment(path, catalog)
    version = VERSION[assessment.year]
    shipped = {cid for cid, v in catalog if v == version}
    assert len(shipped) == {"1.0.0": 6, "2.0.0": 8}[version]
    assert {(ref.id, ref.version) for ref in assessment.checklists} == {(cid, version) for cid in shipped}
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
    assert {c.version for c in result.checklists} == {VERSION[year]}


def test_city_score_command_output() -> None:
    lines = invoke("score", str(CITY / "2024.yaml")).output.splitlines()
    assert lines[-3:] == ["红线未通过时等级上限：合格（各检查表）", "总分 69.1  等级 合格  完整度 100.0%",
                          "未守住的红线：SUP-07"]
    result = invoke("score", str(CITY / "2025.yaml"))
    assert result.exit_code == 0
    assert result.output.splitlines()[-2:] == ["红线未通过时等级上限：不合格（各检查表）",
                                               "总分 80.5  等级 良好  完整度 100.0%"]


def test_2024_fails_the_reporting_red_line_and_2025_recovers_it(city: dict[int, AssessmentResult]) -> None:
    assert _status(city[2023], "SUP-07") == "met"
    assert _status(city[2024], "SUP-07") == "unmet"
    assert _status(city[2025], "SUP-07") == "met"
    supervision = {year: next(c for c in r.checklists if c.id == "supervision-system") for year, r in city.items()}
    assert supervision[2024].critical_failures == ["SUP-07"]
    assert (supervision[2024].grade, _section(city[2024], "SUP-C")) == ("fail", 0.0)
    assert (supervision[2025].critical_failures, _section(city[2025], "SUP-C")) == ([], 83.8)


def test_the_credit_platform_waiver_is_valid_in_2024_and_not_renewed_in_2025(
        catalog: Catalog, city: dict[int, AssessmentResult]) -> None:
    waiver = load_assessment(CITY / "2024.yaml", catalog).answers["CRE-06"].waiver
    assert waiver is not None and waiver.expires == dt.date(2025, 12, 31)
    assert _status(city[2024], "CRE-06") == "waived"
    assert city[2024].counts.waived == 1
    # The waiver ran out on 2025-12-31 and was not renewed: 2025 scores the item on its answer.
    answer = load_assessment(CITY / "2025.yaml", catalog).answers["CRE-06"]
    assert answer.waiver is None and answer.note is not None and "未续批" in answer.note
    assert _status(city[2025], "CRE-06") == "partial"
    assert (city[2025].counts.waived, city[2025].expired_waivers) == (0, [])


def test_2025_improves_overall_while_supervision_staffing_regresses(city: dict[int, AssessmentResult]) -> None:
    overall = [city[y].score or 0.0 for y in sorted(city)]
    assert overall == sorted(overall) and overall[2] - overall[1] > 10
    # The institutional reform of April 2025 shows as a regression of one section (TD-D, staff of supervision
    # posts), while the first-responsible-person mechanism (TD-B) is complete at last.
    assert [_section(city[y], "TD-D") for y in sorted(city)] == [55.0, 80.0, 45.0]
    assert [_section(city[y], "TD-B") for y in sorted(city)] == [50.0, 50.0, 100.0]
    # Recovery figures improve year on year.
    assert [_section(city[y], "REC-D") for y in sorted(city)] == [55.0, 67.5, 73.3]


def test_the_fig5_matrix_fills_in_over_the_years(catalog: Catalog) -> None:
    """Fig. 5: 13 bodies × 4 columns in 1.0.0, × 3 in 2.0.0 (the first responsible person moved to TD-03).

    Compared on the three columns both versions share, the cells still missing ("no") shrink every year.
    """
    missing, shape = [], []
    for year in sorted(CITY_STORY):
        assessment = load_assessment(CITY / f"{year}.yaml", catalog)
        (item,) = [i for c in checklists_of(assessment, catalog) for _, i in c.items() if "fig5-matrix" in i.tags]
        assert isinstance(item, MatrixItem) and item.id == "TD-01"
        shape.append((len(item.rows), len(item.columns)))
        value = assessment.answers[item.id].value
        assert isinstance(value, dict)
        assert set(value["fund-operator"].values()) == {"na"}  # no fund operator at city level
        missing.append(sum(row[col] == "no" for row in value.values()
                           for col in ("functions", "organisation", "staffing")))
    assert shape == [(13, 4), (13, 4), (13, 3)]
    assert missing == [7, 4, 1]


def test_2025_does_not_name_a_first_responsible_person_where_none_exists(catalog: Catalog) -> None:
    """A people's congress supervises through reports and inspections, not a three-determination plan."""
    for path in (CITY / "2025.yaml", COUNTY / "2025.yaml"):
        td01 = load_assessment(path, catalog).answers["TD-01"].value
        assert isinstance(td01, dict)
        assert set(td01["people-congress"].values()) == {"na"}, path


def test_notes_are_markdown_with_links_and_real_looking_evidence(catalog: Catalog) -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(CITY.glob("*.yaml")))
    assert re.search(r"<https://[^>\s]+>", text) and "**" in text and "\n      - " in text
    numbers = set(re.findall(r"示[\u4e00-\u9fff]+〔20\d\d〕\d+号", text))
    assert {"示政办发〔2024〕7号", "示人社发〔2023〕15号", "示人社发〔2024〕15号", "示办发〔2025〕12号"} <= numbers
    kinds = {e.kind for y in CITY_STORY for a in load_assessment(CITY / f"{y}.yaml", catalog).answers.values()
             for e in a.evidence}
    assert kinds == {"document", "system_data", "observation", "interview"}


def test_readme_quotes_the_scores() -> None:
    """examples/README.md's score tables: one row per year, columns in the shipped order, '—' before 2.0.0."""
    readme = (REPO / "examples" / "README.md").read_text(encoding="utf-8")
    order = ["three-definitions", "recovery", "credit-evaluation", "supervision-system", "fund-finance",
             "information-platform", "institution-building", "risk-topics"]
    rows = {("示例市", year): (CITY_STORY[year][0], CITY_CHECKLISTS[year], f"| {year} |") for year in CITY_STORY}
    rows |= {("示例县", year): (COUNTY_STORY[year][0], COUNTY_CHECKLISTS[year], f"| 示例县 {year} |")
             for year in COUNTY_STORY}
    for key, (overall, checklists, start) in rows.items():
        (line,) = [line for line in readme.splitlines() if line.startswith(start)]
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert cells[1] == f"{overall:.1f}", key
        assert cells[3:11] == [f"{checklists[c]:.1f}" if c in checklists else "—" for c in order], key


# ---------------------------------------------------------------- the version change 1.0.0 -> 2.0.0

def test_trend_across_the_version_change_compares_comparable_items_only() -> None:
    """2024 (1.0.0) -> 2025 (2.0.0): deltas on comparable items only, marked, and the left-out items listed."""
    result = invoke("trend", str(CITY))
    assert result.exit_code == 0
    lines = [line.rstrip() for line in result.output.splitlines()]
    assert "* 仅比较两年共有的可比检查项（检查表版本不同）" in lines
    assert "2024 → 2025 * 总分: 71.3 → 82.9 (+11.6) — 检查表版本不同：仅比较两年共有的 34 个可比检查项" in lines
    assert "2024 → 2025 * 社保基金追缴办法: 75.9 → 85.2 (+9.3) — 版本 1.0.0 → 2.0.0：仅比较 8 个可比检查项" in lines
    left_out = lines[lines.index("2024 → 2025 不可比的检查项："):]
    for line in ("  TD-04: 2.0.0 版删除了 TD-04", "  TD-14: 2.0.0 版新增，1.0.0 版无此项",
                 "  CRE-11: 2.0.0 版将 CRE-03 拆分为 CRE-11, CRE-12", "  SUP-07: 2.0.0 版调整了 SUP-07 的计分尺度",
                 "  FIN-01: 2024 年未评估此检查表", "  RSK-08: 2024 年未评估此检查表"):
        assert line in left_out
    # 2023 -> 2024 share version 1.0.0: compared on every item, unmarked.
    assert "2023 → 2024 新增未达标红线：SUP-07" in lines and "2024 → 2025 已纠正的红线：SUP-07" in lines


def test_trend_json_marks_the_basis_and_gives_reasons_in_both_languages(tmp_path: Path) -> None:
    out = tmp_path / "trend.json"
    assert invoke("trend", str(CITY), "--json", str(out)).exit_code == 0
    (city,) = json.loads(out.read_text(encoding="utf-8"))["jurisdictions"]
    same, changed = city["years"][1]["change"], city["years"][2]["change"]
    assert {k: same["overall"][k] for k in ("previous", "current", "delta", "basis", "comparable_items")} == {
        "previous": 57.2, "current": 69.1, "delta": 11.9, "basis": "same", "comparable_items": 71}
    assert {k: changed["overall"][k] for k in ("previous", "current", "delta", "basis", "comparable_items")} == {
        "previous": 71.3, "current": 82.9, "delta": 11.6, "basis": "comparable-items", "comparable_items": 34}
    # The published scores (69.1, 80.5) are not what the delta compares: each year on the shared items only.
    assert (city["years"][1]["score"], city["years"][2]["score"]) == (69.1, 80.5)
    checklists = {c["key"]: c for c in changed["checklists"]}
    assert {k: (c["basis"], c["delta"]) for k, c in checklists.items()} == {
        "three-definitions": ("comparable-items", -1.2), "recovery": ("comparable-items", 9.3),
        "credit-evaluation": ("comparable-items", 41.6), "supervision-system": ("comparable-items", 11.9),
        "fund-finance": ("none", None), "information-platform": ("comparable-items", 9.7),
        "institution-building": ("comparable-items", -1.3), "risk-topics": ("none", None)}
    left_out = {x["id"]: x for x in changed["not_comparable"]}
    assert len(left_out) == 87 and all(not x["comparable"] and x["delta"] is None for x in left_out.values())
    assert left_out["TD-04"]["reason"] == {"zh": "2.0.0 版删除了 TD-04", "en": "TD-04 dropped in 2.0.0"}
    assert (left_out["CRE-14"]["previous_id"], left_out["CRE-14"]["reason"]["en"]) == (
        "CRE-04", "CRE-04 rescaled in 2.0.0")
    assert left_out["FIN-01"]["reason"]["en"] == "not assessed in 2024"
    assert [(x["id"], x["delta"]) for x in changed["worse"]] == [("TD-12", -50.0)]


# ---------------------------------------------------------------- 示例县, and the tree of both

@pytest.mark.parametrize("year", sorted(COUNTY_STORY))
def test_county_scores_per_year(year: int, catalog: Catalog) -> None:
    result = score(COUNTY / f"{year}.yaml", catalog)
    assert (result.score, result.grade, result.uncapped_grade, result.critical_failures) == COUNTY_STORY[year]
    assert (result.jurisdiction, result.completeness) == ("example-county", 100.0)
    assert {c.id: c.score for c in result.checklists} == COUNTY_CHECKLISTS[year]


def test_county_red_line_caps_at_fail_under_2_0_0(catalog: Catalog) -> None:
    """A failed red line caps the grade at 不合格 by default in 2.0.0 (1.0.0 capped at 合格)."""
    result = score(COUNTY / "2025.yaml", catalog)
    platform = next(c for c in result.checklists if c.id == "information-platform")
    assert (platform.critical_failures, platform.grade, _section(result, "INF-C")) == (["INF-10"], "fail", 0.0)
    assert _status(result, "INF-10") == "unmet"
    assert (result.grade, result.uncapped_grade) == ("fail", "pass")
    assert (result.counts.waived, _status(result, "FIN-08")) == (1, "waived")


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
        "PASS 示例市 2025: 80.5 良好 (+11.6* vs 2024)\n"
        "FAIL 示例县 2025: 71.5 不合格 (+25.7* vs 2024)\n"
        "\n"
        "示例县 2025: red lines newly failed since 2024: INF-10, no new critical\n"
        "示例县 2025: red lines N/A: SUP-16; a red line cannot be N/A unless the policy sets allow-red-line-na = true\n"
        "policy failed: 2 reasons\n"
    )
