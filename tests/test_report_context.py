"""The report context: findings order and priority, the Fig. 5 matrix, the summary (no templates)."""

from __future__ import annotations

from conftest import FIXTURES, MINI_ASSESSMENT
from ssdocs.context.report import build_report_context
from ssdocs.loading.assessments import checklists_of, load_assessment
from ssdocs.loading.checklists import Catalog, load_checklists
from ssdocs.render.report import render_report_html
from ssdocs.scoring import score_assessment


def _context(catalog: Catalog, path=MINI_ASSESSMENT, lang: str = "zh"):  # type: ignore[no-untyped-def]
    assessment = load_assessment(path, catalog)
    checklists = checklists_of(assessment, catalog)
    return build_report_context(assessment, checklists, score_assessment(assessment, checklists), None, lang)


def test_findings_ordered_by_impact(mini_catalog: Catalog) -> None:
    context = _context(mini_catalog)
    assert [(f.id, f.impact, f.priority) for f in context.findings] == [
        ("MIN-01", 1.0, "high"),
        ("MIN-03", 0.5, "medium"),
        ("MIN-04", 0.4, "medium"),
        ("MIN-02", 0.333, "low"),
        ("MIN-05", 0.333, "low"),
    ]
    assert context.findings[0].answer.zh == "部分" and context.findings[0].answer.en == "Partly"
    assert context.findings[1].answer.zh == "75 %（中）"
    assert context.findings[3].answer.en == "B (Good)"


def test_summary_without_history(mini_catalog: Catalog) -> None:
    summary = _context(mini_catalog).summary
    # Both areas fail (below 60): neither is presented as a strength.
    assert summary.strongest == []
    assert [(s.id, s.score) for s in summary.weakest] == [("MIN-B", 50.0), ("MIN-A", 55.6)]
    assert summary.change is None and summary.red_lines == []


def test_no_fig5_matrix_is_said(mini_catalog: Catalog) -> None:
    context = _context(mini_catalog)
    assert context.fig5 is None
    matrix = context.matrix_of("MIN-05")
    assert matrix is not None and matrix.counts == {"yes": 2, "no": 1, "na": 1, "missing": 0}
    html = render_report_html(context)
    assert "本次评估未包含第一责任人矩阵条目（标签 fig5-matrix）。" in html


def test_fig5_matrix_rows_grouped() -> None:
    catalog = load_checklists([FIXTURES / "report" / "checklist.yaml"])
    context = _context(catalog, FIXTURES / "report" / "city" / "2025.yaml")
    fig5 = context.fig5
    assert fig5 is not None and fig5.item_id == "RPT-06"
    assert [g.label.zh for g in fig5.groups if g.label] == ["行政责任", "监督责任", "管理责任", "服务主体责任"]
    assert fig5.groups[1].rows[0].cells == ["yes", "na", "missing", "missing"]
    assert fig5.counts == {"yes": 9, "no": 2, "na": 1, "missing": 4}
    assert [w.id for w in context.waivers] == ["RPT-03", "RPT-07"]
    assert [w.waiver_expired for w in context.waivers] == [True, False]
