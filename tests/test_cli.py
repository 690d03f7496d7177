"""The CLI: exit codes, exact messages, help text for every command, README coverage."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import ssdocs
from conftest import MINI_ASSESSMENT, MINI_CHECKLIST, REPO
from ssdocs.cli import (
    cli,
    commands,  # noqa: F401  (registers every command)
)

MINI = ["--checklists", str(MINI_CHECKLIST)]


def invoke(*args: str) -> "click.testing.Result":
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_version() -> None:
    result = invoke("--version")
    assert (result.exit_code, result.output) == (0, f"ssdocs, version {ssdocs.__version__}\n")


def test_python_dash_m() -> None:
    done = subprocess.run([sys.executable, "-m", "ssdocs", "--version"], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, f"ssdocs, version {ssdocs.__version__}\n")


def test_validate_ok() -> None:
    result = invoke("validate", str(MINI_ASSESSMENT), *MINI)
    assert (result.exit_code, result.output) == (0, "1 file valid\n")


def test_validate_reports_every_problem_then_a_summary(tmp_path: Path) -> None:
    bad = MINI_ASSESSMENT.read_text(encoding="utf-8").replace("level: city", "levle: city")
    bad = bad.replace("MIN-02: {value: B}", "MIN-02: {value: E}")
    path = tmp_path / "2024.yaml"
    path.write_text(bad, encoding="utf-8")
    result = invoke("validate", str(path), *MINI)
    assert result.exit_code == 2
    assert result.output.replace(str(tmp_path) + "/", "") == (
        "2024.yaml:2:3: jurisdiction.level: required key is missing\n"
        "2024.yaml:4:3: jurisdiction.levle: unknown key 'levle'; did you mean 'level'? "
        "(expected one of: code, insured, level, name, parent, population)\n"
        "2024.yaml:16:19: answers.MIN-02.value: expected one of D/C/B/A, got 'E'\n"
        "Aborted with 3 errors in 1 file\n"
    )


def test_no_traceback_without_debug_and_one_with_it(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: [", encoding="utf-8")
    result = invoke("validate", str(path), *MINI)
    assert result.exit_code == 2 and "Traceback" not in result.output
    debug = invoke("--debug", "validate", str(path), *MINI)
    assert debug.exit_code == 2 and "Traceback" in debug.output


def test_score_table_and_json() -> None:
    table = invoke("score", str(MINI_ASSESSMENT), *MINI)
    assert table.exit_code == 0
    assert "总分 53.7  等级 不合格  完整度 100.0%" in table.output
    english = invoke("score", str(MINI_ASSESSMENT), *MINI, "--lang", "en")
    assert "overall 53.7  grade Fail  completeness 100.0%" in english.output
    data = json.loads(invoke("score", str(MINI_ASSESSMENT), *MINI, "--json").output)
    assert (data["score"], data["grade"], data["checklists"][0]["sections"][1]["score"]) == (53.7, "fail", 50.0)


def test_score_invalid_input_exits_2(tmp_path: Path) -> None:
    result = invoke("score", str(tmp_path / "missing.yaml"), *MINI)
    assert (result.exit_code, result.output) == (2, f"{tmp_path / 'missing.yaml'}: file not found\n"
                                                    "Aborted with 1 error in 1 file\n")


def test_schema_writes_both_schemas(tmp_path: Path) -> None:
    result = invoke("schema", "-o", str(tmp_path))
    assert result.exit_code == 0
    checklist = json.loads((tmp_path / "checklist.schema.json").read_text(encoding="utf-8"))
    assessment = json.loads((tmp_path / "assessment.schema.json").read_text(encoding="utf-8"))
    assert checklist["additionalProperties"] is False
    assert {"jurisdiction", "answers", "checklists"} <= set(assessment["properties"])


def test_committed_schemas_are_current(tmp_path: Path) -> None:
    invoke("schema", "-o", str(tmp_path))
    for name in ("checklist.schema.json", "assessment.schema.json"):
        assert (REPO / "schemas" / name).read_text(encoding="utf-8") == (tmp_path / name).read_text(
            encoding="utf-8"), f"schemas/{name} is stale: run `ssdocs schema`"


def all_commands() -> list[str]:
    return sorted(cli.commands)


@pytest.mark.parametrize("name", all_commands())
def test_every_command_has_help(name: str) -> None:
    command = cli.commands[name]
    assert command.help and len(command.help.strip()) > 20
    result = invoke(name, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


@pytest.mark.parametrize("name", all_commands())
def test_every_command_is_in_the_readme(name: str) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"`ssdocs {re.escape(name)}\b", readme), f"README does not document `ssdocs {name}`"


def test_exit_codes_documented_in_help_and_readme() -> None:
    assert "Exit codes:" in invoke("--help").output
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 3 |"):
        assert code in readme


def test_lazy_command_table_matches_the_registered_commands() -> None:
    from ssdocs.cli import COMMAND_MODULES

    assert sorted(COMMAND_MODULES) == all_commands()
    for name, module in COMMAND_MODULES.items():
        assert cli.commands[name].callback.__module__ == module  # type: ignore[union-attr]


def test_validate_does_not_import_the_renderer() -> None:
    code = ("import sys; from ssdocs.cli import cli; "
            "cli(['validate', 'tests/fixtures/mini-checklist.yaml'], standalone_mode=False); "
            "print(sorted(m for m in ('weasyprint', 'pypdf', 'ssdocs.render.report') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.stdout.splitlines()[-1] == "[]", done.stderr


def test_library_function_behind_every_command() -> None:
    # Each command is a thin shell over the library function of the same name; tests/test_pipeline.py
    # checks that what they print is what that function returns, for valid and invalid inputs.
    import importlib
    import inspect

    homes = {"lint": "ssdocs.lint", "batch": "ssdocs.batch.build", "import-pdf": "ssdocs"}
    for name in all_commands():
        function = getattr(importlib.import_module(homes.get(name, "ssdocs")), name.replace("-", "_"))
        assert inspect.getdoc(function), name
        assert function.__module__.startswith("ssdocs.") and not function.__module__.startswith("ssdocs.cli"), name


def test_import_ssdocs_does_not_load_weasyprint() -> None:
    code = "import sys, ssdocs; print('weasyprint' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout == "False\n"


def test_main_tunes_the_garbage_collector_for_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from ssdocs.cli import main
    from ssdocs.core import process

    calls: list[tuple[int, ...]] = []
    monkeypatch.setattr(gc, "set_threshold", lambda *args: calls.append(args))
    monkeypatch.setitem(process._TUNED, "process", False)  # restored afterwards: other tests are library callers
    monkeypatch.setattr(sys, "argv", ["ssdocs", "--version"])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 0
    assert calls == [(10_000, 50, 100)]
    assert process._TUNED["process"]  # quiet_gc may act in the command's own process


@pytest.mark.parametrize("command", [["check", "examples/assessments"], ["score", "--json",
                                     "examples/assessments/example-city/2025.yaml"]])
def test_a_closed_pipe_ends_the_command_quietly(command: list[str], tmp_path: Path) -> None:
    """`ssdocs check … | head -1`: the reader has gone before ssdocs writes; no traceback, exit 141
    (what a shell reports for a tool that SIGPIPE ended), nothing on stderr."""
    env = {**os.environ, "SSDOCS_CACHE": str(tmp_path / "cache")}
    process = subprocess.Popen([sys.executable, "-m", "ssdocs", *command], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=REPO, env=env)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader goes away at once
    stderr = process.stderr.read()
    assert (process.wait(timeout=120), stderr) == (141, b"")
