"""The shipped map of the paper (checklists/paper-map.yaml): complete, and consistent with the checklists."""

from __future__ import annotations

from conftest import REPO
from ssdocs.loading.checklists import find_checklists, load_checklist
from ssdocs.loading.registers import load_paper_map

FOLDER = REPO / "checklists"


def latest_item_ids() -> set[str]:
    """Item ids of the latest version of every shipped checklist (checklists/<id>.yaml)."""
    return {item.id for path in find_checklists(FOLDER) if path.parent == FOLDER
            for _, item in load_checklist(path).items()}


def test_every_recommendation_is_mapped_or_out_of_scope_with_a_reason() -> None:
    entries = load_paper_map(FOLDER / "paper-map.yaml").entries
    assert [e.id for e in entries if e.status in ("unmapped", "both")] == []
    out = [e for e in entries if e.status == "out-of-scope"]
    assert out and all(e.out_of_scope is not None and e.out_of_scope.zh and e.out_of_scope.en for e in out)
    # parts 二 and 三 carry the recommendations; the 摘要 adds one or two
    assert {e.section for e in entries} == {"摘要", "二", "三"}
    assert all(e.id.startswith({"摘要": "P0-", "二": "P2-", "三": "P3-"}[e.section]) for e in entries)


def test_the_map_names_only_items_of_the_latest_checklists_and_every_item_is_named() -> None:
    named = {i for e in load_paper_map(FOLDER / "paper-map.yaml").entries for i in e.items}
    items = latest_item_ids()
    assert sorted(named - items) == []  # no stale or misspelt id
    assert sorted(items - named) == []  # every item checks some recommendation of the paper


def test_the_fig5_and_three_determination_recommendations_map_to_the_matrix() -> None:
    entries = {e.id: e for e in load_paper_map(FOLDER / "paper-map.yaml").entries}
    assert "TD-01" in entries["P2-24"].items  # 以“三定方案”明确对基金监管的责任
    assert "TD-01" in entries["P2-68"].items  # 图 5 “第一责任人”矩阵
    assert entries["P2-21"].status == "out-of-scope"  # a national supervision body: not a city's decision
