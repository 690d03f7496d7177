"""The shipped CI files, run for real: a throw-away git repository with three years of 示例市.

The commands are read from examples/ci/*.yml (not copied here), so the test breaks when they drift.
Install lines (apt-get, pip install) are checked, not run: this machine already has ssdocs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from ssdocs.api import score
from ssdocs.loading import load_checklists
from ssdocs.models.checklist import ChoiceItem, GridItem, NumberItem, ScaleItem, YesNoItem

REPO = Path(__file__).parent.parent
CI = REPO / "examples" / "ci"
INSTALL = re.compile(r"\b(apt-get|pip install)\b")
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


# ---------------------------------------------------------------- the example jurisdiction

def _answer(item: Any, good: bool) -> Any:
    if isinstance(item, YesNoItem):
        return "yes" if good else "no"
    if isinstance(item, ScaleItem):
        return item.levels[-1 if good else 0].value
    if isinstance(item, ChoiceItem):
        return (max if good else min)(item.options, key=lambda o: o.score).value
    if isinstance(item, NumberItem):
        band = (max if good else min)(item.bands, key=lambda b: b.score)
        return band.min if band.min is not None else max(0.0, (band.max or 1.0) - 1)
    if isinstance(item, GridItem):  # every cell 10: every ratio 100 %; at worst the scored ratio's numerator 0
        zero = {next(r.numerator for r in item.ratios if r.id == item.scored_by)} if not good else set()
        while zero and (more := {c.id for c in item.columns if c.at_most in zero} - zero):
            zero |= more  # and every cell bounded by it (at_most)
        return {r.id: {c.id: 0 if c.id in zero else 10 for c in item.columns} for r in item.rows}
    return {r.id: {c.id: "yes" if good else "no" for c in item.columns} for r in item.rows}


def example_year(year: int, every: int) -> str:
    """示例市's answers to every shipped checklist: every `every`-th non-critical item at its worst."""
    catalog = load_checklists()
    versions = {cid: max(v for c, v in catalog if c == cid) for cid, _ in catalog}  # the latest of each
    keys = sorted((cid, version) for cid, version in versions.items())
    answers: dict[str, Any] = {}
    n = 0
    for key in keys:
        for _, item in catalog[key].items():
            bad = not item.critical and n % every == 0
            n += 0 if item.critical else 1
            answer: dict[str, Any] = {"value": _answer(item, not bad)}
            if item.evidence_required:
                answer["evidence"] = [{"kind": "document", "title": f"{item.id} 证明材料"}]
            answers[item.id] = answer
    data = {
        "jurisdiction": {"code": "example-city", "name": {"zh": "示例市", "en": "Example City"}, "level": "city"},
        "year": year, "date": f"{year + 1}-03-01", "assessors": [{"name": "张三"}],
        "checklists": [{"id": cid, "version": version} for cid, version in keys],
        "answers": answers,
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=CI", "-c", "user.email=ci@example.org", *args], cwd=repo,
                   check=True, capture_output=True)


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """An assessments repository as users keep it: three improving years and the shipped policy."""
    root = tmp_path / "assessments-repo"
    folder = root / "assessments" / "example-city"
    folder.mkdir(parents=True)
    for year, every in ((2023, 4), (2024, 6), (2025, 10)):
        (folder / f"{year}.yaml").write_text(example_year(year, every), encoding="utf-8")
    shutil.copy(CI / "ssdocs.toml", root / "ssdocs.toml")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "three years of 示例市")
    return root


# ---------------------------------------------------------------- running the CI files

def workflow_env() -> dict[str, str]:
    """The variables both CI files set for every step (the same in both), but SSDOCS, which only
    the install line reads."""
    github = yaml.safe_load((CI / "github-actions.yml").read_text(encoding="utf-8"))["env"]
    gitlab = yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))["variables"]
    # The cache key is a secret: GitHub passes it from `secrets`, GitLab from a CI/CD variable.
    assert github.pop("SSDOCS_CACHE_KEY") == "${{ secrets.SSDOCS_CACHE_KEY }}"
    assert gitlab.pop("GIT_DEPTH") == 0  # GitHub's checkout says fetch-depth: 0 instead
    assert github == gitlab
    return {k: str(v) for k, v in github.items() if k != "SSDOCS"}


