"""The sharded CI variants, run for real: every shard job in its own folder, the artifacts laid
out as the download step leaves them, then the merge job (batch --merge and the roll-up). The
commands are read from examples/ci/*-sharded.yml. The workflow files themselves are linted in
tests/test_workflow_lint.py (actionlint with ShellCheck, and the GitHub and GitLab schemas)."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO
from ssdocs.loading.checklists import load_checklists

sys.path.insert(0, str(REPO / "benchmarks"))
import synth  # noqa: E402

CI = REPO / "examples" / "ci"
INSTALL = re.compile(r"\b(apt-get|pip install)\b")
JURISDICTIONS = 6


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """assessments/city-N/<year>.yaml for 6 cities × 2 years."""
    root = tmp_path / "repo"
    catalog = load_checklists()
    rng = random.Random(7)
    for year in (2024, 2025):
        base = synth.base_assessment(catalog, year)
        for i in range(JURISDICTIONS):
            folder = root / "assessments" / f"city-{i}"
            folder.mkdir(parents=True, exist_ok=True)
            data = synth.variant(base, catalog, f"city-{i}", f"第{i}市", f"City {i}", rng)
            (folder / f"{year}.yaml").write_text(synth.dump(data), encoding="utf-8")
    return root


def _run(script: str, cwd: Path, extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "CI_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra or {})
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


def _github() -> dict[str, Any]:
    return yaml.safe_load((CI / "github-actions-sharded.yml").read_text(encoding="utf-8"))


def _runs(steps: list[dict[str, Any]]) -> list[str]:
    return [s["run"] for s in steps if "run" in s and not INSTALL.search(s["run"])]


def _check_merged(repo: Path, merge: list[subprocess.CompletedProcess[str]]) -> None:
    assert [r.returncode for r in merge] == [0, 0], [r.stderr for r in merge]
    assert merge[0].stdout.startswith(f"Merged 4 shards: {JURISDICTIONS} jurisdiction-years, 0 failed.\n")
    index = (repo / "reports" / "pdf" / "index.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in index[1:]] == [f"city-{i}" for i in range(JURISDICTIONS)]
    assert len(list((repo / "reports" / "pdf").rglob("*.pdf"))) == JURISDICTIONS
    assert (repo / "reports" / "rollup" / "rollup-latest.pdf").is_file()


def test_github_matrix_then_merge(repo: Path) -> None:
    workflow = _github()
    shards = workflow["jobs"]["shard"]["strategy"]["matrix"]["shard"]
    (build,) = _runs(workflow["jobs"]["shard"]["steps"])
    assert f"--shard \"${{{{ matrix.shard }}}}/{len(shards)}\"" in build
    upload = next(s for s in workflow["jobs"]["shard"]["steps"] if s.get("uses", "").startswith("actions/upload"))
    download = next(s for s in workflow["jobs"]["merge"]["steps"] if s.get("uses", "").startswith("actions/download"))
    assert upload["with"]["include-hidden-files"] is True  # the manifest and the shard record
    for k in shards:  # each on its own machine: a fresh checkout, only the shard's folder uploaded
        machine = repo.parent / f"machine-{k}"
        shutil.copytree(repo, machine)
        done = _run(build.replace("${{ matrix.shard }}", str(k)), machine)
        assert done.returncode == 0, done.stderr
        # download-artifact with a pattern puts each artifact in <path>/<artifact name>/
        name = upload["with"]["name"].replace("${{ matrix.shard }}", str(k))
        shutil.copytree(machine / upload["with"]["path"].replace("${{ matrix.shard }}", str(k)),
                        repo / download["with"]["path"] / name)
    assert workflow["jobs"]["merge"]["needs"] == "shard"
    merge = [_run(script, repo) for script in _runs(workflow["jobs"]["merge"]["steps"])]
    _check_merged(repo, merge)


def test_github_merge_refuses_a_missing_shard(repo: Path) -> None:
    workflow = _github()
    (build,) = _runs(workflow["jobs"]["shard"]["steps"])
    downloaded = repo / "downloaded"
    downloaded.mkdir()
    for k in (1, 2, 4):  # shard 3's job was cancelled: its artifact is missing
        assert _run(build.replace("${{ matrix.shard }}", str(k)), repo).returncode == 0
        shutil.move(repo / "shards" / str(k), downloaded / f"ssdocs-shard-{k}")
    shutil.rmtree(repo / "shards")
    shutil.move(downloaded, repo / "shards")
    merge = _run(_runs(workflow["jobs"]["merge"]["steps"])[0], repo)
    assert merge.returncode == 2
    assert merge.stderr == ("Error: missing shard 3/4 (given 1/4, 2/4, 4/4); download every shard's artifact "
                            "before merging\n")
    assert not (repo / "reports").exists()


def test_gitlab_parallel_then_merge(repo: Path) -> None:
    config = yaml.safe_load((CI / "gitlab-ci-sharded.yml").read_text(encoding="utf-8"))
    total = config["shard"]["parallel"]
    assert total == 4 and config["merge"]["needs"] == ["shard"] and config["merge"]["when"] == "always"
    for k in range(1, total + 1):  # GitLab unpacks every parallel job's artifacts into one workspace
        for line in config["shard"]["script"]:
            done = _run(line, repo, {"CI_NODE_INDEX": str(k), "CI_NODE_TOTAL": str(total)})
            assert done.returncode == 0, done.stderr
    assert config["shard"]["artifacts"]["paths"] == ["shards/"]
    merge = [_run(line, repo) for line in config["merge"]["script"]]
    _check_merged(repo, merge)
