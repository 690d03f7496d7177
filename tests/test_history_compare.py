"""Year-to-year comparison: same versions, crosswalked versions, red lines, re-scoring."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssdocs.history import compare_history, load_history, rescore_with_latest
from ssdocs.history.crosswalk import map_items
from ssdocs.loading import load_checklists
from ssdocs.loading.checklists import Catalog

FIXTURES = Path(__file__).parent / "fixtures"
HISTORY = FIXTURES / "history"


@pytest.fixture(scope="module")
def versions() -> Catalog:
    return load_checklists(HISTORY / "checklists")


@pytest.fixture(scope="module")
def mini() -> Catalog:
    return load_checklists(FIXTURES / "mini-checklist.yaml")


def test_same_version_deltas_are_plain_differences(mini: Catalog) -> None:
    first, second = compare_history(load_history(HISTORY / "demo", mini))
    assert (second.previous_year, second.year) == (2024, 2025)
    overall = second.overall
    assert (overall.previous, overall.current, overall.delta, overall.basis) == (100.0, 48.1, -51.9, "same")
    assert [(s.key, s.delta, s.basis) for s in second.sections] == [
        ("mini/MIN-A", -77.8, "same"), ("mini/MIN-B", 0.0, "same")]
    assert [(i.id, i.previous_status, i.status, i.delta) for i in second.worse] == [
        ("MIN-01", "met", "unmet", -100.0), ("MIN-02", "met", "partial", -33.3)]
    assert second.not_comparable == []
    assert second.red_lines_new == ["MIN-01"] and second.red_lines_fixed == []
    assert first.red_lines_new == [] and first.red_lines_fixed == ["MIN-01"]


def test_crosswalk_links_items(versions: Catalog) -> None:
    mapping = map_items(versions[("mini", "1.0.0")], versions[("mini", "1.1.0")])
    assert {i: (link.previous_id, link.comparable, link.reason.en if link.reason else None)
            for i, link in mapping.links.items()} == {
        "MIN-01": ("MIN-01", True, None),
        "MIN-20": ("MIN-02", True, "renamed from MIN-02 in 1.1.0"),
        "MIN-06": (None, False, "new in 1.1.0, not in 1.0.0"),
        "MIN-03": ("MIN-03", False, "MIN-03 rescaled in 1.1.0"),
        "MIN-41": ("MIN-04", False, "MIN-04 split into MIN-41, MIN-42 in 1.1.0"),
        "MIN-42": ("MIN-04", False, "MIN-04 split into MIN-41, MIN-42 in 1.1.0"),
        "MIN-05": ("MIN-05", True, None),
    }
    assert mapping.gone == {}
    assert mapping.links["MIN-41"].reason.zh == "1.1.0 版将 MIN-04 拆分为 MIN-41, MIN-42"  # type: ignore[union-attr]


def test_crosswalk_backwards_and_dropped(versions: Catalog) -> None:
    mapping = map_items(versions[("mini", "1.1.0")], versions[("mini", "1.0.0")])
    assert mapping.comparable_pairs() == {"MIN-01": "MIN-01", "MIN-02": "MIN-20", "MIN-05": "MIN-05"}
    assert not mapping.links["MIN-04"].comparable


def test_other_versions_compare_only_comparable_items(versions: Catalog) -> None:
    history = load_history(HISTORY / "crosswalk", versions)
    # Each year keeps the version it names: no silent re-rating of 2024.
    assert [(r.year, r.checklists[0].version, r.score) for r in history.results] == [
        (2024, "1.0.0", 86.7), (2025, "1.1.0", 44.5)]
    (change,) = compare_history(history)
    overall = change.overall
    # Both years on the 3 items they share (MIN-01, MIN-02=MIN-20, MIN-05), each by its own rules.
    assert (overall.previous, overall.current, overall.delta, overall.basis, overall.items) == (
        91.7, 92.6, 0.9, "comparable-items", 3)
    assert overall.reason is not None
    assert overall.reason.en == "checklist versions differ: compared on 3 comparable items only"
    assert [(s.key, s.previous, s.current, s.delta, s.items) for s in change.sections] == [
        ("mini/MIN-A", 100.0, 88.9, -11.1, 2), ("mini/MIN-B", 75.0, 100.0, 25.0, 1)]
    assert [(i.id, i.previous_id, i.delta) for i in change.worse] == [("MIN-20", "MIN-02", -33.3)]
    assert [(i.id, i.delta) for i in change.not_comparable] == [
        ("MIN-06", None), ("MIN-03", None), ("MIN-41", None), ("MIN-42", None)]
    assert change.versions == {"mini": ("1.0.0", "1.1.0")}


def test_rescore_with_latest_is_labelled(versions: Catalog) -> None:
    history = rescore_with_latest(load_history(HISTORY / "crosswalk", versions), versions)
    first, second = history.entries
    assert first.rescored and not second.rescored
    assert first.checklists[0].version == "1.1.0"
    assert first.result.score == 66.7  # MIN-03's 92 % is only "medium" under 1.1.0's bands
    assert first.rescore_notes == [
        "mini 1.0.0 -> 1.1.0",
        "MIN-03 rescaled -> MIN-03: answer carried over",
        "MIN-04 split -> MIN-41, MIN-42: answer carried over",
        "no answer in this year for: MIN-06",
    ]
    (change,) = compare_history(history)
    assert change.rescored and change.overall.basis == "same"
    assert (change.overall.previous, change.overall.current, change.overall.delta) == (66.7, 44.5, -22.2)


WAIVED = ('  MIN-01:\n    value: "no"\n    waiver: {justification: 系统改造中, approved_by: 局长, '
          'expires: 2025-12-31}\n')


def _waiver_history(tmp_path: Path, min03_2025: str = "{value: 95}") -> Path:
    """2024: MIN-01 waived (until 2025-12-31), MIN-02 N/A; 2025 (assessed 2026-03-01): the same
    waiver, now expired, and MIN-02 answered B (partial)."""
    folder = tmp_path / "demo"
    folder.mkdir()
    for year in (2024, 2025):
        text = (HISTORY / "demo" / f"{year}.yaml").read_text(encoding="utf-8")
        start = text.index("  MIN-01:")
        end = text.index("  MIN-02:")
        text = text[:start] + WAIVED + text[end:]
        if year == 2024:
            text = text.replace("MIN-02: {value: A}", "MIN-02: {na: 本地区未设此岗位}")
        else:
            text = text.replace("MIN-03: {value: 95}", f"MIN-03: {min03_2025}")
        (folder / f"{year}.yaml").write_text(text, encoding="utf-8")
    return folder


def test_an_expired_waiver_and_an_na_no_longer_claimed_count_as_worse(tmp_path: Path, mini: Catalog) -> None:
    (comparison,) = compare_history(load_history(_waiver_history(tmp_path), mini))
    assert [(i.id, i.previous_status, i.status, i.delta, i.waiver_expired) for i in comparison.worse] == [
        ("MIN-01", "waived", "unmet", None, True), ("MIN-02", "na", "partial", None, False)]
    assert comparison.better == []


def test_a_waived_item_now_met_is_not_worse(tmp_path: Path, mini: Catalog) -> None:
    folder = _waiver_history(tmp_path)
    for year in (2024, 2025):
        path = folder / f"{year}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("MIN-02: {value: B}", "MIN-02: {value: A}"),
                        encoding="utf-8")
    (comparison,) = compare_history(load_history(folder, mini))
    assert [i.id for i in comparison.worse] == ["MIN-01"]
    met = tmp_path / "met"
    met.mkdir()
    for year in (2024, 2025):
        text = (folder / f"{year}.yaml").read_text(encoding="utf-8")
        (met / f"{year}.yaml").write_text(text.replace('value: "no"\n    waiver', 'value: "yes"\n    evidence: '
                                          '[{kind: document, title: 办法}]\n    waiver'), encoding="utf-8")
    (comparison,) = compare_history(load_history(met, mini))
    assert comparison.worse == []


def test_trend_lists_the_expired_waiver(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ssdocs.cli import cli, commands  # noqa: F401

    folder = _waiver_history(tmp_path)
    checklists = ["--checklists", str(FIXTURES / "mini-checklist.yaml")]
    result = CliRunner().invoke(cli, ["trend", str(folder), *checklists, "--lang", "en"])
    assert result.exit_code == 0
    assert ("2024 → 2025 items that got worse:\n"
            "  MIN-01: waived → unmet (waiver expired) (— → 0.0)\n"
            "  MIN-02: na → partial (— → 66.7)\n") in result.output
    data = CliRunner().invoke(cli, ["trend", str(folder), *checklists, "--json", "-"]).output
    import json

    worse = json.loads(data)["jurisdictions"][0]["years"][1]["change"]["worse"]
    assert [(w["id"], w["previous_status"], w["status"], w["delta"]) for w in worse] == [
        ("MIN-01", "waived", "unmet", None), ("MIN-02", "na", "partial", None)]


def test_overall_change_is_compare_years_overall(versions: Catalog, mini: Catalog, tmp_path: Path) -> None:
    """The roll-up's shortcut gives exactly the overall change of the full comparison: same versions,
    other versions (the crosswalk), checklists added or dropped, and generated years whose answers
    differ (`benchmarks/synth.py`: 1.0.0 then 2.0.0 checklists)."""
    import sys

    from ssdocs.history.compare import compare_years, overall_change
    from ssdocs.history.loading import jurisdiction_folders

    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    import synth

    shipped = load_checklists()
    synth.write_tree(tmp_path / "tree", 6, seed=5)
    histories = [load_history(HISTORY / "demo", mini), load_history(HISTORY / "crosswalk", versions),
                 *(load_history(f, shipped) for f in jurisdiction_folders(Path(__file__).parent.parent / "examples"
                                                                          / "assessments")),
                 *(load_history(f, shipped) for f in jurisdiction_folders(tmp_path / "tree"))]
    pairs = [(a, b) for h in histories for a, b in zip(h.entries, h.entries[1:], strict=False)]
    bases = {compare_years(a, b).overall.basis for a, b in pairs}
    assert bases >= {"same", "comparable-items"}
    for a, b in pairs:
        assert overall_change(a, b) == compare_years(a, b).overall
