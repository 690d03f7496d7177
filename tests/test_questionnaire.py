"""`ssdocs questionnaire`: the printable PDF, the standalone HTML, file names, languages, errors."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner, Result

from conftest import MINI_CHECKLIST, REPO
from ssdocs.cli import (
    cli,
    commands,  # noqa: F401
)
from ssdocs.context.questionnaire import Header, fund_coverage, select_checklists
from ssdocs.errors import SsdocsError
from ssdocs.loading import load_checklist
from ssdocs.loading.checklists import Catalog, load_checklists
from ssdocs.pipeline.questionnaire import questionnaire

MINI = ["--checklists", str(MINI_CHECKLIST)]
MINI_IDS = ["MIN-01", "MIN-02", "MIN-03", "MIN-04", "MIN-05"]


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)


@pytest.fixture(scope="module")
def mini_outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("q")
    result = invoke("questionnaire", "-o", str(folder), "--jurisdiction", "demo", "--name-zh", "示例市",
                    "--name-en", "Example City", "--level", "city", "--parent", "demo-province", "--year", "2025",
                    *MINI)
    assert result.exit_code == 0, result.output
    return folder


def test_writes_pdf_html_yaml_and_schema(mini_outputs: Path) -> None:
    assert sorted(p.name for p in mini_outputs.iterdir()) == [
        "answers-mini.yaml", "assessment.schema.json", "questionnaire-mini.html", "questionnaire-mini.pdf"]


def test_output_lines_name_every_file(tmp_path: Path) -> None:
    result = invoke("questionnaire", "-o", str(tmp_path), "--format", "yaml", *MINI)
    assert result.exit_code == 0
    lines = [re.sub(r"\(\d+ KB\)$", "(N KB)", line) for line in result.output.splitlines()]
    assert lines == [f"wrote answer template: {tmp_path / 'answers-mini.yaml'} (N KB)",
                     f"wrote schema: {tmp_path / 'assessment.schema.json'} (N KB)"]


def test_printable_pdf_contains_every_item_id_and_the_cover(mini_outputs: Path) -> None:
    text = pdf_text(mini_outputs / "questionnaire-mini.pdf")
    for ident in MINI_IDS:
        assert ident in text
    for word in ("迷你检查表 审计问卷", "地区名称", "上级地区代码（可不填）", "demo-province",
                 "评估年度", "填报人", "联系方式", "填报日期", "示例市",
                 "填写说明", "不适用", "豁免", "评估范围", "住房保障基金", "审计部门", "定编制", "监督责任"):
        assert word in text, word


def test_printable_pdf_pages_bookmarks_and_metadata(mini_outputs: Path) -> None:
    reader = pypdf.PdfReader(mini_outputs / "questionnaire-mini.pdf")
    count = len(reader.pages)
    assert count >= 4
    assert f"第 2 页 / 共 {count} 页" in (reader.pages[1].extract_text() or "")
    assert f"第 {count} 页 / 共 {count} 页" in (reader.pages[-1].extract_text() or "")
    assert reader.metadata is not None and reader.metadata.title == "迷你检查表 审计问卷"
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    outline = reader.outline
    titles = [entry.title for entry in outline if not isinstance(entry, list)]
    assert titles == ["迷你检查表 审计问卷", "填写说明", "迷你检查表 v1.0.0"]
    sections = [entry.title for entry in outline[-1]] if isinstance(outline[-1], list) else []
    assert sections == ["MIN-A 甲部分", "MIN-B 乙部分"]
    assert "/AcroForm" not in reader.trailer["/Root"]  # the printable PDF has no form fields


def test_every_shipped_checklist_item_is_in_the_printable_pdf(tmp_path: Path) -> None:
    catalog = load_checklists()
    result = invoke("questionnaire", "-o", str(tmp_path), "--format", "pdf")
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path / "questionnaire.pdf")
    ids = [ident for checklist in select_checklists(catalog) for ident in checklist.item_ids()]
    assert len(ids) > 30
    assert [ident for ident in ids if ident not in text] == []
    assert "各级社保行政部门" in text and "第一责任人" in text


def test_html_is_standalone(mini_outputs: Path) -> None:
    html = (mini_outputs / "questionnaire-mini.html").read_text(encoding="utf-8")
    assert "<style>" in html and "@page" in html
    assert re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:|//|file:)""", html) == []
    assert "<link" not in html and "@import" not in html
    assert "<input" not in html  # the printable version draws boxes
    assert html.count('class="item ') == 5
    assert 'lang="zh-CN"' in html


def test_lang_both_puts_english_under_chinese(tmp_path: Path) -> None:
    result = invoke("questionnaire", "-o", str(tmp_path), "--format", "html", "--lang", "both", *MINI)
    assert result.exit_code == 0, result.output
    html = (tmp_path / "questionnaire-mini-both.html").read_text(encoding="utf-8")
    assert '是否制定社保基金追缴办法？<span class="en">Is there a recovery measure?</span>' in html


