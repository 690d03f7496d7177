"""The real PDFs the reader and conformance tests look at, rendered once per test session.

The demo report in zh, en and both (and, tagged, in both), the printable and fillable
questionnaire of the checklist that has the Fig. 5 matrix, and the examples' roll-up in both.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO
from ssdocs.cli import (
    cli,
    commands,  # noqa: F401  (registers every command)
)

DEMO = REPO / "examples" / "assessments" / "example-city" / "2025.yaml"
_MADE: dict[str, Path] = {}


def _invoke(*args: str) -> None:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output


def sample_pdfs(factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Name -> PDF: report-zh, report-en, report-both, report-tagged, questionnaire, fillable, rollup."""
    if _MADE:
        return _MADE
    made = {}
    for lang in ("zh", "en", "both"):
        out = factory.mktemp(f"report-{lang}")
        _invoke("report", str(DEMO), "-o", str(out), "--lang", lang)
        made[f"report-{lang}"] = out / "example-city-2025.pdf"
    out = factory.mktemp("report-tagged")
    _invoke("report", str(DEMO), "-o", str(out), "--lang", "both", "--tagged")
    made["report-tagged"] = out / "example-city-2025.pdf"
    out = factory.mktemp("questionnaire")
    _invoke("questionnaire", "three-definitions", "-o", str(out), "--format", "pdf", "--fillable",
            "--jurisdiction", "my-city", "--name-zh", "某市", "--name-en", "Some City", "--level", "city",
            "--year", "2025")
    made["questionnaire"] = out / "questionnaire-three-definitions.pdf"
    made["fillable"] = out / "questionnaire-three-definitions-fillable.pdf"
    out = factory.mktemp("rollup")
    _invoke("rollup", str(REPO / "examples" / "assessments"), "-o", str(out), "--lang", "both", "--by-parent",
            "--highlight", "example-county")
    made["rollup"] = out / "rollup-latest.pdf"
    _MADE.update(made)
    return _MADE
