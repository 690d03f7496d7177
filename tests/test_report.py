"""The scored report, tested on the real PDF (pypdf text, fonts, attachments, metadata) and the HTML."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

import pypdf
import pytest
from click.testing import CliRunner, Result

from conftest import FIXTURES
from ssdocs.cli import (
    cli,
    commands,  # noqa: F401  (registers every command)
)
from ssdocs.context.labels import LABELS

REPORT = FIXTURES / "report"
CHECKLIST = REPORT / "checklist.yaml"
ASSESSMENT = REPORT / "city" / "2025.yaml"
FINDINGS = ["RPT-01", "RPT-03", "RPT-04", "RPT-05", "RPT-06", "RPT-02"]
CHAPTER_KEYS = ["summary", "scores", "charts", "matrix", "findings", "actions", "waivers",
                "annex_answers", "annex_basis", "annex_method"]


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def render(out: Path, *extra: str, assessment: Path = ASSESSMENT) -> Result:
    return invoke("report", str(assessment), "--checklists", str(CHECKLIST), "-o", str(out), *extra)


@pytest.fixture(scope="module")
def pdf_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    result = render(out)
    assert result.exit_code == 0, result.output
    assert result.output == f"{out / 'test-city-2025.pdf'}\n{out / 'test-city-2025-actions.csv'}\n"
    return out


@pytest.fixture(scope="module")
def reader(pdf_dir: Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(pdf_dir / "test-city-2025.pdf")


@pytest.fixture(scope="module")
def text(reader: pypdf.PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pages_and_page_numbers(reader: pypdf.PdfReader, text: str) -> None:
    total = len(reader.pages)
    assert total > 1
    assert f"第 2 页 / 共 {total} 页" in text
    assert f"第 {total} 页 / 共 {total} 页" in text
    assert "测试市 · 2025" in text.replace("•", "·")  # running header


def test_every_chapter_heading_in_the_pdf(text: str) -> None:
    for key in CHAPTER_KEYS:
        assert LABELS[key].zh in text, key


def test_every_finding_in_the_pdf_and_in_impact_order(pdf_dir: Path, text: str) -> None:
    for item in FINDINGS:
        assert item in text
    findings = text[text.index("五、问题与建议\n", text.index("六、整改计划") + 1):]
    positions = [findings.index(item) for item in FINDINGS]
    assert positions == sorted(positions)


def test_cover_and_summary(text: str) -> None:
    for expected in ("社会保障基金安全规范评估报告", "测试市", "49.6", "不合格", "张三", "report-demo 1.0.0",
                     "2026-03-01", "第一责任人"):
        assert expected in text, expected
    # Change since last year, from the 2024 file beside the assessment.
    assert "25.5" in text and "+24.1" in text
    assert "已解决的红线问题：RPT-01" in text


def test_scoring_method_names_each_sections_aggregation(text: str) -> None:
    """Annex C's section table has a heading over every column, the aggregation included."""
    assert re.search(r"领域 权重 汇总方式 得分\n\S+ +.+ \d+(\.\d+)? (加权平均|最弱项) ", text)


def test_fig5_matrix_cells(text: str) -> None:
    matrix = text[text.index("RPT-06 各部门的基金监管责任"):]
    for label in ("行政责任", "监督责任", "管理责任", "服务主体责任", "各级社保行政部门", "基金运营机构",
                  "定职能", "定机构", "定编制", "第一责任人"):
        assert label in matrix, label
    assert "9/15 格达标" in matrix
    assert re.search(r"图例：\s*是\s*9\s*否\s*2\s*不适用\s*1\s*未答\s*4", matrix)


def test_waivers_flag_expired(reader: pypdf.PdfReader) -> None:
    waivers = next(t for t in (p.extract_text() for p in reader.pages) if "有效期至" in t)
    assert re.search(r"RPT-03.*已过期", waivers)
    assert re.search(r"RPT-07.*有效", waivers)
    assert "2025-12-31" in waivers and "市人社局党组" in waivers


