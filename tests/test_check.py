"""ssdocs check: the policy rules, the config file, exit codes and the one-line reasons."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click.testing
import pytest
from click.testing import CliRunner

from ssdocs.cli import (
    cli,
    commands,  # noqa: F401  (registers every command)
)
from ssdocs.policy import Policy, load_policy

FIXTURES = Path(__file__).parent / "fixtures"
DEMO = FIXTURES / "history" / "demo"
MINI = ["--checklists", str(FIXTURES / "mini-checklist.yaml")]
DROP = "示例市 2025: 100.0 -> 48.1 (-51.9), max drop 5"


def invoke(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with assessments/demo/<year>.yaml, as the current folder."""
    shutil.copytree(DEMO, tmp_path / "assessments" / "demo")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_folder_gates_the_latest_year(repo: Path) -> None:
    result = invoke("check", "assessments", *MINI, "--max-drop", "5")
    assert result.exit_code == 1
    assert result.output == (
        "FAIL 示例市 2025: 48.1 不合格 (-51.9 vs 2024)\n"
        "\n"
        f"{DROP}\n"
        "policy failed: 1 reason\n"
    )


def test_pass_exits_0(repo: Path) -> None:
    result = invoke("check", "assessments/demo/2024.yaml", *MINI, "--max-drop", "5", "--fail-under", "60")
    assert (result.exit_code, result.output) == (
        0, "PASS 示例市 2024: 100.0 优秀 (+84.3 vs 2023)\npassed: 1 checked (fail-under, max-drop)\n")


def test_no_policy_passes_whatever_the_scores(repo: Path) -> None:
    result = invoke("check", "assessments", *MINI)
    assert (result.exit_code, result.output.splitlines()[-1]) == (0, "passed: 1 checked (no policy rules set)")


def test_all_years_and_every_rule(repo: Path) -> None:
    result = invoke("check", "assessments", *MINI, "--all-years", "--fail-under", "60", "--max-drop", "5",
                    "--no-new-critical", "--min-completeness", "100")
    assert result.exit_code == 1
    assert result.output == (
        "FAIL 示例市 2023: 15.7 不合格\n"
        "PASS 示例市 2024: 100.0 优秀 (+84.3 vs 2023)\n"
        "FAIL 示例市 2025: 48.1 不合格 (-51.9 vs 2024)\n"
        "\n"
        "示例市 2023: score 15.7, fail under 60\n"
        "示例市 2023: red lines failed: MIN-01 (no previous year), no new critical\n"
        "示例市 2025: score 48.1, fail under 60\n"
        f"{DROP}\n"
        "示例市 2025: red lines newly failed since 2024: MIN-01, no new critical\n"
        "policy failed: 5 reasons\n"
    )


def test_min_completeness(repo: Path) -> None:
    path = repo / "assessments" / "demo" / "2025.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  MIN-04: {value: system}\n", ""), encoding="utf-8")
    result = invoke("check", str(path), *MINI, "--min-completeness", "90")
    assert result.exit_code == 1
    assert "示例市 2025: completeness 80.0%, min completeness 90\n" in result.output


def test_config_file_and_cli_override(repo: Path) -> None:
    (repo / "ssdocs.toml").write_text("[check]\nmax-drop = 60\nfail-under = 40\n", encoding="utf-8")
    assert load_policy(folder=repo) == Policy(max_drop=60.0, fail_under=40.0, source=str(repo / "ssdocs.toml"))
    assert invoke("check", "assessments", *MINI).exit_code == 0
    result = invoke("check", "assessments", *MINI, "--max-drop", "5")
    assert result.exit_code == 1 and f"{DROP}\n" in result.output


def test_pyproject_tool_table(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        "[project]\nname = 'x'\n\n[tool.ssdocs.check]\nmax-drop = 5\nno-new-critical = true\n", encoding="utf-8")
    result = invoke("check", "assessments", *MINI)
    assert result.exit_code == 1
    assert result.output.splitlines()[2:] == [
        DROP, "示例市 2025: red lines newly failed since 2024: MIN-01, no new critical", "policy failed: 2 reasons"]


def test_explicit_config(repo: Path) -> None:
    (repo / "ci").mkdir()
    (repo / "ci" / "gate.toml").write_text("[check]\nmax-drop = 5\n", encoding="utf-8")
    result = invoke("check", "assessments", *MINI, "--config", "ci/gate.toml")
    assert result.exit_code == 1 and f"{DROP}\n" in result.output


