"""The answer template for grid and context items: every column of every row as a commented line that is
valid YAML once uncommented, the columns' limits and the bands in comments, the context flag."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from conftest import FIXTURES
from ssdocs import api
from ssdocs.answer_template import render_answer_template
from ssdocs.context.questionnaire import Header
from ssdocs.loading.checklists import load_checklists

CATALOG = load_checklists(FIXTURES / "v2" / "checklists")
PILOT = CATALOG[("pilot", "2.0.0")]


def test_grid_rows_are_commented_with_every_column() -> None:
    text = render_answer_template([PILOT], Header(), "en")
    assert "      # death-benefits:    {leads: , checked: , confirmed: , recovered: }  # Fraudulent collection" in text
    assert "    #   checked  Leads checked (whole number, leads, ≥ 0, ≤ leads)" in text
    assert "    #   checked-share = checked / leads × 100 %  Share checked  (derived, do not fill in)" in text
    assert "    # ⚠ context item, not scored" in text


def test_uncommented_and_filled_the_grid_validates(tmp_path: Path) -> None:
    text = render_answer_template([PILOT], Header(code="demo", name_zh="示例市", name_en="Example City"), "zh")
    text = re.sub(r"# (death-benefits|duplicate-receipt|early-retirement):", r"\1:", text)
    assert yaml.safe_load(text)["answers"]["PIL-05"]["value"]["death-benefits"] == {
        "leads": None, "checked": None, "confirmed": None, "recovered": None}  # valid YAML as uncommented
    text = text.replace("{leads: , checked: , confirmed: , recovered: }",
                        "{leads: 10, checked: 10, confirmed: 2, recovered: 1.5}")
    at = text.index("  PIL-05:\n")
    at = text.index("evidence: []", at)
    text = text[:at] + "evidence: [{kind: document, title: 台账}]" + text[at + len("evidence: []"):]
    path = tmp_path / "2025.yaml"
    path.write_text(text, encoding="utf-8")
    problems = [str(p) for p in api.validate([path], CATALOG)]
    assert [p for p in problems if "PIL-05" in p] == [], problems
