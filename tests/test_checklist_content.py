"""Content of supervision-system, information-platform and institution-building: what the paper asks for."""

from __future__ import annotations

import pytest

from conftest import REPO, assessment_for, best_answers
from ssdocs.context.questionnaire import FUND_CATEGORIES
from ssdocs.loading.checklists import find_checklists, load_checklist
from ssdocs.models.checklist import Checklist, MatrixItem, NumberItem, Scoring
from ssdocs.scoring import score_checklist
from ssdocs.scoring.items import value_score

FOLDER = REPO / "checklists"
OURS = ("supervision-system", "information-platform", "institution-building")


@pytest.fixture(scope="module")
def lists() -> dict[str, Checklist]:
    return {name: load_checklist(FOLDER / f"{name}.yaml") for name in OURS}


def item(checklist: Checklist, ident: str):  # type: ignore[no-untyped-def]
    return next(i for _, i in checklist.items() if i.id == ident)


@pytest.mark.parametrize(
    ("name", "count", "types", "weakest", "critical"),
    [
        ("supervision-system", 19, {"scale", "matrix", "yes_no", "choice", "number"}, [], ["SUP-07", "SUP-16"]),
        ("information-platform", 19, {"yes_no", "matrix", "number", "scale"}, ["INF-C"], ["INF-10"]),
        ("institution-building", 18, {"matrix", "choice", "scale", "yes_no", "number"}, [], ["INS-13"]),
    ],
)
def test_shape_red_lines_and_weakest_link_sections(lists: dict[str, Checklist], name: str, count: int,
                                                   types: set[str], weakest: list[str],
                                                   critical: list[str]) -> None:
    checklist = lists[name]
    assert len(checklist.items()) == count
    assert {i.type for _, i in checklist.items()} == types
    assert [s.id for s in checklist.sections if s.aggregation == "weakest_link"] == weakest
    for section in checklist.sections:
        if section.aggregation == "weakest_link":
            assert section.description is not None
            assert "最弱环节" in section.description.zh and "weakest" in section.description.en
    assert sorted(i.id for _, i in checklist.items() if i.critical) == critical
    red = item(checklist, critical[0])
    assert (red.type, red.weight, red.evidence_required) == ("yes_no", 3.0, True)
    assert "red-line" in red.tags


def test_no_question_is_asked_twice_across_all_shipped_checklists() -> None:
    questions: dict[str, str] = {}
    for path in find_checklists(FOLDER):
        if path.parent != FOLDER:  # a frozen earlier version repeats the questions its successor kept
            continue
        for _, it in load_checklist(path).items():
            for text in (it.question.zh, it.question.en):
                assert text not in questions, f"{it.id} repeats the question of {questions.get(text)}"
                questions[text] = it.id


def test_the_fig3_fund_building_matrix(lists: dict[str, Checklist]) -> None:
    tagged = [(c.id, i) for c in lists.values() for _, i in c.items() if "fig3-fund-building" in i.tags]
    assert [(cid, it.id) for cid, it in tagged] == [("institution-building", "INS-12")]
    matrix = tagged[0][1]
    assert isinstance(matrix, MatrixItem)
    assert [r.label.zh for r in matrix.rows] == [
        "全国社会保障基金", "社会保险基金", "社会救助基金", "社会福利基金", "残疾人就业保障金",
        "社会捐赠基金", "住房保障基金",
    ]
    # The same ids and names as the questionnaire's Fig. 3 scope table.
    assert [(r.id, r.label.zh) for r in matrix.rows] == [(i, label.zh) for i, label, _ in FUND_CATEGORIES]
    assert [(c.id, c.label.zh) for c in matrix.columns] == [
        ("under-supervision", "纳入监管"), ("rules", "有监管制度"), ("data-connected", "有数据接入"),
        ("inspected", "近三年检查过"),
    ]


@pytest.mark.parametrize(
    ("name", "ident", "rows"),
    [
        ("supervision-system", "SUP-02", ["人防", "制防", "技防", "群防"]),
        ("supervision-system", "SUP-04", ["人口流", "业务流", "资金流", "信息流", "数据流", "政策流"]),
        # 2.0.0: 要情报送 and 监督约谈 are scored by SUP-16 and SUP-17, not again in SUP-06.
        ("supervision-system", "SUP-06", ["问责追责", "警示教育"]),
        ("supervision-system", "SUP-12", ["人力资源社会保障部门", "监察部门", "财政部门", "审计部门", "税务部门"]),
        ("information-platform", "INF-02", ["自主查询案件查处数据", "复核疑点数据得到核查结果",
                                            "结合当地实际设定条件筛查疑点数据"]),
        ("information-platform", "INF-09", ["生物学信息（身份识别）", "社会学信息（分类管理）",
                                            "政治学信息（隐私保护）：敏感个人信息"]),
        ("institution-building", "INS-01", ["基金使用", "监督检查", "法律责任", "监管主体和责任",
                                            "不同层级相关部门职能职责", "监管队伍建设", "监管与追责流程"]),
        ("institution-building", "INS-04", ["主动发现机制", "收入动态监测机制", "精准识别机制"]),
        ("institution-building", "INS-09", ["可持续性", "可及性", "安全性", "便捷性", "规范性"]),
    ],
)
def test_matrices_carry_the_papers_lists(lists: dict[str, Checklist], name: str, ident: str,
                                         rows: list[str]) -> None:
    matrix = item(lists[name], ident)
    assert isinstance(matrix, MatrixItem)
    assert [r.label.zh for r in matrix.rows] == rows


