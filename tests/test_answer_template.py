"""The answer-template YAML: valid as written (incomplete), fillable by program and by hand, scorable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from click.testing import CliRunner

from conftest import MINI_CHECKLIST
from ssdocs import api
from ssdocs.answer_template import render_answer_template, write_answer_template, yaml_scalar
from ssdocs.cli import (
    cli,
    commands,  # noqa: F401
)
from ssdocs.context.questionnaire import Header
from ssdocs.loading import load_checklist
from ssdocs.loading.checklists import Catalog
from ssdocs.loading.yamlio import parse_yaml

HEADER = Header(code="example-city", name_zh="示例市", name_en="Example City", level="city",
                year=2025, assessor="张三", date=dt.date(2025, 3, 1))


def _template(tmp_path: Path, header: Header = HEADER, lang: str = "both") -> Path:
    checklist = load_checklist(MINI_CHECKLIST)
    return write_answer_template([checklist], header, tmp_path / "2025.yaml", lang,  # type: ignore[arg-type]
                                 today=dt.date(2025, 11, 26))


def test_template_validates_as_written_and_scores_as_all_missing(tmp_path: Path,
                                                                 mini_catalog: Catalog) -> None:
    path = _template(tmp_path)
    assert api.validate([path], mini_catalog) == []
    result = api.score(path, mini_catalog)
    assert result.jurisdiction == "example-city"
    assert result.jurisdiction_name.zh == "示例市"
    assert result.year == 2025
    assert result.date == "2025-03-01"
    assert result.completeness == 0.0
    assert result.missing == ["MIN-01", "MIN-02", "MIN-03", "MIN-04", "MIN-05"]


def test_template_validates_on_the_command_line(tmp_path: Path) -> None:
    path = _template(tmp_path)
    result = CliRunner().invoke(cli, ["validate", str(path), "--checklists", str(MINI_CHECKLIST)])
    assert result.output == "1 file valid\n"
    assert result.exit_code == 0


def test_template_header_and_comments(tmp_path: Path) -> None:
    text = _template(tmp_path).read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=assessment.schema.json"
    assert "  code: example-city" in lines
    assert "  name: {zh: 示例市, en: Example City}" in lines
    assert "  - {id: mini, version: 1.0.0}" in lines
    # every item present with an empty value, its question in both languages, allowed values
    for ident in ("MIN-01", "MIN-02", "MIN-03", "MIN-04", "MIN-05"):
        assert f"  {ident}:" in lines
    assert text.count("\n    value:\n") == 5
    assert "    # 是否制定社保基金追缴办法？" in lines
    assert "    # Is there a recovery measure?" in lines
    assert "    # 可选 / allowed: yes 是 / Yes | partial 部分 / Partly | no 否 / No" in lines
    assert "    #   B  较好 / Good — 较好 / Good" in lines
    assert "    #   60 ≤ x < 90  中 / Medium  (0.5)" in lines
    assert "    #   manual  人工 / Manual" in lines
    assert "      # audit: {functions: , staffing: }  # 审计部门 / Audit" in lines
    assert "    # ⚠ 红线项 / red line (critical) · 须附证据 / evidence required" in lines


def test_template_without_header_uses_placeholders_and_still_validates(tmp_path: Path,
                                                                         mini_catalog: Catalog) -> None:
    path = _template(tmp_path, Header(), lang="zh")
    text = path.read_text(encoding="utf-8")
    assert "  code: change-me  # 请改为本地区代码" in text.splitlines()
    assert "Is there a recovery measure?" not in text
    assert api.validate([path], mini_catalog) == []


def test_filled_programmatically_round_trips_to_the_expected_score(tmp_path: Path,
                                                                    mini_catalog: Catalog) -> None:
    path = _template(tmp_path)
    data = parse_yaml(path.read_text(encoding="utf-8"), str(path)).data
    answers = data["answers"]
    answers["MIN-01"]["value"] = "partial"
    answers["MIN-01"]["evidence"] = [{"kind": "document", "title": "追缴办法（试行）"}]
    answers["MIN-02"]["value"] = "B"
    answers["MIN-03"]["value"] = 75
    answers["MIN-04"]["value"] = "manual"
    answers["MIN-05"]["value"] = {"audit": {"functions": "yes", "staffing": "no"},
                                  "tax": {"functions": "yes", "staffing": "na"}}
    answers["MIN-05"]["note"] = "税务部门未设编制。"
    filled = tmp_path / "filled.yaml"
    filled.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = api.score(filled, mini_catalog)
    assert result.score == 53.7
    assert result.grade == "fail"
    assert result.completeness == 100.0
    assert [i.status for i in result.items()] == ["partial"] * 5


def test_filled_by_hand_matrix_rows_uncommented(tmp_path: Path, mini_catalog: Catalog) -> None:
    text = _template(tmp_path).read_text(encoding="utf-8")
    text = text.replace("      # audit: {functions: , staffing: }",
                        "      audit: {functions: yes, staffing: yes}")
    text = text.replace("      # tax:   {functions: , staffing: }",
                        "      tax:   {functions: yes, staffing: no}")
    path = tmp_path / "hand.yaml"
    path.write_text(text, encoding="utf-8")
    result = api.score(path, mini_catalog)
    matrix = [i for i in result.items() if i.id == "MIN-05"][0]
    assert (matrix.status, matrix.display) == ("partial", "3/4")


def test_a_cell_left_empty_is_reported_with_its_line(tmp_path: Path, mini_catalog: Catalog) -> None:
    text = _template(tmp_path).read_text(encoding="utf-8")
    text = text.replace("      # audit: {functions: , staffing: }", "      audit: {functions: yes, staffing: }")
    path = tmp_path / "hand.yaml"
    path.write_text(text, encoding="utf-8")
    line = [i for i, row in enumerate(text.splitlines(), 1) if row.startswith("      audit: {")][0]
    problems = api.validate([path], mini_catalog)
    assert (line, "answers.MIN-05.value.audit.staffing") in [(p.line, p.path) for p in problems]


def test_yaml_scalar_quotes_what_yaml_would_misread() -> None:
    assert yaml_scalar("示例市") == "示例市"
    assert yaml_scalar("Example City") == "Example City"
    assert yaml_scalar("yes") == '"yes"'
    assert yaml_scalar("a: b") == '"a: b"'
    assert yaml_scalar("2025") == '"2025"'
    assert yaml_scalar("x\ny") == '"x\\ny"'
    assert yaml_scalar("(fill in)") == '"(fill in)"'


def test_render_lists_every_item_of_every_checklist() -> None:
    checklist = load_checklist(MINI_CHECKLIST)
    text = render_answer_template([checklist], HEADER, "en", today=dt.date(2025, 1, 1))
    assert [line.strip()[:-1] for line in text.splitlines() if line.startswith("  MIN-")] == checklist.item_ids()


def test_template_of_every_shipped_checklist_validates_and_scores_as_missing(tmp_path: Path) -> None:
    from ssdocs.context.questionnaire import select_checklists
    from ssdocs.loading.checklists import load_checklists

    catalog = load_checklists()
    checklists = select_checklists(catalog)
    path = write_answer_template(checklists, HEADER, tmp_path / "all.yaml", "both")
    assert api.validate([path], catalog) == []
    result = api.score(path, catalog)
    # context items (never scored) are not missing when unanswered
    ids = [item.id for checklist in checklists for _, item in checklist.items() if not item.context]
    assert result.missing == ids
    assert result.completeness == 0.0
