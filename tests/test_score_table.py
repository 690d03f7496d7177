"""`ssdocs score` on a narrow terminal: section names wrap, never cut; the numbers keep their columns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from ssdocs import api
from ssdocs.cli import (
    cli,
    commands,  # noqa: F401  (registers every command)
)

EXAMPLE = Path(__file__).parent.parent / "examples" / "assessments" / "example-city" / "2025.yaml"


@pytest.mark.parametrize(("lang", "columns"), [("zh", 80), ("en", 80), ("en", 140)])
def test_every_section_name_whole_at_80_columns(lang: str, columns: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    result = CliRunner().invoke(cli, ["score", str(EXAMPLE), "--lang", lang], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "…" not in result.output
    assert all(cell_len(line.rstrip()) <= columns for line in lines)
    # the first column of every line (a title or its continuation), before the numbers
    joined = "".join(re.split(r"\s{2,}", line.strip())[0] for line in lines).replace(" ", "")
    scored = api.score(EXAMPLE, api.load_checklists_from(()))
    for checklist in scored.checklists:
        for section in checklist.sections:
            assert f"{section.id}{section.title.get(lang)}".replace(" ", "") in joined, section.id
    if columns < 100:
        counts = checklist.counts
        stripped = [line.strip() for line in lines]
        legend = {"en": "items: met/partial/unmet/N/A/waived/missing",
                  "zh": "条目数：符合/部分/不符合/不适用/豁免/未答"}
        assert legend[lang] in stripped
        assert (f"{counts.met}/{counts.partial}/{counts.unmet}/{counts.na}/{counts.waived}/{counts.missing}"
                in result.output)
