"""Trees of jurisdictions: trend and check one jurisdiction at a time, in one process or several."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import click.testing
import pytest
from click.testing import CliRunner

from ssdocs.cli import (
    cli,
    commands,  # noqa: F401  (registers every command)
)
from ssdocs.history import load_histories, trend
from ssdocs.history.export import trend_csv, trend_json
from ssdocs.history.gate import check
from ssdocs.loading.checklists import load_checklists
from ssdocs.outputs.json_report import check_json, check_json_text
from ssdocs.outputs.junit import _suite, junit_xml
from ssdocs.policy import Policy

FIXTURES = Path(__file__).parent / "fixtures"
DEMO = FIXTURES / "history" / "demo"
MINI = FIXTURES / "mini-checklist.yaml"
ANSWERS = ["MIN-02: {value: A}", "MIN-02: {value: B}", "MIN-02: {value: C}"]


def invoke(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seven jurisdictions of the demo's three years, in two provinces, with varied answers."""
    root = tmp_path_factory.mktemp("tree")
    for i in range(7):
        folder = root / f"province-{i % 2}" / f"county-{i}"
        folder.mkdir(parents=True)
        for source in sorted(DEMO.glob("*.yaml")):
            text = source.read_text(encoding="utf-8").replace("code: demo", f"code: county-{i}")
            text = text.replace("{zh: 示例市, en: Example City}", f"{{zh: 第{i}县, en: County {i}}}")
            if source.name == "2025.yaml":
                text = text.replace("MIN-02: {value: A}", ANSWERS[i % 3])
            (folder / source.name).write_text(text, encoding="utf-8")
    return root


def run_both(*args: str) -> tuple[click.testing.Result, click.testing.Result]:
    return invoke(*args, "-j", "1"), invoke(*args, "-j", "2")


def test_trend_is_the_same_in_one_process_and_two(tree: Path, tmp_path: Path) -> None:
    outs = {}
    for jobs in ("1", "2"):
        folder = tmp_path / jobs
        folder.mkdir()
        result = invoke("trend", str(tree), "--checklists", str(MINI), "--lang", "en", "-j", jobs,
                        "--svg", str(folder / "t.svg"), "--csv", str(folder / "t.csv"),
                        "--json", str(folder / "t.json"))
        assert result.exit_code == 0
        outs[jobs] = [result.output, *((folder / n).read_bytes() for n in ("t.svg", "t.csv", "t.json"))]
    assert outs["1"] == outs["2"]
    table = outs["1"][0]
    assert [line.split(" (")[0] for line in table.splitlines() if line.startswith("County")] == [
        f"County {i}" for i in range(7)]
    data = json.loads(outs["1"][3])
    assert [j["code"] for j in data["jurisdictions"]] == [f"county-{i}" for i in range(7)]


def test_outputs_to_stdout_are_the_same_with_workers(tree: Path) -> None:
    for args in (["trend", "--json", "-"], ["trend", "--csv", "-"], ["check", "--all-years", "--json", "-"],
                 ["check", "--all-years", "--markdown", "-", "--max-drop", "1"]):
        one, two = run_both(args[0], str(tree), *args[1:], "--checklists", str(MINI))
        assert one.exit_code == two.exit_code == (1 if "--max-drop" in args else 0)
        assert one.output == two.output
        assert len(one.output) > 1000


def test_trend_outputs_match_the_library(tree: Path, tmp_path: Path) -> None:
    """The streamed JSON and CSV are byte for byte what the whole Trend gives."""
    catalog = load_checklists([MINI])
    whole = trend(tree, catalog)
    result = invoke("trend", str(tree), "--checklists", str(MINI), "-j", "2",
                    "--json", str(tmp_path / "t.json"), "--csv", str(tmp_path / "t.csv"))
    assert result.exit_code == 0
    assert (tmp_path / "t.json").read_text(encoding="utf-8") == \
        json.dumps(trend_json(whole), ensure_ascii=False, indent=2) + "\n"
    assert (tmp_path / "t.csv").read_bytes().decode("utf-8") == trend_csv(whole)


@pytest.mark.parametrize("policy", [[], ["--max-drop", "5", "--no-new-critical"]])
def test_check_is_the_same_in_one_process_and_two(tree: Path, tmp_path: Path, policy: list[str]) -> None:
    outs = {}
    for jobs in ("1", "2"):
        folder = tmp_path / jobs
        folder.mkdir()
        result = invoke("check", str(tree), "--checklists", str(MINI), "--all-years", *policy, "-j", jobs,
                        "--junit", str(folder / "c.xml"), "--json", str(folder / "c.json"),
                        "--markdown", str(folder / "c.md"))
        outs[jobs] = [result.exit_code, result.output,
                      *((folder / n).read_bytes() for n in ("c.xml", "c.json", "c.md"))]
    assert outs["1"] == outs["2"]
    assert outs["1"][0] == (1 if policy else 0)
    lines = outs["1"][1].splitlines()
    assert lines[0] == ("FAIL" if policy else "PASS") + " 第0县 2023: 15.7 不合格"
    assert len([line for line in lines if line.startswith(("PASS", "FAIL"))]) == 21


