"""The shipped checklists: they load, their ids are unique, and each has the content the paper asks for."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, assessment_for, best_answers
from ssdocs.core.paths import checklists_dir
from ssdocs.lint import band_gaps
from ssdocs.loading.checklists import find_checklists, load_checklist, load_checklists
from ssdocs.models.checklist import DEFAULT_GRADES, Checklist, MatrixItem, NumberItem, ScaleItem
from ssdocs.scoring import score_checklist

FOLDER = REPO / "checklists"
FILES = find_checklists(FOLDER)
LATEST = [path for path in FILES if path.parent == FOLDER]  # checklists/<id>.yaml: the latest version
FROZEN = [path for path in FILES if path.parent != FOLDER]  # checklists/<version>/<id>.yaml: kept loadable
PREFIXES = {
    "three-definitions": "TD",
    "recovery": "REC",
    "credit-evaluation": "CRE",
    "supervision-system": "SUP",
    "information-platform": "INF",
    "institution-building": "INS",
    "fund-finance": "FIN",
    "risk-topics": "RSK",
}


def _ids(files: list[Path]) -> list[str]:
    return [path.stem for path in files]


@pytest.fixture(scope="module")
def checklists() -> dict[str, Checklist]:
    return {path.stem: load_checklist(path) for path in LATEST}


def test_the_shipped_folder_is_the_default() -> None:
    assert checklists_dir().resolve() == FOLDER.resolve()
    assert {"three-definitions", "recovery", "credit-evaluation"} <= set(_ids(LATEST))


def test_all_load_together_with_globally_unique_item_ids(checklists: dict[str, Checklist]) -> None:
    catalog = load_checklists()  # raises ValidationFailed if two checklists share an item id
    assert sorted(catalog) == sorted((load_checklist(p).id, load_checklist(p).version) for p in FILES)
    item_ids = [i for c in checklists.values() for i in c.item_ids()]  # versions of one checklist share ids
    assert len(item_ids) == len(set(item_ids))


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_file_name_id_version_and_schema_line(path: Path) -> None:
    checklist = load_checklist(path)
    assert checklist.id == path.stem
    first = path.read_text(encoding="utf-8").splitlines()[0]
    if path.parent == FOLDER:  # the latest version: 2.0.0 where a frozen 1.0.0 exists
        assert checklist.version == ("2.0.0" if (FOLDER / "1.0.0" / path.name).exists() else checklist.version)
        assert first == "# yaml-language-server: $schema=../schemas/checklist.schema.json"
    else:
        assert checklist.version == path.parent.name
        assert first == "# yaml-language-server: $schema=../../schemas/checklist.schema.json"


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_ids_follow_the_agreed_prefix(path: Path) -> None:
    checklist = load_checklist(path)
    prefix = PREFIXES[checklist.id]
    for section in checklist.sections:
        assert section.id.startswith(f"{prefix}-"), section.id
        for item in section.items:
            assert item.id.startswith(f"{prefix}-"), item.id


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_scoring_rules_are_the_agreed_ones(path: Path) -> None:
    checklist = load_checklist(path)
    scoring = checklist.scoring
    assert scoring.partial_credit == 0.5
    # 1.0.0 capped a failed red line at 合格; from 2.0.0 the default cap 不合格 applies
    assert scoring.critical_cap == ("pass" if checklist.version == "1.0.0" else "fail")
    assert scoring.grades == list(DEFAULT_GRADES)


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_each_item_is_complete(path: Path) -> None:
    checklist = load_checklist(path)
    # 2.0.0 checklists may have no red line, and then say so (three-definitions, risk-topics)
    assert any(item.critical for _, item in checklist.items()) or "没有红线项" in checklist.description.zh, \
        "no red line"
    assert 8 <= len(checklist.items()) <= (16 if checklist.version == "1.0.0" else 20)
    for _, item in checklist.items():
        assert item.tags, f"{item.id} has no tags"
        assert item.sources[0].section in {"摘要", "一", "二", "三"}
        assert item.question.zh.endswith("？"), f"{item.id}: the zh question should end with ？"
        assert item.question.en.endswith("?"), f"{item.id}: the en question should end with ?"
        if item.critical:
            assert item.evidence_required, f"{item.id} is a red line, so its credit must be documented"
        if isinstance(item, NumberItem):
            assert band_gaps(item) == [], item.id
        if isinstance(item, ScaleItem):
            assert len({level.description.zh for level in item.levels}) == len(item.levels)


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_description_explains_the_weights(path: Path) -> None:
    checklist = load_checklist(path)
    assert "权重" in checklist.description.zh
    assert "weigh" in checklist.description.en.casefold()
    weights = {item.weight for _, item in checklist.items()}
    assert len(weights) > 1, "weights should reflect importance, not all be equal"


def test_all_five_item_types_and_both_aggregations_are_used(checklists: dict[str, Checklist]) -> None:
    types = {item.type for c in checklists.values() for _, item in c.items()}
    assert {"yes_no", "scale", "number", "choice", "matrix"} <= types <= {"yes_no", "scale", "number", "choice",
                                                                          "matrix", "grid"}
    aggregations = {s.aggregation for c in checklists.values() for s in c.sections}
    assert aggregations == {"weighted_mean", "weakest_link"}


def test_the_red_lines_the_paper_implies(checklists: dict[str, Checklist]) -> None:
    critical = {c.id: sorted(i.id for _, i in c.items() if i.critical) for c in checklists.values()}
    assert critical["three-definitions"] == []  # 第一责任人 fixed by post: a named person is no red line
    assert critical["information-platform"] == ["INF-10"]  # shared accounts that can change benefit data
    assert critical["institution-building"] == ["INS-13"]  # a fund category nobody supervises
    assert critical["risk-topics"] == []  # diligence is scored, never the number of cases
    assert critical["recovery"] == ["REC-01"]  # no recovery measure at all
    assert critical["credit-evaluation"] == ["CRE-11"]  # a listing without its thresholds and procedure
    assert critical["supervision-system"] == ["SUP-07", "SUP-16"]  # no public reporting channel; concealed major cases
    assert critical["fund-finance"] == ["FIN-01", "FIN-07"]  # diversion; no separation of incompatible duties


@pytest.mark.parametrize(
    ("checklist_id", "items", "types"),
    [
        ("three-definitions", 13, {"matrix", "scale", "yes_no", "choice", "number"}),
        ("recovery", 13, {"yes_no", "scale", "choice", "number", "grid"}),
        ("credit-evaluation", 11, {"scale", "yes_no", "number", "matrix"}),
    ],
)
def test_content_of_the_first_three(checklists: dict[str, Checklist], checklist_id: str, items: int,
                                    types: set[str]) -> None:
    checklist = checklists[checklist_id]
    assert len(checklist.items()) == items
    assert {item.type for _, item in checklist.items()} == types
    assert any(s.aggregation == "weakest_link" for s in checklist.sections) or checklist.version != "1.0.0"
    for section in checklist.sections:
        if section.aggregation == "weakest_link":
            assert section.description is not None and "最弱环节" in section.description.zh


FIG5 = {
    "administrative": ("行政责任", ["social-security-admin"]),
    "supervisory": ("监督责任", ["fund-supervision", "financial-regulation", "audit", "people-congress",
                                 "trade-union"]),
    "management": ("管理责任", ["social-security-agency", "information-management", "tax",
                                "public-security", "finance"]),
    "service": ("服务主体责任", ["grassroots-service", "fund-operator"]),
}
FIG5_ROWS = {
    "social-security-admin": "各级社保行政部门", "fund-supervision": "基金监管部门",
    "financial-regulation": "金融监管部门", "audit": "审计部门", "people-congress": "人大",
    "trade-union": "工会", "social-security-agency": "各级社保经办部门",
    "information-management": "信息管理部门", "tax": "税务部门", "public-security": "公安部门",
    "finance": "财政部门", "grassroots-service": "基层社保服务部门", "fund-operator": "基金运营机构",
}


def test_the_fig5_matrix_matches_the_agreed_ids(checklists: dict[str, Checklist]) -> None:
    tagged = [(c.id, i) for c in checklists.values() for _, i in c.items() if "fig5-matrix" in i.tags]
    assert [(cid, item.id) for cid, item in tagged] == [("three-definitions", "TD-01")]
    item = tagged[0][1]
    assert isinstance(item, MatrixItem)
    assert [(g.id, g.label.zh) for g in item.groups] == [(k, v[0]) for k, v in FIG5.items()]
    assert {r.id: r.label.zh for r in item.rows} == FIG5_ROWS
    assert [r.id for r in item.rows] == list(FIG5_ROWS)
    assert {r.id: r.group for r in item.rows} == {row: g for g, (_, rows) in FIG5.items() for row in rows}
    assert [(c.id, c.label.zh) for c in item.columns] == [
        ("functions", "定职能（或实际监督方式）"), ("organisation", "定机构"), ("staffing", "定编制"),
    ]  # 2.0.0 review: the first responsible person is scored once, in TD-03, not again as a TD-01 column


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_best_answers_score_100_and_a_failed_red_line_caps_the_grade(path: Path) -> None:
    checklist = load_checklist(path)
    best = best_answers(checklist)
    result = score_checklist(checklist, assessment_for(checklist, best))
    assert (result.score, result.grade, result.critical_failures) == (100.0, "excellent", [])
    red = next((item for _, item in checklist.items() if item.critical), None)
    if red is None:
        return  # no red line (said in the description, see test_each_item_is_complete)
    if red.type not in ("yes_no",):
        pytest.skip(f"{red.id} is a {red.type} item; the cap is tested with yes/no red lines")
    failed = score_checklist(checklist, assessment_for(checklist, {**best, red.id: {"value": "no"}}))
    assert failed.critical_failures == [red.id]
    # Either the cap lowers the grade, or (red line in a weakest-link section) the score already has.
    assert failed.grade == checklist.scoring.critical_cap
    assert failed.score is not None and 60 <= failed.score < 100


def test_the_cap_lowers_recovery_without_a_recovery_measure() -> None:
    checklist = load_checklist(FOLDER / "recovery.yaml")
    answers = {**best_answers(checklist), "REC-01": {"value": "no"}}
    result = score_checklist(checklist, assessment_for(checklist, answers))
    # 2.0.0, REC-A: (0*3 + 1 + 2 + 1 + 1) / 8 = 62.5; overall (62.5*3 + 100*2 + 100*2 + 100*2) / 9 = 87.5
    assert (result.score, result.uncapped_grade, result.grade) == (87.5, "good", "fail")
    frozen = load_checklist(FOLDER / "1.0.0" / "recovery.yaml")
    answers = {**best_answers(frozen), "REC-01": {"value": "no"}}
    result = score_checklist(frozen, assessment_for(frozen, answers))
    # 1.0.0, REC-A: (0*3 + 1 + 2 + 1) / 7 = 57.1; overall (57.1*3 + 100*2 + 100*2 + 100*2) / 9 = 85.7
    assert (result.score, result.uncapped_grade, result.grade) == (85.7, "good", "pass")
