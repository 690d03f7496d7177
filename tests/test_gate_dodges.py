"""Issue 18 §1: each way a failing 2025 was made to pass `ssdocs check` now fails, with its exit code."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import click.testing
import pytest
from click.testing import CliRunner

from ssdocs.cli import (
    cli,
    commands,  # noqa: F401  (registers every command)
)
from ssdocs.history.gate import add_months

FIXTURES = Path(__file__).parent / "fixtures"
MINI = ["--checklists", str(FIXTURES / "mini-checklist.yaml")]
RED = '  MIN-01: {value: "no"}\n'
FAILING = ("FAIL 示例市 2025: 48.1 不合格 (-51.9 vs 2024)\n\n"
           "示例市 2025: red lines newly failed since 2024: MIN-01, no new critical\npolicy failed: 1 reason\n")


def invoke(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURES / "history" / "demo", tmp_path / "assessments" / "demo")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def edit(repo: Path, old: str, new: str, year: int = 2025) -> Path:
    path = repo / "assessments" / "demo" / f"{year}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_the_red_line_fails_the_gate(repo: Path) -> None:
    assert (lambda r: (r.exit_code, r.output))(invoke("check", "assessments", *MINI, "--no-new-critical")) == (
        1, FAILING)


def test_an_endless_waiver_on_a_red_line_fails(repo: Path) -> None:
    edit(repo, RED, '  MIN-01:\n    value: "no"\n    waiver: {justification: x, approved_by: x, expires: 9999-12-31}\n')
    result = invoke("check", "assessments", *MINI, "--no-new-critical")
    assert result.exit_code == 1
    assert result.output.splitlines()[2:] == [
        "示例市 2025: red lines waived: MIN-01; a red line cannot be waived unless the policy sets "
        "allow-red-line-waiver = true",
        "示例市 2025: waivers longer than 12 months after the assessment date 2026-03-01 (until 2027-03-01): "
        "MIN-01 (expires 9999-12-31), max waiver months 12",
        "policy failed: 2 reasons"]


def test_a_red_line_waiver_within_the_limit_passes_only_when_allowed(repo: Path) -> None:
    edit(repo, RED, '  MIN-01:\n    value: "no"\n    waiver: {justification: x, approved_by: x, expires: 2027-03-01}\n')
    assert invoke("check", "assessments", *MINI, "--no-new-critical").exit_code == 1
    (repo / "ssdocs.toml").write_text("[check]\nallow-red-line-waiver = true\n", encoding="utf-8")
    result = invoke("check", "assessments", *MINI, "--no-new-critical")
    assert (result.exit_code, result.output.splitlines()[-1]) == (0, "passed: 1 checked (no-new-critical; "
                                                                    "policy from ssdocs.toml)")


def test_a_long_waiver_on_an_ordinary_item_fails(repo: Path) -> None:
    edit(repo, "  MIN-04: {value: system}\n",
         "  MIN-04:\n    value: none\n    waiver: {justification: x, approved_by: x, expires: 2027-03-02}\n")
    (repo / "ssdocs.toml").write_text("[check]\nmax-waiver-months = 12\n", encoding="utf-8")
    path = repo / "assessments" / "demo" / "2025.yaml"
    result = invoke("check", str(path), *MINI)
    assert result.exit_code == 1
    assert result.output.splitlines()[2] == (
        "示例市 2025: waivers longer than 12 months after the assessment date 2026-03-01 (until 2027-03-01): "
        "MIN-04 (expires 2027-03-02), max waiver months 12")
    (repo / "ssdocs.toml").write_text("[check]\nmax-waiver-months = 13\n", encoding="utf-8")
    assert invoke("check", str(path), *MINI).exit_code == 0


def test_na_on_a_red_line_fails_unless_allowed(repo: Path) -> None:
    edit(repo, RED, "  MIN-01: {na: 不适用}\n")
    result = invoke("check", "assessments", *MINI, "--no-new-critical")
    assert result.exit_code == 1
    assert result.output.splitlines()[2:] == [
        "示例市 2025: red lines N/A: MIN-01; a red line cannot be N/A unless the policy sets "
        "allow-red-line-na = true", "policy failed: 1 reason"]
    (repo / "ssdocs.toml").write_text("[check]\nallow-red-line-na = true\n", encoding="utf-8")
    assert invoke("check", "assessments", *MINI, "--no-new-critical").exit_code == 0


def test_a_later_year_cannot_hide_the_failing_one(repo: Path) -> None:
    """`2099.yaml`, a copy of 2025 with year and date changed: invalid (exit 2), so it hides nothing."""
    folder = repo / "assessments" / "demo"
    text = (folder / "2024.yaml").read_text(encoding="utf-8")
    (folder / "2099.yaml").write_text(text.replace("year: 2024", "year: 2099").replace("date: 2025-03-01",
                                                                                       "date: 2099-03-01"))
    result = invoke("check", "assessments", *MINI, "--no-new-critical")
    assert (result.exit_code, result.output) == (2, (
        f"assessments/demo/2099.yaml:6:7: date: the assessment date 2099-03-01 is after today ({dt.date.today()}); "
        "the gate accepts no assessment dated in the future\nAborted with 1 error in 1 file\n"))
    (folder / "2099.yaml").write_text(text.replace("year: 2024", "year: 2099"))  # dated 2025: year after date
    result = invoke("check", "assessments", *MINI, "--no-new-critical")
    assert (result.exit_code, result.output) == (2, (
        "assessments/demo/2099.yaml:5:7: year: year 2099 is after the assessment date 2025-03-01: an assessment "
        "rates a year that has begun; fix the year or the date\nAborted with 1 error in 1 file\n"))


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=repo, check=True,
                   capture_output=True)


def test_changed_since_gates_every_changed_year(repo: Path) -> None:
    """The 2025 that fails is not the latest once a valid 2026 is added; --changed-since still gates it."""
    folder = repo / "assessments" / "demo"
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    (folder / "2025.yaml").write_text((folder / "2025.yaml").read_text(encoding="utf-8") + "# edited\n")
    text = (folder / "2024.yaml").read_text(encoding="utf-8")
    (folder / "2026.yaml").write_text(text.replace("year: 2024", "year: 2026").replace("date: 2025-03-01",
                                                                                       "date: 2026-06-01"))
    latest_only = invoke("check", "assessments", *MINI, "--no-new-critical")
    assert latest_only.exit_code == 0  # only 2026 is gated
    result = invoke("check", "assessments", *MINI, "--no-new-critical", "--changed-since", "HEAD")
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == ["FAIL 示例市 2025: 48.1 不合格 (-51.9 vs 2024)",
                                              "PASS 示例市 2026: 100.0 优秀 (+51.9 vs 2025)"]


@pytest.mark.parametrize("ref", ["--output=/tmp/x", "a b", "no-such-ref"])
def test_changed_since_refuses_options_and_unknown_refs(ref: str, repo: Path) -> None:
    git(repo, "init", "-q", "-b", "main")
    result = invoke("check", "assessments", *MINI, "--changed-since", ref)
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: --changed-since{' ' + ref if ref == 'no-such-ref' else ''}")
    assert not Path("/tmp/x").exists() or ref != "--output=/tmp/x"


def test_add_months() -> None:
    assert [add_months(dt.date(2025, 1, 31), n) for n in (1, 12, 13)] == [
        dt.date(2025, 2, 28), dt.date(2026, 1, 31), dt.date(2026, 2, 28)]
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
