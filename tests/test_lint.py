"""`ssdocs lint`: every quote verbatim in the paper (whitespace ignored), plus quality checks."""

from __future__ import annotations

from pathlib import Path

import click.testing
import pytest
from click.testing import CliRunner

from conftest import REPO
from ssdocs import lint as linting
from ssdocs.cli import (
    cli,
    commands,  # noqa: F401  (registers every command)
)
from ssdocs.loading.checklists import find_checklists, load_checklist

REAL_PAPER = REPO.parent / "shared" / "paper" / "social-security-safety-standards.zh.txt"
needs_paper = pytest.mark.skipif(
    not REAL_PAPER.is_file(),
    reason=f"the paper's text is not at {REAL_PAPER} (it is not part of this repository)",
)

# A stand-in paper: parts 摘要 / 一 / 二 / 三, a line break and an ideographic space (U+3000) inside
# sentences, as in text extracted from a PDF.
PAPER = (
    "［摘 要］ 社会保障是治国安邦的大问题。\n"
    " 一、社会保障的地位\n社会保障是人民安全的金钟罩。\n"
    "二、安全规范\n制定社保基金追缴办法，建立有效的追\n\n缴手段，明确资金\u3000追回方式和流程。\n"
    "三、建设\n增强安全性、健全社保基金安全监管体系。\n"
)

GUIDE_ZH = "证据：追缴办法正式文本（文号、生效日期）；有正式文件且覆盖全部基金为是，只覆盖部分基金为部分，没有为否。"
GUIDE_EN = ("Evidence: the official text of the recovery measure (number, date in force); yes when it "
            "covers every fund, partial when only some, no when there is none.")


def checklist_yaml(quote: str = "建立有效的追缴手段", section: str = "二", guidance_zh: str = GUIDE_ZH,
                   second_question: str = "追回流程是否写明？") -> str:
    return f"""\
id: sample
version: 1.0.0
title: {{zh: 样例, en: Sample}}
description: {{zh: 测试用。, en: For tests.}}
sections:
  - id: S-A
    title: {{zh: 甲, en: A}}
    items:
      - id: S-01
        type: yes_no
        question: {{zh: 是否建立有效的追缴手段？, en: "Are there effective means of recovery?"}}
        guidance: {{zh: "{guidance_zh}", en: "{GUIDE_EN}"}}
        recommendation: {{zh: 建立追缴手段。, en: Establish means of recovery.}}
        tags: [recovery]
        source:
          section: {section}
          quote: {quote}
        evidence_required: true
      - id: S-02
        type: yes_no
        question: {{zh: {second_question}, en: "Is the recovery process written down?"}}
        guidance: {{zh: "{GUIDE_ZH}", en: "{GUIDE_EN}"}}
        recommendation: {{zh: 写明追回流程。, en: Write the process down.}}
        tags: [recovery]
        source: {{section: 二, quote: 明确资金追回方式和流程}}
        evidence_required: true
"""


@pytest.fixture()
def paper(tmp_path: Path) -> Path:
    path = tmp_path / "paper.txt"
    path.write_text(PAPER, encoding="utf-8")
    return path


def write(tmp_path: Path, text: str, name: str = "sample.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def invoke(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# --- against the real paper -------------------------------------------------------------------


@needs_paper
def test_every_shipped_quote_is_in_the_paper() -> None:
    report = linting.lint(None, REAL_PAPER)
    assert [str(p) for p in report.problems] == []
    files = find_checklists(REPO / "checklists")
    assert report.files == len(files)
    assert report.quotes == sum(len(item.sources) for f in files for _, item in load_checklist(f).items())


@needs_paper
def test_cli_on_the_shipped_checklists() -> None:
    folder = REPO / "checklists"
    files = find_checklists(folder)
    quotes = sum(len(item.sources) for f in files for _, item in load_checklist(f).items())
    result = invoke("lint", str(folder), "--paper", str(REAL_PAPER))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        f"{len(files)} checklist files, {quotes} quotes checked against {REAL_PAPER}: no problems\n"
        f"basis: ")
    assert "unmapped" in result.output.splitlines()[-1]