def _env(repo: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "CI_"))}
    env.update(workflow_env())
    # The ssdocs console script sits beside this Python (a venv, or the system's bin folder).
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["GITHUB_STEP_SUMMARY"] = str(repo.parent / "step-summary.md")
    env["COLUMNS"] = "200"
    return env


def _run(script: str, repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=repo, env=_env(repo),
                          capture_output=True, text=True, timeout=600)


def github_steps() -> list[dict[str, Any]]:
    workflow = yaml.safe_load((CI / "github-actions.yml").read_text(encoding="utf-8"))
    (job,) = workflow["jobs"].values()
    steps: list[dict[str, Any]] = job["steps"]
    return steps


def _should_run(condition: str | None, failed: bool, repo: Path) -> bool:
    if condition is None:
        return not failed
    expression = condition.strip().removeprefix("${{").removesuffix("}}").strip()
    parts = [p.strip() for p in expression.split("&&")]
    ok = True
    for part in parts:
        if part == "!cancelled()":
            continue
        match = re.fullmatch(r"hashFiles\('([^']+)'\) != ''", part)
        assert match, f"the test does not understand the condition {part!r}"
        ok = ok and (repo / match.group(1)).exists()
    return ok


def run_github(repo: Path) -> dict[str, subprocess.CompletedProcess[str]]:
    """Run the workflow's ssdocs steps in order, honouring `if:`; by step name."""
    done: dict[str, subprocess.CompletedProcess[str]] = {}
    failed = False
    for step in github_steps():
        script = step.get("run")
        if script is None or INSTALL.search(script):
            continue
        if not _should_run(step.get("if"), failed, repo):
            continue
        done[step["name"]] = result = _run(script, repo)
        failed = failed or result.returncode != 0
    return done


def run_gitlab(repo: Path) -> dict[str, list[subprocess.CompletedProcess[str]]]:
    """Run each job's script the way a runner does: stop at the first failing line, then after_script."""
    config = yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))
    done: dict[str, list[subprocess.CompletedProcess[str]]] = {}
    failed = False
    for stage in config["stages"]:
        for name, job in config.items():
            if not isinstance(job, dict) or job.get("stage") != stage:
                continue
            if failed and job.get("when") != "always":
                continue
            results = done.setdefault(name, [])
            for line in job["script"]:
                results.append(_run(line, repo))
                if results[-1].returncode != 0:
                    failed = True
                    break
            for line in job.get("after_script", []):
                _run(line, repo)
    return done


def ssdocs_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("ssdocs ")]


# ---------------------------------------------------------------- the tests

def test_both_ci_files_run_the_same_ssdocs_commands() -> None:
    github = [line for step in github_steps() if "run" in step for line in ssdocs_lines(step["run"])]
    gitlab_config = yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))
    gitlab = [line for job in gitlab_config.values() if isinstance(job, dict) and "script" in job
              for entry in job["script"] for line in ssdocs_lines(entry)]
    expected = [
        "ssdocs validate assessments/*/*.yaml",
        'ssdocs check assessments --changed-since "$SSDOCS_BASE" --junit reports/junit.xml --json reports/check.json '
        "--markdown reports/summary.md",
        "ssdocs trend assessments --csv reports/trend.csv --svg reports/trend.svg",
        "ssdocs batch assessments -o reports/pdf --latest",
    ]
    assert github == expected
    assert gitlab == expected
    install = [s["run"] for s in github_steps() if "run" in s and INSTALL.search(s["run"])]
    assert len(install) == 1 and "fonts-noto-cjk libharfbuzz-subset0" in install[0]
    assert 'pip install "$SSDOCS"' in install[0]
    assert gitlab_config["gate"]["artifacts"]["reports"]["junit"] == "reports/junit.xml"
    uses = {s.get("uses", "").split("@")[0]: s.get("with", {}) for s in github_steps()}
    assert uses["mikepenz/action-junit-report"]["report_paths"] == "reports/junit.xml"
    assert uses["actions/upload-artifact"]["path"] == "reports/"


