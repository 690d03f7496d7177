"""One pipeline: every command and the library give the same answer, and the CLI prints what the library returns.

The case from issue 19: a broken 2024.yaml between a valid 2023 and 2025. The year asked for (2025)
must be valid; the broken earlier year is left out with the same located warning everywhere, and
2025 is compared with 2023, the latest valid year before it.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import ssdocs
from conftest import FIXTURES, MINI_CHECKLIST
from ssdocs.cli import cli
from ssdocs.cli import commands as _commands  # noqa: F401  (registers every command)
from ssdocs.errors import ValidationFailed
from ssdocs.policy import Policy

DEMO = FIXTURES / "history" / "demo"
MINI = ["--checklists", str(MINI_CHECKLIST)]
BROKEN_AT = ":16:19: answers.MIN-02.value: expected one of D/C/B/A, got 'Z'"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture()
def city(tmp_path: Path) -> Path:
    """<tmp>/tree/demo/{2023,2024,2025}.yaml with 2024 invalid."""
    folder = tmp_path / "tree" / "demo"
    shutil.copytree(DEMO, folder)
    broken = folder / "2024.yaml"
    text = broken.read_text(encoding="utf-8")
    assert text.splitlines()[15] == "  MIN-02: {value: A}"  # the fixture as this test expects it
    broken.write_text(text.replace("MIN-02: {value: A}", "MIN-02: {value: Z}"), encoding="utf-8")
    return folder


def note(city: Path) -> str:
    return f"{city / '2024.yaml'}{BROKEN_AT}; 2024.yaml is left out of the change and trend"


def test_report_leaves_the_broken_earlier_year_out_with_a_warning(city: Path, tmp_path: Path) -> None:
    result = run("report", str(city / "2025.yaml"), "-o", str(tmp_path / "cli"), "--format", "html", *MINI)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"warning: {note(city)}\n"
    html = (tmp_path / "cli" / "demo-2025.html").read_text(encoding="utf-8")
    assert "上一年度（2023）" in html
    written = ssdocs.report(city / "2025.yaml", tmp_path / "lib", fmt="html", checklist_sources=[MINI_CHECKLIST])
    assert written.notes == [note(city)]
    assert [p.name for p in written] == ["demo-2025.html", "demo-2025-actions.csv"]
    assert result.stdout.splitlines() == [str(tmp_path / "cli" / p.name) for p in written]
    assert (tmp_path / "lib" / "demo-2025.html").read_text(encoding="utf-8") == html


def test_report_of_the_broken_year_itself_fails_located(city: Path, tmp_path: Path) -> None:
    result = run("report", str(city / "2024.yaml"), "-o", str(tmp_path / "out"), "--format", "html", *MINI)
    assert result.exit_code == 2
    assert result.stderr == f"{city / '2024.yaml'}{BROKEN_AT}\nAborted with 1 error in 1 file\n"
    with pytest.raises(ValidationFailed) as info:
        ssdocs.report(city / "2024.yaml", tmp_path / "lib", fmt="html", checklist_sources=[MINI_CHECKLIST])
    assert [str(p) for p in info.value.problems] == [f"{city / '2024.yaml'}{BROKEN_AT}"]


def test_batch_builds_2025_compared_with_2023_with_the_same_warning(city: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("batch", str(city.parent), "-o", str(out), "--format", "html", "-j", "1", *MINI)
    assert result.exit_code == 2  # the 2024 job itself fails
    assert result.stderr.splitlines() == [
        f"warning: {note(city)}",
        "FAILED demo/2024.yaml",
        f"  {city / '2024.yaml'}{BROKEN_AT}",
    ]
    assert "上一年度（2023）" in (out / "demo" / "demo-2025.html").read_text(encoding="utf-8")
    single = run("report", str(city / "2025.yaml"), "-o", str(tmp_path / "one"), "--format", "html", *MINI)
    assert (out / "demo" / "demo-2025.html").read_bytes() == (tmp_path / "one" / "demo-2025.html").read_bytes()
    assert single.exit_code == 0


def test_check_gates_2025_against_2023_with_the_same_warning(city: Path, tmp_path: Path) -> None:
    result = run("check", str(city), "--max-drop", "100", *MINI)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"warning: {note(city)}\n"
    assert result.stdout.splitlines()[0] == "PASS 示例市 2025: 48.1 不合格 (+32.4 vs 2023)"
    done = ssdocs.check([city], Policy(max_drop=100.0), checklist_sources=[MINI_CHECKLIST])
    assert (done.notes, done.lines, done.passed) == ([note(city)], [result.stdout.splitlines()[0]], True)


def test_trend_shows_2023_and_2025_with_the_same_warning(city: Path) -> None:
    result = run("trend", str(city), "--csv", "-", *MINI)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"warning: {note(city)}\n"
    years = {row.split(",")[2] for row in result.stdout.splitlines()[1:]}
    assert years == {"2023", "2025"}
    stream = io.BytesIO()
    done = ssdocs.trend(city, checklist_sources=[MINI_CHECKLIST], csv="-", table=False, stream=stream)
    assert done.notes == [note(city)]
    assert stream.getvalue() == result.stdout_bytes  # the CSV's CRLF line ends too (result.stdout has \n)


def test_every_year_gated_must_be_valid(city: Path) -> None:
    result = run("check", str(city), "--all-years", *MINI)
    assert result.exit_code == 2
    assert result.stderr == f"{city / '2024.yaml'}{BROKEN_AT}\nAborted with 1 error in 1 file\n"


# -- the CLI prints what the library returns ----------------------------------------------------

def test_check_json_on_stdout_is_the_librarys(tmp_path: Path) -> None:
    result = run("check", str(DEMO), "--max-drop", "5", "--json", "-", *MINI)
    stream = io.BytesIO()
    done = ssdocs.check([DEMO], Policy(max_drop=5.0), checklist_sources=[MINI_CHECKLIST], json="-", stream=stream)
    assert result.exit_code == (0 if done.passed else 1) == 1
    assert result.stdout == stream.getvalue().decode("utf-8")
    assert json.loads(result.stdout)["failures"] == [f.message for f in done.failures]


def test_check_junit_items_failures_is_the_librarys(tmp_path: Path) -> None:
    # main's --junit-items (issue 20) goes through the pipeline: the CLI writes what ssdocs.check writes.
    result = run("check", str(DEMO / "2025.yaml"), "--junit", str(tmp_path / "cli.xml"), "--junit-items",
                 "failures", *MINI)
    ssdocs.check([DEMO / "2025.yaml"], Policy(), checklist_sources=[MINI_CHECKLIST], junit=str(tmp_path / "lib.xml"),
                 junit_items="failures")
    cli_xml = (tmp_path / "cli.xml").read_bytes()
    assert result.exit_code == 0, result.output
    assert cli_xml == (tmp_path / "lib.xml").read_bytes()
    skipped = tmp_path / "skipped.xml"
    ssdocs.check([DEMO / "2025.yaml"], Policy(), checklist_sources=[MINI_CHECKLIST], junit=str(skipped))
    assert b"<failure" in cli_xml and b"<failure" not in skipped.read_bytes()


def test_check_reads_only_signed_cache_entries_while_it_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    # hostile's rule (issue 18) is the pipeline's: the library's check, not only the CLI, reads no
    # unsigned entry, and leaves the process as it found it.
    import os

    from ssdocs.loading import cache

    seen: list[str | None] = []
    real = cache.ResultCache.for_catalog

    def spy(*args: object, **kwargs: object) -> cache.ResultCache:
        seen.append(os.environ.get(cache._SIGNED_ONLY))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.delenv(cache._SIGNED_ONLY, raising=False)
    monkeypatch.setattr(cache.ResultCache, "for_catalog", spy)
    ssdocs.check([DEMO], Policy(), checklist_sources=[MINI_CHECKLIST], workers=1)
    assert seen and set(seen) == {"1"}
    assert cache._SIGNED_ONLY not in os.environ


def test_report_draft_warning_goes_to_warn_and_stderr(tmp_path: Path) -> None:
    # finish's draft mark (issue 20) is a pipeline step: the library calls warn=, the CLI prints it.
    partial = tmp_path / "demo" / "2025.yaml"
    partial.parent.mkdir()
    text = (DEMO / "2025.yaml").read_text(encoding="utf-8")
    partial.write_text(text.replace("  MIN-03: {value: 95}\n", ""), encoding="utf-8")  # one item unanswered
    result = run("report", str(partial), "-o", str(tmp_path / "cli"), "--format", "html", "--draft-below", "100",
                 *MINI)
    warnings: list[str] = []
    written = ssdocs.report(partial, tmp_path / "lib", fmt="html", checklist_sources=[MINI_CHECKLIST],
                            draft_below=100, warn=warnings.append)
    assert result.exit_code == 0, result.output
    assert len(warnings) == 1 and warnings[0].startswith(f"{written[0]}: marked as a DRAFT (草稿): only ")
    assert result.stderr == "warning: " + warnings[0].replace(str(tmp_path / "lib"), str(tmp_path / "cli")) + "\n"


def test_check_verdict_lines_are_the_librarys() -> None:
    result = run("check", str(DEMO), "--max-drop", "5", *MINI)
    done = ssdocs.check([DEMO], Policy(max_drop=5.0), checklist_sources=[MINI_CHECKLIST])
    assert result.exit_code == 1
    assert result.stdout == "\n".join([*done.lines, "", *(f.message for f in done.failures),
                                       "policy failed: 1 reason"]) + "\n"


def test_trend_json_and_table_are_the_librarys(tmp_path: Path) -> None:
    result = run("trend", str(DEMO), "--json", "-", "--lang", "en", *MINI)
    stream = io.BytesIO()
    ssdocs.trend(DEMO, checklist_sources=[MINI_CHECKLIST], json="-", table=False, lang="en", stream=stream)
    assert result.stdout == stream.getvalue().decode("utf-8")
    table = run("trend", str(DEMO), "--lang", "en", *MINI)
    stream = io.BytesIO()
    ssdocs.trend(DEMO, checklist_sources=[MINI_CHECKLIST], lang="en", stream=stream)
    assert table.stdout == stream.getvalue().decode("utf-8")
    assert "Overall" in table.stdout


@pytest.mark.parametrize("command", ["check", "trend"])
def test_invalid_input_is_the_same_error_from_cli_and_library(command: str, tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    (folder / "2025.yaml").write_text("jurisdiction: [broken\n", encoding="utf-8")
    result = run(command, str(folder), *MINI)
    with pytest.raises(ValidationFailed) as info:
        if command == "check":
            ssdocs.check([folder], Policy(), checklist_sources=[MINI_CHECKLIST])
        else:
            ssdocs.trend(folder, checklist_sources=[MINI_CHECKLIST])
    assert result.exit_code == 2
    assert result.stderr == "".join(f"{p}\n" for p in info.value.problems) + f"{info.value.summary}\n"
    assert re.match(rf"{re.escape(str(folder / '2025.yaml'))}:\d+:\d+: ", result.stderr)


def test_validate_and_score_print_what_the_library_returns(tmp_path: Path) -> None:
    bad = tmp_path / "2025.yaml"
    bad.write_text((DEMO / "2025.yaml").read_text(encoding="utf-8").replace("{value: B}", "{value: Z}"),
                   encoding="utf-8")
    result = run("validate", str(bad), *MINI)
    problems = ssdocs.validate([bad], ssdocs.load_checklists([MINI_CHECKLIST]))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[:-1] == [str(p) for p in problems]
    scored = run("score", str(DEMO / "2025.yaml"), "--json", *MINI)
    expected = ssdocs.score(DEMO / "2025.yaml", ssdocs.load_checklists([MINI_CHECKLIST]))
    assert json.loads(scored.stdout) == expected.model_dump(mode="json")