def test_supervision_body_membership_is_departments_and_stakeholders_sit_on_the_statutory_committee(
        lists: dict[str, Checklist]) -> None:
    # 2.0.0: SUP-12 checks the government departments of the local analogue of the paper's national body;
    # trade unions, employers, insured persons and experts sit on the committee of SIL art. 80 (SUP-19).
    matrix = item(lists["supervision-system"], "SUP-12")
    assert isinstance(matrix, MatrixItem)
    assert [r.id for r in matrix.rows] == ["social-security-admin", "supervisory-commission", "finance", "audit",
                                           "tax"]
    assert all(r.group is None for r in matrix.rows)
    committee = item(lists["supervision-system"], "SUP-19")
    assert [(b.ref, b.article) for b in committee.basis] == [("social-insurance-law", "第八十条")]


SCORING = Scoring()


@pytest.mark.parametrize(
    ("name", "ident", "value", "score"),
    [
        # INF-07, working days to close a lead: one payment cycle is ~22 working days.
        ("information-platform", "INF-07", 0, 1.0),
        ("information-platform", "INF-07", 9.5, 1.0),
        ("information-platform", "INF-07", 10, 0.6),
        ("information-platform", "INF-07", 21.9, 0.6),
        ("information-platform", "INF-07", 22, 0.3),
        ("information-platform", "INF-07", 65.9, 0.3),
        ("information-platform", "INF-07", 66, 0.0),
        ("information-platform", "INF-07", 400, 0.0),
        # INF-08, share of base records passing the four core checks.
        ("information-platform", "INF-08", 100, 1.0),
        ("information-platform", "INF-08", 99.5, 1.0),
        ("information-platform", "INF-08", 99.49, 0.7),
        ("information-platform", "INF-08", 99, 0.7),
        ("information-platform", "INF-08", 98.99, 0.4),
        ("information-platform", "INF-08", 97, 0.4),
        ("information-platform", "INF-08", 96.99, 0.0),
        # INF-03, share of conclusions recorded in the system; SUP-08, share of reports closed on time.
        ("information-platform", "INF-03", 95, 1.0),
        ("information-platform", "INF-03", 94.9, 0.7),
        ("information-platform", "INF-03", 60, 0.3),
        ("information-platform", "INF-03", 59.9, 0.0),
        ("supervision-system", "SUP-08", 95, 1.0),
        ("supervision-system", "SUP-08", 80, 0.7),
        ("supervision-system", "SUP-08", 50, 0.3),
        ("supervision-system", "SUP-08", 49.9, 0.0),
    ],
)
def test_number_bands(lists: dict[str, Checklist], name: str, ident: str, value: float, score: float) -> None:
    number = item(lists[name], ident)
    assert isinstance(number, NumberItem)
    assert value_score(number, value, SCORING)[0] == score


def test_no_reporting_channel_is_a_failed_red_line_that_caps_the_grade(lists: dict[str, Checklist]) -> None:
    checklist = lists["supervision-system"]
    answers = {**best_answers(checklist), "SUP-07": {"value": "no"}}
    result = score_checklist(checklist, assessment_for(checklist, answers))
    chain = next(s for s in result.sections if s.id == "SUP-C")
    # 2.0.0: SUP-C is a weighted mean (SUP-06 1, SUP-07 3, SUP-08 1, SUP-16 2, SUP-17 1): 5 / 8
    assert chain.score == 62.5
    # sections A 2, B 2, F 2.5, D 2, E 1.5 at 100 and C (weight 3) at 62.5: 1187.5 / 13; the cap is 不合格
    assert (result.score, result.uncapped_grade, result.grade) == (91.3, "excellent", "fail")
    assert result.critical_failures == ["SUP-07"]


def test_a_partial_reporting_channel_is_weak_but_not_a_red_line_failure(lists: dict[str, Checklist]) -> None:
    checklist = lists["supervision-system"]
    answers = {**best_answers(checklist), "SUP-07": {"value": "partial", "evidence": [{"kind": "document",
                                                                              "title": "举报电话公告"}]}}
    result = score_checklist(checklist, assessment_for(checklist, answers))
    assert next(s for s in result.sections if s.id == "SUP-C").score == 81.2  # 6.5 / 8
    assert (result.score, result.grade, result.critical_failures) == (95.7, "excellent", [])


def test_one_unsupervised_fund_category_fails_the_fund_building(lists: dict[str, Checklist]) -> None:
    checklist = lists["institution-building"]
    matrix = item(checklist, "INS-12")
    assert isinstance(matrix, MatrixItem)
    cells = {r.id: {c.id: "yes" for c in matrix.columns} for r in matrix.rows}
    cells["national-social-security-fund"] = {c.id: "na" for c in matrix.columns}
    cells["social-donation-fund"] = {c.id: "no" for c in matrix.columns}
    evidence = [{"kind": "document", "title": "清单"}]
    answers = {**best_answers(checklist), "INS-12": {"value": cells, "evidence": evidence},
               "INS-13": {"value": "no"}}
    result = score_checklist(checklist, assessment_for(checklist, answers))
    building = next(s for s in result.sections if s.id == "INS-E")
    assert [(i.id, i.display) for i in building.items] == [("INS-12", "20/24"), ("INS-13", "no")]
    assert building.score == 0.0
    # 2.0.0: INS-E (weight 2.5 of 11.5) at 0, the rest at 100: 900 / 11.5; the default cap 不合格 applies
    assert (result.score, result.uncapped_grade, result.grade) == (78.3, "good", "fail")
    assert result.critical_failures == ["INS-13"]