def test_github_workflow_passes_on_improving_years(repo: Path) -> None:
    steps = run_github(repo)
    assert {name: r.returncode for name, r in steps.items()} == {
        "Validate / 校验": 0,
        "Gate the scores / 评分把关": 0,
        "Trend / 趋势": 0,
        "PDF reports of each jurisdiction's latest year / 各地区最新年度 PDF 报告": 0,
        "Markdown summary / 摘要": 0,
    }
    assert steps["Validate / 校验"].stdout == "3 files valid\n"
    gate = steps["Gate the scores / 评分把关"].stdout
    assert gate.startswith("PASS 示例市 2025: ")
    assert gate.endswith("passed: 1 checked (fail-under, max-drop, no-new-critical, min-completeness; policy from ssdocs.toml)\n")
    summary = (repo.parent / "step-summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## ssdocs check: ✅ 通过 / passed\n")
    assert json.loads((repo / "reports" / "check.json").read_text(encoding="utf-8"))["passed"] is True
    junit = ET.parse(repo / "reports" / "junit.xml").getroot()
    assert [s.get("name") for s in junit.findall("testsuite")] == ["示例市 2025 (example-city)"]
    assert junit.get("errors") == "0"
    trend_csv = (repo / "reports" / "trend.csv").read_text(encoding="utf-8")
    assert trend_csv.count("\nexample-city,示例市,") == len(trend_csv.splitlines()) - 1
    assert ET.parse(repo / "reports" / "trend.svg").getroot().tag == "{http://www.w3.org/2000/svg}svg"
    (pdf,) = (repo / "reports" / "pdf").rglob("*.pdf")
    assert pdf.name == "example-city-2025.pdf"
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "示例市" in text and "2025" in text and "2024" in text  # the change since 2024
    assert (repo / "reports" / "pdf" / "index.html").is_file()
    assert steps["PDF reports of each jurisdiction's latest year / 各地区最新年度 PDF 报告"].stdout.startswith(
        "Built 1, skipped 0 (unchanged), failed 0 of 1 jurisdiction-year (latest years)")


def test_the_next_run_rebuilds_only_what_changed(repo: Path) -> None:
    """Both files keep the batch's output folder and ssdocs' cache between runs: with them
    restored (here: still in the workspace), an unchanged repository builds nothing again, and an
    edited earlier year rebuilds the latest report, which compares with it."""
    cache = workflow_env()["SSDOCS_CACHE"]
    kept = {cache, "reports/pdf"}
    steps = {s.get("uses", "").split("@")[0]: s for s in github_steps()}
    for action in ("actions/cache/restore", "actions/cache/save"):
        assert set(steps[action]["with"]["path"].split()) == kept
    assert steps["actions/cache/save"]["if"] == "${{ !cancelled() }}"
    gitlab_cache = yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))["default"]["cache"]
    assert {p.rstrip("/") for p in gitlab_cache["paths"]} == kept and gitlab_cache["when"] == "always"

    batch = "PDF reports of each jurisdiction's latest year / 各地区最新年度 PDF 报告"
    assert run_github(repo)[batch].stdout.startswith("Built 1, skipped 0 (unchanged)")
    assert list((repo / cache / "results").rglob("*"))  # the scored years, for the next check
    assert run_github(repo)[batch].stdout.startswith("Built 0, skipped 1 (unchanged)")
    earlier = repo / "assessments" / "example-city" / "2024.yaml"
    earlier.write_text(example_year(2024, 5), encoding="utf-8")
    assert run_github(repo)[batch].stdout.startswith("Built 1, skipped 0 (unchanged)")


def test_regression_fails_the_gate_in_both_ci_files(repo: Path) -> None:
    latest = repo / "assessments" / "example-city" / "2025.yaml"
    latest.write_text(example_year(2025, 4), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "2025: a worse year")
    before = score(repo / "assessments" / "example-city" / "2024.yaml").score
    after = score(latest).score
    assert before is not None and after is not None and before - after > 5
    reason = f"示例市 2025: {before:.1f} -> {after:.1f} ({after - before:+.1f}), max drop 5"

    steps = run_github(repo)
    gate = steps["Gate the scores / 评分把关"]
    assert gate.returncode == 1
    assert reason in gate.stdout.splitlines()
    assert gate.stdout.splitlines()[0] == f"FAIL 示例市 2025: {after:.1f} {_grade(after)} ({after - before:+.1f} vs 2024)"
    assert gate.stdout.endswith(" reason\n") or gate.stdout.endswith(" reasons\n")
    # Steps marked !cancelled() still run: the reports show why the gate failed.
    assert steps["Trend / 趋势"].returncode == 0
    assert steps["PDF reports of each jurisdiction's latest year / 各地区最新年度 PDF 报告"].returncode == 0
    shown = reason.replace(">", "&gt;").replace("(", "\\(").replace(")", "\\)")
    assert f"- {shown}\n" in (repo.parent / "step-summary.md").read_text(encoding="utf-8")
    junit = ET.parse(repo / "reports" / "junit.xml").getroot()
    (case,) = [c for c in junit.iter("testcase") if c.get("name") == "max-drop"]
    assert case.find("failure").get("message") == reason  # type: ignore[union-attr]

    shutil.rmtree(repo / "reports")
    jobs = run_gitlab(repo)
    validate, base, gate_line = jobs["gate"]
    assert (validate.returncode, base.returncode, gate_line.returncode) == (0, 0, 1)
    assert reason in gate_line.stdout.splitlines()
    assert [r.returncode for r in jobs["report"]] == [0, 0]
    assert (repo / "reports" / "junit.xml").is_file()
    assert len(list((repo / "reports" / "pdf").rglob("*.pdf"))) == 1


