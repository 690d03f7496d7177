"""ssdocs doctor: OK/MISSING lines with the Debian package to install, exit 0 or 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ssdocs.cli import (
    cli,
    commands,  # noqa: F401  (registers every command)
)
from ssdocs.render import doctor


def test_all_present() -> None:
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == [
        "OK       Python", "OK       WeasyPrint / Pango", "OK       CJK font",
        "OK       HarfBuzz subsetting", "OK       CJK font subsets", "OK       pdftotext"]
    assert lines[-1] == "Everything reports need is installed."


def test_missing_font_and_harfbuzz(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "find_cjk_fonts", lambda: [])
    monkeypatch.setattr(doctor.ctypes.util, "find_library", lambda name: None)
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None)
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 2
    assert ("MISSING  CJK font: no font covers Chinese -> sudo apt-get install fonts-noto-cjk"
            in result.output)
    assert ("MISSING  HarfBuzz subsetting: libharfbuzz-subset.so.0 not found (fonts would be embedded "
            "whole) -> sudo apt-get install libharfbuzz-subset0") in result.output
    assert "OPTIONAL pdftotext: not found -> sudo apt-get install poppler-utils" in result.output
    assert "Some required pieces are missing" in result.output


def test_only_optional_missing_is_ok(monkeypatch: pytest.MonkeyPatch) -> None:
    real = doctor.shutil.which
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None if name == "pdftotext" else real(name))
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 0
    assert "OPTIONAL pdftotext: not found" in result.output


def test_subsets_not_yet_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSDOCS_CACHE", str(tmp_path))
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 0
    assert (f"OK       CJK font subsets: none cached yet: the first PDF makes them in {tmp_path / 'fonts'} "
            "(under a second)") in result.output


def test_subsets_that_cannot_be_made_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ssdocs.render import fontsubset

    monkeypatch.setenv("SSDOCS_CACHE", str(tmp_path))
    monkeypatch.setattr(fontsubset, "can_subset", lambda: "uharfbuzz cannot be imported (No module named 'x')")
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 0  # optional: PDFs are still right, only larger
    assert ("OPTIONAL CJK font subsets: cannot be made: uharfbuzz cannot be imported (No module named 'x'); "
            "PDFs use the system font, about 0.2 MB larger per weight") in result.output
    assert "pip install uharfbuzz" in result.output