def test_config_problems_are_located(repo: Path) -> None:
    (repo / "ssdocs.toml").write_text("[check]\nfail-under = 60\nmax_dorp = 5\nmin-completeness = 'all'\n"
                                      "[report]\n", encoding="utf-8")
    result = invoke("check", "assessments", *MINI)
    assert result.exit_code == 2
    assert result.output == (
        "ssdocs.toml:3:1: check.max_dorp: unknown key 'max_dorp'; did you mean 'max-drop'? "
        "(expected one of: fail-under, max-drop, no-new-critical, min-completeness, max-waiver-months, "
        "allow-red-line-waiver, allow-red-line-na)\n"
        "ssdocs.toml:4:1: check.min-completeness: expected a number, got 'all'\n"
        "ssdocs.toml:5:1: report: unknown key 'report' (expected: check)\n"
        "Aborted with 3 errors in 1 file\n"
    )


def test_broken_toml(repo: Path) -> None:
    (repo / "ssdocs.toml").write_text("[check]\nmax-drop = \n", encoding="utf-8")
    result = invoke("check", "assessments", *MINI)
    assert (result.exit_code, result.output) == (
        2, "ssdocs.toml:2:12: invalid TOML: Invalid value\nAborted with 1 error in 1 file\n")


def test_missing_config_file(repo: Path) -> None:
    result = invoke("check", "assessments", *MINI, "--config", "nope.toml")
    assert (result.exit_code, result.output) == (2, "nope.toml: config file not found\n"
                                                    "Aborted with 1 error in 1 file\n")


def test_out_of_range_option_is_a_usage_error(repo: Path) -> None:
    result = invoke("check", "assessments", *MINI, "--fail-under", "120")
    assert result.exit_code == 2
    assert "Invalid value for '--fail-under': 120.0 is not in the range 0<=x<=100." in result.output


def test_invalid_assessment_exits_2_and_writes_no_report(repo: Path) -> None:
    path = repo / "assessments" / "demo" / "2025.yaml"  # the year gated
    path.write_text(path.read_text(encoding="utf-8").replace("{value: B}", "{value: Q}"), encoding="utf-8")
    result = invoke("check", "assessments", *MINI, "--junit", "out/junit.xml", "--max-drop", "5")
    assert result.exit_code == 2
    assert result.output == ("assessments/demo/2025.yaml:13:19: answers.MIN-02.value: expected one of "
                             "D/C/B/A, got 'Q'\nAborted with 1 error in 1 file\n")
    assert not (repo / "out").exists()


def test_reporters_together(repo: Path) -> None:
    result = invoke("check", "assessments", *MINI, "--max-drop", "5", "--junit", "out/junit.xml",
                    "--json", "out/check.json", "--markdown", "out/summary.md")
    assert result.exit_code == 1
    data = json.loads((repo / "out" / "check.json").read_text(encoding="utf-8"))
    assert data["passed"] is False
    assert data["failures"] == [DROP]
    assert data["policy"] == {"fail-under": None, "max-drop": 5.0, "no-new-critical": False,
                              "min-completeness": None, "source": None}
    (year,) = data["years"]
    assert (year["jurisdiction"], year["year"], year["result"]["score"]) == ("demo", 2025, 48.1)
    assert year["change"]["overall"]["delta"] == -51.9
    assert [i["id"] for i in year["change"]["worse"]] == ["MIN-01", "MIN-02"]
    summary = (repo / "out" / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## ssdocs check: ❌ 未通过 / failed (1)\n")
    assert "| 示例市 (demo) | 2025 | 48.1 | -51.9 | 不合格 / Fail | 100.0% | ❌ |\n" in summary
    # a sentence for people, escaped, not a code span in double backticks
    assert "- 示例市 2025: 100.0 -&gt; 48.1 \\(-51.9\\), max drop 5\n" in summary
    assert "``" not in summary
    assert "| 示例市 2024→2025 | MIN-01 | met 100.0 | unmet 0.0 | -100.0 |\n" in summary
    assert "- 示例市 2025: 新增未达标 / newly failed: MIN-01\n" in summary
    assert (repo / "out" / "junit.xml").read_bytes().startswith(b"<?xml version='1.0' encoding='utf-8'?>")


def test_json_to_stdout_keeps_the_exit_code(repo: Path) -> None:
    result = invoke("check", "assessments", *MINI, "--max-drop", "5", "--json", "-")
    assert result.exit_code == 1
    assert json.loads(result.output)["failures"] == [DROP]


def test_markdown_escapes_names(tmp_path: Path) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    text = (DEMO / "2024.yaml").read_text(encoding="utf-8").replace("zh: 示例市", "zh: '示例|市 <b>*x*</b>'")
    (folder / "2024.yaml").write_text(text, encoding="utf-8")
    result = invoke("check", str(folder), *MINI, "--markdown", "-")
    assert result.exit_code == 0
    assert "| 示例\\|市 &lt;b&gt;\\*x\\*&lt;/b&gt; (demo) | 2024 |" in result.output