def test_lang_en_pdf(tmp_path: Path) -> None:
    result = invoke("questionnaire", "-o", str(tmp_path), "--format", "pdf", "--lang", "en", *MINI)
    assert result.exit_code == 0, result.output
    reader = pypdf.PdfReader(tmp_path / "questionnaire-mini-en.pdf")
    text = pdf_text(tmp_path / "questionnaire-mini-en.pdf")
    assert "Is there a recovery measure?" in text
    assert "是否制定社保基金追缴办法" not in text
    assert f"Page 1 of {len(reader.pages)}" not in text  # the cover has no page number
    assert f"Page 2 of {len(reader.pages)}" in text
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_user_text_is_escaped(tmp_path: Path) -> None:
    result = invoke("questionnaire", "-o", str(tmp_path), "--format", "html",
                    "--name-zh", "<script>alert(1)</script>", *MINI)
    assert result.exit_code == 0, result.output
    html = (tmp_path / "questionnaire-mini.html").read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unknown_checklist_is_a_clear_error(tmp_path: Path) -> None:
    result = invoke("questionnaire", "recovry", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: unknown checklist 'recovry'; did you mean 'recovery'? (expected one of: ")
    assert list(tmp_path.iterdir()) == []


def test_bad_jurisdiction_code_is_a_clear_error(tmp_path: Path) -> None:
    result = invoke("questionnaire", "-o", str(tmp_path), "--jurisdiction", "示例 市", *MINI)
    assert result.exit_code == 2
    assert result.stderr == ("Error: --jurisdiction: expected a code of letters, digits, '-' or '_' "
                             "(at most 32), got '示例 市'\n")


def test_bad_parent_code_is_a_clear_error(tmp_path: Path) -> None:
    result = invoke("questionnaire", "-o", str(tmp_path), "--parent", "-city", *MINI)
    assert result.exit_code == 2
    assert result.stderr == ("Error: --parent: expected a code of letters, digits, '-' or '_' "
                             "(at most 32), got '-city'\n")
    assert list(tmp_path.iterdir()) == []


def test_the_parent_is_in_the_answer_template_and_validates(mini_outputs: Path, tmp_path: Path) -> None:
    text = (mini_outputs / "answers-mini.yaml").read_text(encoding="utf-8")
    assert "  parent: demo-province  # 上级地区代码（可不填，按上级汇总用）" in text.splitlines()
    result = invoke("questionnaire", "-o", str(tmp_path), "--format", "yaml", "--lang", "en", *MINI)
    assert result.exit_code == 0, result.output
    blank = tmp_path / "answers-mini-en.yaml"
    assert ("  parent:      # parent jurisdiction's code (optional, for the roll-up by parent)"
            in blank.read_text(encoding="utf-8").splitlines())
    assert invoke("validate", str(blank), *MINI).output == "1 file valid\n"
    result = invoke("questionnaire", "-o", str(tmp_path / "digits"), "--format", "yaml", "--parent", "4401", *MINI)
    assert result.exit_code == 0, result.output
    assert "  parent: \"4401\"  # 上级地区代码（可不填，按上级汇总用）" in (
        (tmp_path / "digits" / "answers-mini.yaml").read_text(encoding="utf-8").splitlines())
    assert invoke("validate", str(tmp_path / "digits" / "answers-mini.yaml"), *MINI).output == "1 file valid\n"


def test_output_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("x", encoding="utf-8")
    result = invoke("questionnaire", "-o", str(target), "--format", "yaml", *MINI)
    assert result.exit_code == 2
    assert result.stderr.endswith(f"Error: Invalid value for '-o' / '--output': Directory '{target}' is a file.\n")
    with pytest.raises(SsdocsError, match="is a file; expected a folder to write the questionnaire into"):
        questionnaire([load_checklist(MINI_CHECKLIST)], target, fmt="yaml")
    assert target.read_text(encoding="utf-8") == "x"


def test_select_checklists_by_version_and_order(mini_catalog: Catalog) -> None:
    assert [c.id for c in select_checklists(mini_catalog)] == ["mini"]
    assert select_checklists(mini_catalog, ["mini@1.0.0"])[0].version == "1.0.0"
    with pytest.raises(SsdocsError, match="checklist mini has no version 9.9.9, expected one of 1.0.0"):
        select_checklists(mini_catalog, ["mini@9.9.9"])
    shipped = [c.id for c in select_checklists(load_checklists())]
    assert shipped[:2] == ["three-definitions", "recovery"]


def test_fund_coverage_names_the_seven_categories() -> None:
    coverage = fund_coverage([load_checklist(MINI_CHECKLIST)])
    assert [f.label.zh for f in coverage] == ["全国社会保障基金", "社会保险基金", "社会救助基金", "社会福利基金",
                                              "残疾人就业保障金", "社会捐赠基金", "住房保障基金"]
    assert [f.id for f in coverage if f.covered] == ["social-insurance-fund"]


def test_header_validation() -> None:
    with pytest.raises(SsdocsError, match="--year: expected a year from 1990 to 2100, got 3000"):
        Header(year=3000)
    with pytest.raises(SsdocsError, match=r"^--parent: expected a code of letters, digits, '-' or '_' \(at most 32\), "
                                          r"got 'a\.b'$"):
        Header(parent="a.b")
    assert Header(parent="4401").parent == "4401"


def test_readme_documents_the_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section:questionnaires -->")[1].split("<!-- /section:questionnaires -->")[0]
    for word in ("ssdocs questionnaire", "ssdocs import-pdf", "--fillable", "--force", "MB", "--parent CODE",
                 "meta.jurisdiction.parent"):
        assert word in section, word