def test_a_later_year_cannot_hide_a_regression(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pull request makes 2025 worse and adds a good 2026: the gate checks 2025 too, because its
    file changed since the base (SSDOCS_BASE: what the GitHub step sets from the event)."""
    base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True,
                          check=True).stdout.strip()
    folder = repo / "assessments" / "example-city"
    (folder / "2025.yaml").write_text(example_year(2025, 2), encoding="utf-8")
    (folder / "2026.yaml").write_text(example_year(2026, 10).replace("'2027-03-01'", "'2026-06-01'"),
                                      encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "a worse 2025 behind a good 2026")
    monkeypatch.setenv("SSDOCS_BASE", base)
    gate = run_github(repo)["Gate the scores / 评分把关"]
    assert gate.returncode == 1
    assert [line.split(":")[0] for line in gate.stdout.splitlines()[:2]] == ["FAIL 示例市 2025", "PASS 示例市 2026"]
    monkeypatch.delenv("SSDOCS_BASE")  # no base known (a first push): the latest years only
    assert run_github(repo)["Gate the scores / 评分把关"].returncode == 0


def test_invalid_assessment_stops_at_validate(repo: Path) -> None:
    path = repo / "assessments" / "example-city" / "2024.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 'yes'", "value: Y", 1), encoding="utf-8")
    steps = run_github(repo)
    validate = steps["Validate / 校验"]
    assert validate.returncode == 2
    assert re.match(r"assessments/example-city/2024\.yaml:\d+:\d+: answers\.[A-Z]+-\d+\.value: expected one of "
                    r"yes/partial/no, got 'Y'; did you mean 'yes'\?\n", validate.stderr)
    assert "Gate the scores / 评分把关" not in steps  # a plain step after a failure does not run
    # !cancelled() steps do: the trend leaves the invalid earlier year out, with the same location.
    trend = steps["Trend / 趋势"]
    assert trend.returncode == 0
    assert re.search(r"warning: assessments/example-city/2024\.yaml:\d+:\d+: answers\.[A-Z]+-\d+\.value: expected "
                     r"one of yes/partial/no, got 'Y'; did you mean 'yes'\?; 2024\.yaml is left out of the change "
                     r"and trend\n",
                     trend.stderr)


def test_pre_commit_hook(repo: Path) -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert (hook["id"], hook["entry"], hook["files"]) == ("ssdocs-validate", "ssdocs validate",
                                                          r"^assessments/.*\.ya?ml$")
    files = [p.relative_to(repo).as_posix() for p in sorted(repo.rglob("*.y*ml")) if ".git" not in p.parts]
    matched = [f for f in files if re.search(hook["files"], f)]
    assert matched == [f"assessments/example-city/{y}.yaml" for y in (2023, 2024, 2025)]
    ok = _run(" ".join([hook["entry"], *matched]), repo)
    assert (ok.returncode, ok.stdout) == (0, "3 files valid\n")
    (repo / matched[0]).write_text("year: [\n", encoding="utf-8")
    bad = _run(" ".join([hook["entry"], *matched]), repo)
    assert bad.returncode == 2 and bad.stderr.startswith("assessments/example-city/2023.yaml:")


def _grade(score: float) -> str:
    return next(label for floor, label in ((90, "优秀"), (75, "良好"), (60, "合格"), (0, "不合格")) if score >= floor)