def test_fonts_embedded_and_subset(reader: pypdf.PdfReader) -> None:
    fonts: dict[str, Any] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert any("CJK" in name for name in fonts)
    for name, font in fonts.items():
        descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)
        descriptor = descriptor["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, name
        assert re.match(r"/[A-Z]{6}\+", name), f"{name} is not subset"


def test_metadata_and_pdfa(reader: pypdf.PdfReader) -> None:
    meta = reader.metadata
    assert meta is not None
    assert meta["/Title"] == "社会保障基金安全规范评估报告 · 测试市 · 2025"
    assert meta["/Author"] == "张三, 李四"
    assert meta["/Keywords"] == "社会保障, 基金监管, 安全规范, test-city, 2025, report-demo"
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20260301000000Z"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "zh-CN"
    assert "/OutputIntents" in root
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    associated = [ref.get_object() for ref in root["/AF"]]
    assert [f["/UF"] for f in associated] == ["test-city-2025.yaml", "checklist-report-demo-1.0.0.yaml"]
    assert {f["/AFRelationship"] for f in associated} == {"/Source"}
    top = [o.title for o in reader.outline if not isinstance(o, list)]
    assert top == [LABELS[key].zh for key in CHAPTER_KEYS]


def test_attachments_recovered_by_extract(pdf_dir: Path, tmp_path: Path) -> None:
    pdf = pdf_dir / "test-city-2025.pdf"
    result = invoke("extract", str(pdf), "-o", str(tmp_path))
    assert result.exit_code == 0
    assert result.output == (f"{tmp_path / 'test-city-2025.yaml'}\n"
                             f"{tmp_path / 'checklist-report-demo-1.0.0.yaml'}\n")
    assert (tmp_path / "test-city-2025.yaml").read_bytes() == ASSESSMENT.read_bytes()
    assert (tmp_path / "checklist-report-demo-1.0.0.yaml").read_bytes() == CHECKLIST.read_bytes()
    again = CliRunner().invoke(cli, ["extract", str(pdf), "-o", str(tmp_path)])
    assert again.exit_code == 2
    assert "would overwrite" in again.output and "pass --force to replace" in again.output
    assert invoke("extract", str(pdf), "-o", str(tmp_path), "--force").exit_code == 0


def test_extract_refuses_a_non_pdf(tmp_path: Path) -> None:
    fake = tmp_path / "x.pdf"
    fake.write_text("not a pdf")
    result = CliRunner().invoke(cli, ["extract", str(fake), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output == f"Error: {fake}: not a PDF file (it does not start with %PDF-)\n"
    assert not (tmp_path / "out").exists()


def test_extract_sanitises_names() -> None:
    from ssdocs.render.extract import safe_attachment_name

    assert safe_attachment_name("../../etc/passwd", 1) == "passwd"
    assert safe_attachment_name("..\\..\\x.yaml", 1) == "x.yaml"
    assert safe_attachment_name(".bashrc", 1) == "bashrc"
    assert safe_attachment_name("a\x00b\nc.yaml", 1) == "a_b_c.yaml"
    assert safe_attachment_name("/", 3) == "attachment-3"
    assert safe_attachment_name("测试市.yaml", 1) == "测试市.yaml"


def test_byte_identical_on_two_runs(pdf_dir: Path, tmp_path: Path) -> None:
    assert render(tmp_path).exit_code == 0
    assert (tmp_path / "test-city-2025.pdf").read_bytes() == (pdf_dir / "test-city-2025.pdf").read_bytes()
    assert (tmp_path / "test-city-2025-actions.csv").read_bytes() == (
        pdf_dir / "test-city-2025-actions.csv").read_bytes()


def test_unsafe_markdown_is_text_and_nothing_is_fetched(pdf_dir: Path, reader: pypdf.PdfReader,
                                                         text: str) -> None:
    data = (pdf_dir / "test-city-2025.pdf").read_bytes()
    passwd = Path("/etc/passwd").read_bytes()
    first_line = passwd.splitlines()[0]
    assert first_line not in data and first_line.decode() not in text
    assert "<script>alert('x')</script>" in text  # shown as text, never run or dropped silently
    assert "恶意链接" in text and "[image]" in text
    uris = [annot.get_object()["/A"].get("/URI") for page in reader.pages
            for annot in page.get("/Annots", []) if "/A" in annot.get_object()]
    # The note is shown twice (findings and annex A); its one safe link is the only link.
    assert [u for u in uris if u is not None] == ["https://example.org/notice"] * 2


def test_action_plan_csv(pdf_dir: Path) -> None:
    raw = (pdf_dir / "test-city-2025-actions.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == ("rank,priority,item,checklist,section,status,score,weight,impact,question_zh,"
                        "question_en,recommendation_zh,recommendation_en,owner,due")
    assert [line.split(",")[2] for line in lines[1:]] == FINDINGS
    assert lines[1] == ("1,high,RPT-01,report-demo,RPT-A,partial,50.0,2,1.00,是否制定社保基金追缴办法？,"
                        "Is there a recovery measure?,制定并印发追缴办法。,Adopt a recovery measure.,"
                        "基金监督科,2026-06-30")
    assert [line.split(",")[1] for line in lines[1:]] == ["high", "high", "medium", "medium", "medium", "low"]


def test_csv_option_writes_elsewhere(tmp_path: Path) -> None:
    target = tmp_path / "plans" / "plan.csv"
    result = render(tmp_path / "out", "--format", "html", "--csv", str(target))
    assert result.exit_code == 0
    assert result.output == f"{tmp_path / 'out' / 'test-city-2025.html'}\n{target}\n"


def test_html_is_standalone(tmp_path: Path) -> None:
    result = render(tmp_path, "--format", "html")
    assert result.exit_code == 0
    html = (tmp_path / "test-city-2025.html").read_text()
    assert "<link" not in html and "@import" not in html
    assert not re.search(r"""<[^>]*\ssrc=["']?(?!data:)""", html)
    assert not re.search(r"url\((?!data:)", html)
    assert not re.search(r"""<[^>]*=["']?file:""", html)  # only as escaped text of the note
    assert set(re.findall(r'href="([^"#][^"]*)"', html)) == {"https://example.org/notice"}
    assert html.count("<svg") == 3  # bars, radar, trend
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html and "<script" not in html
    assert "历年得分趋势" in html and "各部分得分" in html


def test_html_in_english(tmp_path: Path) -> None:
    assert render(tmp_path, "--format", "html", "--lang", "en").exit_code == 0
    html = (tmp_path / "test-city-2025.html").read_text()
    assert '<html lang="en">' in html
    for key in CHAPTER_KEYS:
        assert LABELS[key].en.replace("'", "&#39;") in html, key
    assert "Page " in html and "执行摘要" not in html


def test_both_languages_in_pdf(tmp_path: Path) -> None:
    assert render(tmp_path, "--lang", "both", "--no-pdfa").exit_code == 0
    reader = pypdf.PdfReader(tmp_path / "test-city-2025.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "一、执行摘要 / 1. Executive summary" in text
    assert "Page 2 of" in text
    assert "/OutputIntents" not in reader.trailer["/Root"]  # --no-pdfa: a plain PDF


def test_missing_fonts_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ssdocs.render import fonts

    monkeypatch.setattr(fonts, "find_cjk_fonts", lambda: [])
    result = CliRunner().invoke(cli, ["report", str(ASSESSMENT), "--checklists", str(CHECKLIST),
                                      "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.startswith("Error: no font covering Chinese is installed")
    assert "fonts-noto-cjk" in result.output and "--allow-missing-fonts" in result.output
    assert list(tmp_path.iterdir()) == []


def test_allow_missing_fonts_renders_anyway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ssdocs.render import fonts

    monkeypatch.setattr(fonts, "find_cjk_fonts", lambda: [])
    result = render(tmp_path, "--allow-missing-fonts", "--no-pdfa")
    assert result.exit_code == 0
    assert (tmp_path / "test-city-2025.pdf").read_bytes().startswith(b"%PDF-")


def test_invalid_assessment_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "in" / "2025.yaml"
    bad.parent.mkdir()
    bad.write_text(ASSESSMENT.read_text().replace("value: B", "value: Z"))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["report", str(bad), "--checklists", str(CHECKLIST), "-o", str(out)])
    assert result.exit_code == 2
    assert f"{bad}:" in result.output and "RPT-02" in result.output
    assert not out.exists()


def test_failed_render_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ssdocs.core import files

    real = files.os.replace

    def crash(src: str, dst: str, **dir_fds: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        from ssdocs.pipeline.report import report

        report(ASSESSMENT, tmp_path, checklist_sources=[CHECKLIST])
    monkeypatch.setattr(files.os, "replace", real)
    assert list(tmp_path.iterdir()) == []


def test_a_history_year_of_another_jurisdiction_is_left_out_with_a_warning(tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "2024.yaml").write_text((REPORT / "city" / "2024.yaml").read_text()
                                     .replace("code: test-city", "code: other-city"))
    result = CliRunner().invoke(cli, ["report", str(ASSESSMENT), "--checklists", str(CHECKLIST),
                                      "-o", str(tmp_path / "out"), "--history", str(other), "--format", "html"])
    assert result.exit_code == 0
    [warning] = result.stderr.splitlines()
    assert re.fullmatch(rf"warning: {re.escape(str(other / '2024.yaml'))}:\d+:\d+: jurisdiction.code: expected "
                        rf"'test-city' like {re.escape(str(ASSESSMENT))} \(one jurisdiction per folder\), got "
                        r"'other-city'; 2024.yaml is left out of the change and trend", warning), warning
    assert "无上一年度评估，无法比较。" in (tmp_path / "out" / "test-city-2025.html").read_text(encoding="utf-8")


def test_single_year_has_no_change(tmp_path: Path) -> None:
    alone = tmp_path / "alone" / "2025.yaml"
    alone.parent.mkdir()
    shutil.copy(ASSESSMENT, alone)
    assert render(tmp_path, "--format", "html", assessment=alone).exit_code == 0
    html = (tmp_path / "test-city-2025.html").read_text()
    assert "无上一年度评估，无法比较。" in html
    assert html.count("<svg") == 2


def test_report_reads_pdf_with_pypdf_bytes(pdf_dir: Path) -> None:
    data = (pdf_dir / "test-city-2025.pdf").read_bytes()
    assert data.startswith(b"%PDF-1.7")
    assert pypdf.PdfReader(io.BytesIO(data)).attachments.keys() == {
        "test-city-2025.yaml", "checklist-report-demo-1.0.0.yaml"}


def test_a_report_looks_back_never_forward(tmp_path: Path) -> None:
    # The example city has 2023, 2024 and 2025: the 2024 report compares with 2023 and its trend
    # ends in 2024.
    from ssdocs.cli import cli as group

    example = FIXTURES.parent.parent / "examples" / "assessments" / "example-city" / "2024.yaml"
    result = CliRunner().invoke(group, ["report", str(example), "-o", str(tmp_path), "--format", "html"])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "example-city-2024.html").read_text(encoding="utf-8")
    trend = html[html.index("历年得分趋势"):]
    trend = trend[: trend.index("</svg>")]
    assert ">2023<" in trend and ">2024<" in trend and ">2025<" not in trend
    assert "上一年度（2023）" in html


def test_a_broken_later_year_does_not_stop_an_earlier_report(tmp_path: Path) -> None:
    from ssdocs.cli import cli as group

    examples = FIXTURES.parent.parent / "examples" / "assessments" / "example-city"
    city = tmp_path / "example-city"
    city.mkdir()
    for year in ("2023", "2024"):
        shutil.copy(examples / f"{year}.yaml", city / f"{year}.yaml")
    (city / "2025.yaml").write_text("jurisdiction: [broken\n", encoding="utf-8")
    result = CliRunner().invoke(group, ["report", str(city / "2024.yaml"), "-o", str(tmp_path / "out"),
                                       "--format", "html"])
    assert result.exit_code == 0, result.output
    assert "上一年度（2023）" in (tmp_path / "out" / "example-city-2024.html").read_text(encoding="utf-8")
