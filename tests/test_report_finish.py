"""What a reader sees first: a one-page cover in every language, drafts marked as drafts, honest summaries."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from conftest import FIXTURES
from ssdocs.cli import (
    cli,
    commands,  # noqa: F401  (registers every command)
)
from ssdocs.cli.report import DRAFT_BELOW as CLI_DRAFT_BELOW
from ssdocs.context.report import DRAFT_BELOW, AreaScore, build_report_context
from ssdocs.loading.assessments import checklists_of, load_assessment
from ssdocs.loading.checklists import load_checklists
from ssdocs.models.assessment import Assessor
from ssdocs.models.base import Text
from ssdocs.render.environment import format_impact
from ssdocs.render.pdf import write_pdf
from ssdocs.render.report import render_report_html
from ssdocs.scoring import score_assessment

REPORT = FIXTURES / "report"
CHECKLIST = REPORT / "checklist.yaml"
ASSESSMENT = REPORT / "city" / "2025.yaml"
CONTENTS = {"zh": "目录", "en": "Contents", "both": "目录 / Contents"}


def _page_texts(path: Path) -> list[str]:
    """Each page's text as poppler's pdftotext reads it (a strict, independent reader)."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True).stdout
    return out.decode("utf-8").split("\f")[:len(pypdf.PdfReader(path).pages)]


def _crowded_context(lang: str):  # type: ignore[no-untyped-def]
    """The fixture with a long jurisdiction name, ten checklists and five assessors on the cover."""
    catalog = load_checklists([CHECKLIST])
    assessment = load_assessment(ASSESSMENT, catalog)
    checklists = checklists_of(assessment, catalog)
    result = score_assessment(assessment, checklists)
    name = Text(zh="新疆生产建设兵团第十二师五一农场社会保险事业管理中心与医疗保障服务中心联合评估对象",
                en="Social Insurance Administration Centre and Medical Security Service Centre of the "
                   "Wuyi Farm, Twelfth Division, Xinjiang Production and Construction Corps")
    assessors = [Assessor(name=f"评估人{n}", organisation="某某会计师事务所（特殊普通合伙）第三审计部",
                          role="外部审计合伙人、评估组成员") for n in range(1, 6)]
    assessment = assessment.model_copy(update={
        "jurisdiction": assessment.jurisdiction.model_copy(update={"name": name}),
        "assessors": assessors,
    })
    context = build_report_context(assessment, checklists, result, None, lang)
    row = context.checklists[0]
    long_title = Text(zh="基金监管体系：四位一体、四防协同与全链条监管（扩展）",
                      en="Fund-supervision system: four-in-one, four defences and whole-chain supervision")
    rows: list[AreaScore] = [dataclasses.replace(row, id=f"checklist-number-{n:02d}", title=long_title)
                             for n in range(1, 11)]
    return dataclasses.replace(context, checklists=rows)


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_cover_is_one_page_even_crowded(tmp_path: Path, lang: str) -> None:
    context = _crowded_context(lang)
    html = render_report_html(context)
    pages = _page_texts(write_pdf(html, tmp_path / "r.pdf", pdf_variant=None))
    assert "checklist-number-10" in pages[0]  # every checklist on the cover
    assert "评估人5" in pages[0]
    assert CONTENTS[lang] in pages[1], pages[1][:200]  # page 2 is the contents page
    assert "checklist-number" not in pages[1]


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_cover_of_the_fixture_is_one_page(tmp_path: Path, lang: str) -> None:
    result = CliRunner().invoke(cli, ["report", str(ASSESSMENT), "--checklists", str(CHECKLIST),
                                      "-o", str(tmp_path), "--lang", lang], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    pages = _page_texts(tmp_path / "test-city-2025.pdf")
    assert CONTENTS[lang] in pages[1]


def _partial(tmp_path: Path) -> Path:
    """The fixture with two of its eleven items answered."""
    text = ASSESSMENT.read_text(encoding="utf-8")
    head = text[:text.index("answers:")]
    path = tmp_path / "2025.yaml"
    path.write_text(head + "answers:\n  RPT-02: {value: B}\n  RPT-04: {value: 75}\n", encoding="utf-8")
    return path


def test_an_incomplete_assessment_is_a_marked_draft(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(cli, ["report", str(_partial(tmp_path)), "--checklists", str(CHECKLIST),
                                 "-o", str(out), "--lang", "both"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    pdf = out / "test-city-2025.pdf"
    assert result.stdout.splitlines()[0] == str(pdf)
    assert re.search(r"^warning: .*test-city-2025\.pdf: marked as a DRAFT \(草稿\): only \d+\.\d% of the "
                     r"items are answered, below 90%", result.stderr, re.M), result.stderr
    pages = _page_texts(pdf)
    assert all("草稿 / DRAFT" in page for page in pages), [n for n, p in enumerate(pages) if "DRAFT" not in p]
    assert "不是最终结果" in pages[0] and "not final" in pages[0]


def test_the_draft_threshold_is_an_option(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", str(_partial(tmp_path)), "--checklists", str(CHECKLIST),
                                      "-o", str(tmp_path / "out"), "--draft-below", "0"],
                                catch_exceptions=False)
    assert result.exit_code == 0 and result.stderr == ""
    assert not any("草稿" in page for page in _page_texts(tmp_path / "out" / "test-city-2025.pdf"))


def test_a_complete_assessment_is_not_a_draft(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", str(ASSESSMENT), "--checklists", str(CHECKLIST),
                                      "-o", str(tmp_path), "--format", "html"], catch_exceptions=False)
    assert result.exit_code == 0 and result.stderr == ""
    assert "草稿" not in (tmp_path / "test-city-2025.html").read_text(encoding="utf-8")


def test_draft_threshold_in_the_library_and_the_cli_agree() -> None:
    assert DRAFT_BELOW == CLI_DRAFT_BELOW == 90.0
    catalog = load_checklists([CHECKLIST])
    assessment = load_assessment(ASSESSMENT, catalog)
    checklists = checklists_of(assessment, catalog)
    result = score_assessment(assessment, checklists)
    assert not build_report_context(assessment, checklists, result).draft
    assert build_report_context(assessment, checklists, result, draft_below=100.1).draft


def test_strongest_areas_never_include_a_failing_one(tmp_path: Path) -> None:
    catalog = load_checklists([CHECKLIST])
    assessment = load_assessment(_partial(tmp_path), catalog)
    checklists = checklists_of(assessment, catalog)
    context = build_report_context(assessment, checklists, score_assessment(assessment, checklists))
    assert all(s.grade_id != "fail" for s in context.summary.strongest)
    assert not set(s.id for s in context.summary.strongest) & {s.id for s in context.summary.weakest}


def test_impact_has_one_format() -> None:
    assert [format_impact(v) for v in (0.7, 2 / 3, 0.125, 1.0)] == ["0.70", "0.67", "0.12", "1.00"]
