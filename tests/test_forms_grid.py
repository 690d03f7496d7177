"""Grid cells in the fillable questionnaire: `PIL-05.value.<row>.<column>` text fields that import-pdf
reads back into grid rows (numbers, or na for a row that does not arise)."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from conftest import FIXTURES
from ssdocs import api
from ssdocs.cli import cli, commands  # noqa: F401  (registers every command)
from ssdocs.forms import form_fields
from ssdocs.loading.checklists import load_checklists
from test_forms import fill

V2 = ["--checklists", str(FIXTURES / "v2" / "checklists")]


def test_grid_cells_are_text_fields_named_by_row_and_column() -> None:
    pilot = load_checklists(FIXTURES / "v2" / "checklists")[("pilot", "2.0.0")]
    fields = form_fields([pilot])
    cells = [name for name, ref in fields.items() if ref.part == "grid"]
    assert cells[:4] == ["PIL-05.value.death-benefits.leads", "PIL-05.value.death-benefits.checked",
                         "PIL-05.value.death-benefits.confirmed", "PIL-05.value.death-benefits.recovered"]
    assert len(cells) == 12 and fields[cells[0]].choices() is None


def test_a_filled_grid_round_trips(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["questionnaire", "pilot", "-o", str(tmp_path), "--format", "pdf",
                                      "--fillable", "--jurisdiction", "demo", "--name-zh", "示例市",
                                      "--name-en", "Example City", "--level", "city", "--year", "2025", *V2])
    assert result.exit_code == 0, result.output
    cells = {"leads": "120", "checked": "118", "confirmed": "15", "recovered": "36.5万元"}
    values = {f"PIL-05.value.death-benefits.{k}": v for k, v in cells.items()}
    values |= {f"PIL-05.value.duplicate-receipt.{k}": v for k, v in
               {"leads": "40", "checked": "30", "confirmed": "4", "recovered": "2"}.items()}
    values |= {"PIL-05.value.early-retirement.leads": "不适用", "PIL-05.evidence": "专项治理台账",
               "meta.respondent": "张三", "meta.date": "2026-03-01"}
    filled = fill(tmp_path / "questionnaire-pilot-fillable.pdf", tmp_path / "filled.pdf", values)
    target = tmp_path / "2025.yaml"
    result = CliRunner().invoke(cli, ["import-pdf", str(filled), "-o", str(target), *V2])
    assert result.exit_code == 0, result.output
    imported = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert imported["answers"]["PIL-05"]["value"] == {
        "death-benefits": {"leads": 120, "checked": 118, "confirmed": 15, "recovered": 36.5},
        "duplicate-receipt": {"leads": 40, "checked": 30, "confirmed": 4, "recovered": 2},
        "early-retirement": "na",
    }
    catalog = load_checklists(FIXTURES / "v2" / "checklists")
    assert api.validate([target], catalog) == []
    item = next(i for c in api.score(target, catalog).checklists for s in c.sections for i in s.items
                if i.id == "PIL-05")
    assert (item.status, item.score) == ("partial", 0.5)
