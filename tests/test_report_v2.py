"""The report and questionnaire for 2.0-style items: grid tables, context marks, basis beside the quotes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from conftest import FIXTURES
from ssdocs import api
from ssdocs.cli import cli, commands  # noqa: F401  (registers every command)
from ssdocs.context.report import build_report_context
from ssdocs.loading.checklists import load_checklists
from ssdocs.loading.registers import load_basis

V2 = FIXTURES / "v2"


def _context():  # type: ignore[no-untyped-def]
    catalog = load_checklists(V2 / "checklists")
    path = V2 / "assessments" / "pilot-2025.yaml"
    assessment = api.load_assessment(path, catalog)
    checklists = [catalog[("pilot", "2.0.0")]]
    result = api.score(path, catalog)
    return build_report_context(assessment, checklists, result, lang="both",
                                register=load_basis(V2 / "checklists" / "basis.yaml"))


def test_grid_answers_become_a_table_with_ratios_and_bands() -> None:
    grid = _context().grid_of("PIL-05")
    assert grid is not None and grid.answered
    assert [c.label.en for c in grid.columns] == [
        "Leads found", "Leads checked", "Confirmed", "Amount recovered", "Share checked", "Share confirmed"]
    assert [(r.cells, r.state, r.band.en if r.band else None) for r in grid.rows] == [
        (["120", "118", "15", "36.5", "98.3", "12.7"], "scored", "Fully checked"),
        (["40", "30", "4", "2.0", "75.0", "13.3"], "scored", "Not checked enough"),  # 2.0 under 36.5
        (["", "", "", "", "", ""], "na", "N/A"),
    ]
    assert grid.scored_by.en == "Share checked"


def test_items_carry_their_quotes_basis_and_context_flag() -> None:
    items = {i.id: i for i in _context().items}
    first = items["PIL-01"]
    assert [s.quote for s in first.sources] == ["制定社保基金追缴办法", "建立有效的追缴手段"]
    assert [(b.title.zh, b.number, b.article) for b in first.basis] == [
        ("中华人民共和国社会保险法", "主席令第三十五号", "第八十八条"),
        ("社会保险基金行政监督办法", "人力资源社会保障部令第48号", None)]
    assert items["PIL-02"].paper_only and items["PIL-02"].basis == []
    context = items["PIL-06"]
    assert (context.context, context.status, context.score, context.status_label.en) == (
        True, "context", None, "Context")
    assert "PIL-06" not in [f.id for f in _context().findings]


def test_the_report_html_shows_grid_context_and_basis(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", str(V2 / "assessments" / "pilot-2025.yaml"), "--checklists",
                                      str(V2 / "checklists"), "--format", "html", "--lang", "both",
                                      "-o", str(tmp_path), "--allow-missing-fonts"])
    assert result.exit_code == 0, result.output
    html = next(tmp_path.glob("*.html")).read_text(encoding="utf-8")
    assert 'class="grid-item"' in html and "<td class=\"num ratio\">98.3</td>" in html
    assert "情况项，不计分" in html
    assert "社会保险基金行政监督办法" in html and "第八十八条" in html


def test_the_change_over_a_version_change_compares_comparable_items_and_says_so() -> None:
    from ssdocs.history import load_history

    catalog = load_checklists(V2 / "checklists")
    history = load_history(V2 / "history", catalog)
    entry = history.entry(2025)
    assert entry is not None
    context = build_report_context(entry.assessment, entry.checklists, entry.result, history, lang="en")
    change = context.summary.change
    assert change is not None
    assert (change.previous_score, change.current_score, change.delta) == (75.0, 100.0, 25.0)
    assert change.note is not None
    assert change.note.en == (f"checklist versions differ: compared on 2 comparable items only; this year's score "
                              f"on all items is {entry.result.score:.1f} (as on the cover)")
    assert [(c.previous, c.current, c.note is not None) for c in change.checklists] == [(75.0, 100.0, True)]