@needs_paper
def test_the_paper_splits_into_its_four_parts() -> None:
    paper = linting.load_paper(REAL_PAPER)
    assert list(paper.parts) == ["摘要", "一", "二", "三"]
    assert paper.part_of("制定社保基金追缴办法") == "二"
    assert paper.part_of("增强规范性") == "三"


# --- quotes ----------------------------------------------------------------------------------


def test_a_fabricated_quote_is_reported_with_its_location(tmp_path: Path, paper: Path) -> None:
    path = write(tmp_path, checklist_yaml(quote="建立强有力的追缴手段"))
    result = invoke("lint", str(path), "--paper", str(paper))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"{path}:17:18: sections[0].items[0].source.quote: quote not found in the paper: '建立强有力的追缴手段'\n"
        "Aborted with 1 error in 1 file\n"
    )


def test_line_breaks_and_ideographic_spaces_are_ignored(tmp_path: Path, paper: Path) -> None:
    # 建立有效的追|缴手段 crosses a blank line; 明确资金　追回方式和流程 has a U+3000 in the paper.
    path = write(tmp_path, checklist_yaml())
    report = linting.lint([path], paper)
    assert (report.problems, report.files, report.quotes) == ([], 1, 2)


def test_a_quote_with_spaces_matches_the_paper_without(tmp_path: Path, paper: Path) -> None:
    path = write(tmp_path, checklist_yaml(quote="'建立有效的 追缴手段'"))
    assert linting.lint([path], paper).problems == []


def test_punctuation_is_not_ignored(tmp_path: Path, paper: Path) -> None:
    # The paper has a full-width comma; an ASCII comma is not verbatim.
    path = write(tmp_path, checklist_yaml(quote="'制定社保基金追缴办法,建立'"))
    (problem,) = linting.lint([path], paper).problems
    assert problem.message == "quote not found in the paper: '制定社保基金追缴办法,建立'"


def test_a_quote_from_another_part_is_reported(tmp_path: Path, paper: Path) -> None:
    path = write(tmp_path, checklist_yaml(section="三"))
    (problem,) = linting.lint([path], paper).problems
    assert (problem.line, problem.column, problem.path, problem.message) == (
        16, 20, "sections[0].items[0].source.section",
        "the quote is in part 二 of the paper, not 三; set section: 二")


def test_a_quote_in_two_parts_may_name_either(tmp_path: Path) -> None:
    twice = write(tmp_path, "一、甲\n建立有效的追缴手段。\n二、乙\n建立有效的追缴手段。\n三、丙\n", "twice.txt")
    for section in ("一", "二"):
        path = write(tmp_path, checklist_yaml(section=section).replace("quote: 明确资金追回方式和流程",
                                                                       "quote: 建立有效的追缴手段。"))
        assert linting.lint([path], twice).problems == []


def test_a_paper_without_part_headings_checks_quotes_only(tmp_path: Path) -> None:
    plain = write(tmp_path, "建立有效的追缴手段，明确资金追回方式和流程。", "plain.txt")
    path = write(tmp_path, checklist_yaml(section="三"))
    assert linting.lint([path], plain).problems == []


# --- quality checks --------------------------------------------------------------------------


def test_short_guidance_is_reported(tmp_path: Path, paper: Path) -> None:
    path = write(tmp_path, checklist_yaml(guidance_zh="查看文件。"))
    (problem,) = linting.lint([path], paper).problems
    assert str(problem) == (
        f"{path}:12:24: sections[0].items[0].guidance.zh: guidance is 5 characters, expected at least 40 "
        "saying which evidence answers the item and how each answer is recognised")


def test_a_duplicate_question_is_reported(tmp_path: Path, paper: Path) -> None:
    # Whitespace does not make a question different.
    path = write(tmp_path, checklist_yaml(second_question="是否建立有效的 追缴手段？"))
    (problem,) = linting.lint([path], paper).problems
    assert str(problem) == (f"{path}:21:24: sections[0].items[1].question.zh: the same question as item "
                            f"S-01 ({path}); merge them or ask differently")


