"""`ssdocs lint` on a 2.0-style checklist set: list sources, basis refs against the register, scale level
evidence, evidence on number and grid items, no weight on context items, a complete crosswalk, the paper map."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES
from ssdocs import lint as linting
from ssdocs.cli import cli, commands  # noqa: F401  (registers every command)

V2 = FIXTURES / "v2" / "checklists"
# A stand-in paper holding the fixture's quotes, in part 二.
PAPER = (
    "［摘 要］ 社会保障是治国安邦的大问题。\n一、地位\n社会保障是人民安全的金钟罩。\n"
    "二、安全规范\n制定社保基金追缴办法，建立有效的追缴手段，明确资金追回方式和流程，明确无法追回资金的"
    "责任归属与财务处理。将骗保、冒领等造成基金损失的行为计入征信记录。从法治层面统筹规范社保基金监管工作。"
    "负责统筹协调社会保障基金监管各主体的工作。\n三、建设\n增强安全性。\n"
)


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    path = tmp_path / "paper.txt"
    path.write_text(PAPER, encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return Path(shutil.copytree(V2, tmp_path / "checklists"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def messages(report: linting.LintReport, root: Path) -> list[str]:
    return [str(p).replace(str(root) + "/", "") for p in report.problems]


def test_the_fixture_set_is_clean_and_counted(folder: Path, paper: Path) -> None:
    report = linting.lint([folder], paper)
    assert messages(report, folder) == []
    assert (report.files, report.quotes) == (2, 9)  # 3 quotes in 1.0.0; 6 in 2.0.0 (PIL-01 has two)
    assert report.notes == [f"basis: 3 instruments in {folder / 'basis.yaml'}",
                            "paper map: 4 recommendations, 3 mapped to items, 1 out of scope, 0 unmapped"]


def test_every_rule_of_the_latest_version(folder: Path, paper: Path) -> None:
    new = folder / "pilot.yaml"
    edit(new, "- {section: 二, quote: 建立有效的追缴手段}", "- {section: 二, quote: 建立有效的追回手段}")
    edit(new, "{ref: fund-administrative-supervision}\n      - id: PIL-02",
         "{ref: fund-admin-supervision}\n      - id: PIL-02")
    edit(new, "        basis: paper-only\n        unit:", "        unit:")
    edit(new, "{zh: 无证据或仅有口头说明即为此级, en: No evidence or only verbal assurance means this level}",
         "{zh: 制度草稿, en: A draft of the rules}")
    edit(new, ", evidence: {zh: 印发的制度文本, en: The rules as issued}", "")
    edit(new, "        evidence_required: true\n        weight: 2\n", "        weight: 2\n")
    edit(new, "        context: true\n", "        context: true\n        weight: 3\n")
    edit(new, "  - {old: PIL-02, new: [PIL-02], change: kept, since: 2.0.0}\n", "")
    edit(new, "  - {old: PIL-03, change: dropped", "  - {old: PIL-09, change: dropped")
    report = linting.lint([folder], paper)
    assert messages(report, folder) == [
        "pilot.yaml:6:3: crosswalk: the crosswalk has no entry for 2 items of 1.0.0: PIL-02, PIL-03; say for each "
        "whether it is kept, renamed, split, merged, rescaled or dropped (since: 2.0.0)",
        "pilot.yaml:7:11: crosswalk[1].old: PIL-09 is not an item of 1.0.0",
        "pilot.yaml:21:33: sections[0].items[0].source[1].quote: quote not found in the paper: '建立有效的追回手段'",
        "pilot.yaml:24:19: sections[0].items[0].basis[1].ref: unknown basis ref 'fund-admin-supervision'; "
        "did you mean 'fund-administrative-supervision'? (expected an id of the register basis.yaml)",
        "pilot.yaml:25:9: sections[0].items[1]: item PIL-02 has no basis: cite the instruments it enforces "
        "(basis: [{ref: …, article: …}]) or say basis: paper-only",
        "pilot.yaml:46:123: sections[0].items[2].levels[0].evidence: the lowest level's evidence must say that "
        "no evidence (or only verbal assurance) means this level",
        "pilot.yaml:47:13: sections[0].items[2].levels[1]: level 1 has no evidence: state the minimum evidence "
        "to claim it (evidence: {zh, en})",
        "pilot.yaml:52:9: sections[1].items[0]: a grid item must require evidence: set evidence_required: true",
        "pilot.yaml:81:17: sections[1].items[1].weight: a context item is never scored: remove its weight",
    ]


def test_a_reused_id_and_a_kept_item_that_is_gone(folder: Path, paper: Path) -> None:
    new = folder / "pilot.yaml"
    edit(new, "change: kept, since: 2.0.0}\n  - {old: PIL-02", "change: dropped, since: 2.0.0}\n  - {old: PIL-02")
    edit(new, "{old: PIL-01, new: [PIL-01], change: dropped", "{old: PIL-01, change: dropped")
    edit(new, "      - id: PIL-02\n", "      - id: PIL-07\n")
    found = messages(linting.lint([folder], paper), folder)
    assert found == [
        "paper-map.yaml:3:57: entries[1].items[0]: PIL-02 is not an item of the latest checklist versions; "
        "did you mean 'PIL-07'?",
        "pilot.yaml:6:11: crosswalk[0].old: PIL-01 is dropped, yet 2.0.0 uses the id again: "
        "a new item takes a new id",
        "pilot.yaml:7:11: crosswalk[1].old: PIL-02 is kept but not an item of 2.0.0",
        "pilot.yaml:7:25: crosswalk[1].new[0]: PIL-02 is not an item of 2.0.0",
    ]


def test_the_paper_map_rules_and_counts(folder: Path, paper: Path) -> None:
    path = folder / "paper-map.yaml"
    path.write_text(
        "entries:\n"
        "  - {id: P2-01, section: 二, quote: 制定社保基金追缴办法, items: [PIL-01]}\n"
        "  - {id: P2-02, section: 二, quote: 明确资金追回的方式和流程, items: [PIL-21]}\n"
        "  - {id: P2-03, section: 三, quote: 将骗保、冒领等造成基金损失的行为计入征信记录}\n"
        "  - {id: P2-04, section: 二, quote: 从法治层面统筹规范社保基金监管工作, items: [PIL-06],"
        " out_of_scope: {zh: 全国目标, en: a national goal}}\n",
        encoding="utf-8")
    report = linting.lint([folder], paper)
    assert messages(report, folder) == [
        "paper-map.yaml:3:36: entries[1].quote: quote not found in the paper: '明确资金追回的方式和流程'",
        "paper-map.yaml:3:58: entries[1].items[0]: PIL-21 is not an item of the latest checklist versions; "
        "did you mean 'PIL-02'?",
        "paper-map.yaml:4:5: entries[2]: P2-03 is unmapped: give the items that check it, "
        "or out_of_scope with the reason",
        "paper-map.yaml:4:26: entries[2].section: the quote is in part 二 of the paper, not 三; set section: 二",
        "paper-map.yaml:5:5: entries[3]: P2-04 has both items and out_of_scope: give one of them",
    ]
    assert report.notes[-1] == "paper map: 4 recommendations, 2 mapped to items, 0 out of scope, 1 unmapped"


def test_without_registers_those_checks_are_skipped_with_a_line(folder: Path, paper: Path) -> None:
    (folder / "basis.yaml").unlink()
    (folder / "paper-map.yaml").unlink()
    edit(folder / "pilot.yaml", "{ref: fund-financial-rules}", "{ref: anything-goes}")
    result = CliRunner().invoke(cli, ["lint", str(folder), "--paper", str(paper)])
    assert (result.exit_code, result.output) == (0, (
        f"2 checklist files, 9 quotes checked against {paper}: no problems\n"
        "basis not checked: no basis.yaml beside the checklists\n"
        "paper map not checked: no paper-map.yaml beside the checklists\n"))


def test_the_cli_prints_the_counts_even_when_it_fails(folder: Path, paper: Path) -> None:
    edit(folder / "paper-map.yaml", "section: 二\n    quote: 负责", "section: 三\n    quote: 负责")
    result = CliRunner().invoke(cli, ["lint", str(folder), "--paper", str(paper)])
    assert result.exit_code == 2
    assert result.stdout == (f"basis: 3 instruments in {folder / 'basis.yaml'}\n"
                             "paper map: 4 recommendations, 3 mapped to items, 1 out of scope, 0 unmapped\n")
    assert "entries[3].section: the quote is in part 二 of the paper, not 三; set section: 二" in result.stderr


def test_grid_bands_are_checked_for_gaps_on_the_ratio(folder: Path, paper: Path) -> None:
    edit(folder / "pilot.yaml", "{min: 80, max: 95, score: 0.5", "{min: 85, max: 95, score: 0.5")
    edit(folder / "pilot.yaml", "{min: 95, score: 1, label", "{min: 95, max: 100, score: 1, label")
    assert messages(linting.lint([folder], paper), folder) == [
        "pilot.yaml:78:11: sections[1].items[0].bands: values from 80 to 85 fall in no band",
        "pilot.yaml:78:11: sections[1].items[0].bands: values from 100 up fall in no band (they would score 0 "
        "silently)",
    ]