def test_check_outputs_match_the_library(tree: Path, tmp_path: Path) -> None:
    catalog = load_checklists([MINI])
    policy = Policy(max_drop=5.0)
    report = check([tree, DEMO / "2024.yaml"], catalog, policy)
    result = invoke("check", str(tree), str(DEMO / "2024.yaml"), "--checklists", str(MINI), "--max-drop", "5",
                    "-j", "2", "--junit", str(tmp_path / "c.xml"), "--json", str(tmp_path / "c.json"))
    assert result.exit_code == 1
    assert (tmp_path / "c.json").read_text(encoding="utf-8") == check_json_text(report)
    assert (tmp_path / "c.xml").read_bytes() == junit_xml(report)
    assert len(report.years) == 8


def test_assembled_outputs_equal_the_whole_documents(tree: Path) -> None:
    """The JSON and JUnit assembled from per-year text are what serialising everything at once gives."""
    catalog = load_checklists([MINI])
    report = check([tree], catalog, Policy(max_drop=5, no_new_critical=True), all_years=True)
    assert check_json_text(report) == json.dumps(check_json(report), ensure_ascii=False, indent=2) + "\n"
    root = ET.Element("testsuites", {"name": "ssdocs check"})
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for year in report.years:
        suite = _suite(year, report.policy.rules())
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", "0")
    ET.indent(root)
    assert junit_xml(report) == ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def test_an_invalid_file_in_a_tree_stops_everything_with_its_location(tree: Path, tmp_path: Path) -> None:
    broken = tmp_path / "tree"
    shutil.copytree(tree, broken)
    bad = broken / "province-1" / "county-3" / "2025.yaml"  # a latest year: the one trend and check need
    bad.write_text(bad.read_text(encoding="utf-8").replace("MIN-02: {value: B}", "MIN-02: {value: Z}"),
                   encoding="utf-8")
    for command in (["trend", str(broken)], ["check", str(broken)]):
        one, two = (CliRunner().invoke(cli, [*command, "--checklists", str(MINI), "-j", jobs,
                                             "--json", str(tmp_path / f"out-{jobs}.json")])
                    for jobs in ("1", "2"))
        assert one.exit_code == two.exit_code == 2
        assert one.output == two.output
        assert one.output == (f"{bad}:13:19: answers.MIN-02.value: expected one of D/C/B/A, got 'Z'\n"
                              "Aborted with 1 error in 1 file\n")
        assert not (tmp_path / "out-1.json").exists()
        assert not (tmp_path / "out-2.json").exists()


def test_a_jurisdiction_in_two_folders_is_reported_with_workers(tree: Path, tmp_path: Path) -> None:
    twice = tmp_path / "tree"
    shutil.copytree(tree, twice)
    shutil.copytree(twice / "province-0" / "county-0", twice / "province-1" / "county-0-copy")
    one, two = run_both("check", str(twice), "--checklists", str(MINI))
    assert one.exit_code == two.exit_code == 2
    assert one.output == two.output
    assert (f"{twice / 'province-1' / 'county-0-copy' / '2023.yaml'}: jurisdiction.code: jurisdiction "
            f"'county-0' is also assessed in {twice / 'province-0' / 'county-0'}; keep one folder per "
            "jurisdiction") in one.output
    with pytest.raises(Exception) as info:
        load_histories(twice, load_checklists([MINI]))
    assert "is also assessed in" in str(info.value.problems)  # type: ignore[attr-defined]


def test_a_library_caller_s_collector_is_left_alone() -> None:
    # No process policy unless the program opted in (the CLI and its workers call tune_gc).
    import gc

    from ssdocs.core.process import quiet_gc

    before = gc.get_threshold()
    with quiet_gc((20_000, 20, 50)):
        assert gc.get_threshold() == before
        assert gc.get_freeze_count() == 0


def test_the_collector_is_tuned_only_inside_quiet_gc(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from ssdocs.core import process

    quiet_gc = process.quiet_gc
    monkeypatch.setitem(process._TUNED, "process", True)  # as after tune_gc()
    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    with quiet_gc((20_000, 20, 50)):
        assert gc.get_threshold() == (20_000, 20, 50)
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_the_collector_leaves_an_earlier_freeze_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from ssdocs.core import process

    quiet_gc = process.quiet_gc
    monkeypatch.setitem(process._TUNED, "process", True)  # as after tune_gc()

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with quiet_gc():
            pass
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