def test_a_question_asked_in_another_checklist_is_reported(tmp_path: Path, paper: Path) -> None:
    first = write(tmp_path, checklist_yaml(), "a.yaml")
    copy = checklist_yaml().replace("id: sample", "id: other").replace("S-", "T-")
    second = write(tmp_path, copy, "b.yaml")
    problems = linting.lint([first, second], paper).problems
    assert [(p.file, p.path, p.message) for p in problems] == [
        (str(second), f"sections[0].items[{i}].question.{lang}",
         f"the same question as item S-0{i + 1} ({first}); merge them or ask differently")
        for i in (0, 1) for lang in ("zh", "en")
    ]


def test_a_slogan_is_reported(tmp_path: Path, paper: Path) -> None:
    path = write(tmp_path, checklist_yaml(second_question="是否高度重视基金追缴工作？"))
    (problem,) = linting.lint([path], paper).problems
    assert problem.message == "the question is a slogan, expected something an auditor can check with evidence"


def test_band_gaps() -> None:
    from ssdocs.models.checklist import NumberItem

    def item(bands: list[dict[str, object]], **extra: object) -> NumberItem:
        return NumberItem.model_validate({
            "id": "X-01", "type": "number", "question": {"zh": "？", "en": "?"},
            "guidance": {"zh": "g", "en": "g"}, "recommendation": {"zh": "r", "en": "r"},
            "source": {"section": "二", "quote": "制定社保基金追缴办法"}, "unit": {"zh": "%", "en": "%"},
            "bands": [{**b, "label": {"zh": "l", "en": "l"}} for b in bands], **extra})

    assert linting.band_gaps(item([{"min": 50, "score": 1}, {"max": 50, "score": 0}])) == []
    assert linting.band_gaps(item([{"min": 60, "score": 1}, {"max": 50, "score": 0}])) == [
        "values from 50 to 60 fall in no band"]
    assert linting.band_gaps(item([{"min": 10, "score": 1}], minimum=0)) == [
        "values below 10 fall in no band (they would score 0 silently)"]
    assert linting.band_gaps(item([{"max": 100, "score": 1}], maximum=100)) == [
        "values from 100 up fall in no band (they would score 0 silently)"]


def test_an_invalid_checklist_reports_its_validation_problems(tmp_path: Path, paper: Path) -> None:
    path = write(tmp_path, checklist_yaml().replace("type: yes_no", "type: yesno", 1))
    result = invoke("lint", str(path), "--paper", str(paper))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Aborted with 1 error in 1 file"
    assert result.stderr.splitlines()[0] == (
        f"{path}:9:9: sections[0].items[0]: expected type one of 'yes_no', 'scale', 'number', 'choice', "
        "'matrix', 'grid', got a mapping")


# --- finding the paper -----------------------------------------------------------------------


def test_an_explicit_missing_paper_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    result = invoke("lint", "--paper", str(missing))
    assert (result.exit_code, result.stderr) == (
        2, f"Error: {missing}: paper not found (expected the paper's UTF-8 text file)\n")


def test_a_missing_paper_named_by_the_environment_is_an_error(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "nope.txt"
    monkeypatch.setenv("SSDOCS_PAPER", str(missing))
    result = invoke("lint")
    assert (result.exit_code, result.stderr) == (
        2, f"Error: {missing}: paper not found (expected the paper's UTF-8 text file)\n")


def test_no_paper_anywhere_skips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSDOCS_PAPER", raising=False)
    monkeypatch.setattr(linting, "_REPOSITORY", tmp_path / "repo")
    result = invoke("lint")
    assert (result.exit_code, result.output) == (
        0, "lint skipped: paper not found (pass --paper PATH or set SSDOCS_PAPER)\n")


def test_the_environment_names_the_paper(tmp_path: Path, paper: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSDOCS_PAPER", str(paper))
    path = write(tmp_path, checklist_yaml())
    result = invoke("lint", str(path))
    assert (result.exit_code, result.output) == (
        0, f"1 checklist file, 2 quotes checked against {paper}: no problems\n"
           "basis not checked: no basis.yaml beside the checklists\n"
           "paper map not checked: no paper-map.yaml beside the checklists\n")



def test_an_assessment_is_not_linted_as_a_checklist(tmp_path: Path, paper: Path) -> None:
    path = write(tmp_path, "jurisdiction: {code: t}\nanswers: {}\n", "2024.yaml")
    (problem,) = linting.lint([path], paper).problems
    assert str(problem) == f"{path}:1:1: this is an assessment, expected a checklist (lint checks checklists only)"
