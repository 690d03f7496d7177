"""ssdocs trend: the terminal table, --json, --csv, --svg, errors, --rescore-with-latest."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import click.testing
from click.testing import CliRunner

from ssdocs.cli import (
    cli,
    commands,  # noqa: F401  (registers every command)
)

FIXTURES = Path(__file__).parent / "fixtures"
HISTORY = FIXTURES / "history"
MINI = ["--checklists", str(FIXTURES / "mini-checklist.yaml")]
VERSIONS = ["--checklists", str(HISTORY / "checklists")]


def invoke(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_table_shows_scores_deltas_and_changes() -> None:
    result = invoke("trend", str(HISTORY / "demo"), *MINI, "--lang", "en")
    assert result.exit_code == 0
    lines = [line.strip("│ ").split("│") for line in result.output.splitlines() if line.startswith("│")]
    cells = [[c.strip() for c in line] for line in lines]
    assert cells[0] == ["Overall", "15.7 Fail", "100.0 Excellent", "+84.3", "48.1 Fail", "-51.9"]
    assert cells[2] == ["Part A", "11.1 Fail", "100.0 Excellent", "+88.9", "22.2 Fail", "-77.8"]
    tail = result.output[result.output.index("└"):]
    assert "2023 → 2024 red lines fixed: MIN-01\n" in tail
    assert "2024 → 2025 items that got worse:\n  MIN-01: met → unmet (100.0 → 0.0, -100.0)\n" in tail
    assert "2024 → 2025 red lines newly failed: MIN-01\n" in tail


def test_table_in_chinese_with_crosswalk() -> None:
    result = invoke("trend", str(HISTORY / "crosswalk"), *VERSIONS)
    assert result.exit_code == 0
    out = result.output
    assert "│ 总分       │  86.7 良好 │ 44.5 不合格 │  +0.9* │" in out
    assert "* 仅比较两年共有的可比检查项（检查表版本不同）" in out
    assert "2024 → 2025 * 总分: 91.7 → 92.6 (+0.9) — 检查表版本不同：仅比较两年共有的 3 个可比检查项" in out
    assert "  MIN-41: 1.1.0 版将 MIN-04 拆分为 MIN-41, MIN-42\n" in out
    assert "  MIN-20 (← MIN-02): met → partial (100.0 → 66.7, -33.3)\n" in out


def test_json_to_stdout() -> None:
    result = invoke("trend", str(HISTORY / "crosswalk"), *VERSIONS, "--json", "-")
    assert result.exit_code == 0
    data = json.loads(result.output)  # nothing but the JSON on stdout
    assert data["format"] == "ssdocs-trend" and data["rescored"] is False
    (jurisdiction,) = data["jurisdictions"]
    assert jurisdiction["code"] == "versioned"
    first, second = jurisdiction["years"]
    assert first["change"] is None and first["checklist_versions"] == {"mini": "1.0.0"}
    change = second["change"]
    assert change["overall"] == {
        "key": "overall", "name": {"zh": "总分", "en": "Overall"}, "previous": 91.7, "current": 92.6,
        "delta": 0.9, "basis": "comparable-items", "previous_grade": "good", "grade": "fail",
        "comparable_items": 3,
        "reason": {"zh": "检查表版本不同：仅比较两年共有的 3 个可比检查项",
                   "en": "checklist versions differ: compared on 3 comparable items only"}}
    assert [i["id"] for i in change["not_comparable"]] == ["MIN-06", "MIN-03", "MIN-41", "MIN-42"]
    assert change["not_comparable"][1]["reason"]["en"] == "MIN-03 rescaled in 1.1.0"


def test_csv_and_svg_files(tmp_path: Path) -> None:
    out_csv, out_svg = tmp_path / "trend.csv", tmp_path / "trend.svg"
    result = invoke("trend", str(HISTORY / "demo"), *MINI, "--csv", str(out_csv), "--svg", str(out_svg))
    assert result.exit_code == 0 and "总分" in result.output
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8"))))
    assert len(rows) == 3 * 4  # 3 years x (overall, checklist, 2 sections)
    overall = [r for r in rows if r["level"] == "overall"]
    assert [(r["year"], r["score"], r["grade"], r["delta"], r["basis"]) for r in overall] == [
        ("2023", "15.7", "fail", "", ""), ("2024", "100.0", "excellent", "84.3", "same"),
        ("2025", "48.1", "fail", "-51.9", "same")]
    root = ET.fromstring(out_svg.read_text(encoding="utf-8"))
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"15.7", "100.0", "48.1", "总分", "迷你检查表"} <= set(texts)


def test_tree_of_jurisdictions(tmp_path: Path) -> None:
    for folder in ("demo", "crosswalk"):
        target = tmp_path / "assessments" / folder
        target.mkdir(parents=True)
        for file in (HISTORY / folder).glob("*.yaml"):
            (target / file.name).write_bytes(file.read_bytes())
    svg = tmp_path / "chart.svg"
    result = invoke("trend", str(tmp_path / "assessments"), *VERSIONS, "--lang", "en", "--svg", str(svg))
    assert result.exit_code == 0, result.output
    assert "Example City (demo)" in result.output and "Version City (versioned)" in result.output
    legend = ["".join(t.itertext()) for t in ET.fromstring(svg.read_text()).iter("{http://www.w3.org/2000/svg}text")]
    assert "Example City" in legend and "Version City" in legend


def test_rescored_is_labelled_everywhere(tmp_path: Path) -> None:
    out_json, out_csv, out_svg = tmp_path / "t.json", tmp_path / "t.csv", tmp_path / "t.svg"
    result = invoke("trend", str(HISTORY / "crosswalk"), *VERSIONS, "--rescore-with-latest", "--lang", "en",
                    "--json", str(out_json), "--csv", str(out_csv), "--svg", str(out_svg))
    assert result.exit_code == 0
    assert "Version City (versioned): RE-SCORED with the latest checklists\n" in result.output
    assert "2024 re-scored: MIN-04 split -> MIN-41, MIN-42: answer carried over" in result.output
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["rescored"] is True
    assert [y["rescored"] for y in data["jurisdictions"][0]["years"]] == [True, False]
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8"))))
    assert {r["rescored"] for r in rows if r["year"] == "2024"} == {"true"}
    assert "(re-scored with the latest checklists)" in out_svg.read_text(encoding="utf-8")


def test_invalid_year_exits_2_with_location(tmp_path: Path) -> None:
    text = (HISTORY / "demo" / "2024.yaml").read_text(encoding="utf-8").replace("{value: A}", "{value: Z}")
    (tmp_path / "2024.yaml").write_text(text, encoding="utf-8")
    result = invoke("trend", str(tmp_path), *MINI)
    assert result.exit_code == 2
    assert result.output == (f"{tmp_path / '2024.yaml'}:16:19: answers.MIN-02.value: expected one of D/C/B/A, "
                             "got 'Z'\nAborted with 1 error in 1 file\n")


def test_missing_folder_exits_2(tmp_path: Path) -> None:
    result = invoke("trend", str(tmp_path / "nowhere"), *MINI)
    assert (result.exit_code, result.output) == (2, f"{tmp_path / 'nowhere'}: file or folder not found\n"
                                                    "Aborted with 1 error in 1 file\n")


def test_unwritable_output_exits_2_without_partial_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = invoke("trend", str(HISTORY / "demo"), *MINI, "--json", str(blocker / "t.json"))
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: cannot write {blocker / 't.json'}: ")
