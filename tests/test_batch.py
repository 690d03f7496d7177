"""ssdocs batch: discovery, shards, the incremental cache, failures that stay alone, the index."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import MINI_CHECKLIST
from ssdocs.batch import find_jobs, parse_shard, select_shard, shard_of
from ssdocs.batch.cache import BATCH_MANIFEST
from ssdocs.batch.jobs import latest_only, slug
from ssdocs.cli import (
    cli,
    commands,  # noqa: F401  (registers every command)
)
from ssdocs.errors import SsdocsError

MINI = ["--checklists", str(MINI_CHECKLIST)]

ASSESSMENT = """\
jurisdiction:
  code: {code}
  name: {{zh: {zh}, en: {en}}}
  level: {level}
year: {year}
date: {year_after}-03-01
assessors:
  - {{name: 张三}}
checklists:
  - {{id: mini, version: 1.0.0}}
answers:
  MIN-01:
    value: {min01}
    evidence:
      - {{kind: document, title: 追缴办法}}
  MIN-02: {{value: {min02}}}
  MIN-03: {{value: {min03}}}
  MIN-04: {{value: system}}
  MIN-05:
    value:
      audit: {{functions: yes, staffing: yes}}
"""


def assessment(code: str, year: int, *, zh: str = "示例市", en: str = "Example City", level: str = "city",
               min01: str = "yes", min02: str = "A", min03: int = 95) -> str:
    return ASSESSMENT.format(code=code, year=year, year_after=year + 1, zh=zh, en=en, level=level,
                             min01=min01, min02=min02, min03=min03)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    """Three jurisdictions at different depths: alpha (2023, 2024), gd/beta (2024), gd/gamma (2024)."""
    root = tmp_path / "assessments"
    write(root / "alpha" / "2023.yaml", assessment("alpha", 2023, zh="甲市", en="Alpha", min02="C", min03=70))
    write(root / "alpha" / "2024.yaml", assessment("alpha", 2024, zh="甲市", en="Alpha"))
    write(root / "gd" / "beta" / "2024.yaml", assessment("beta", 2024, zh="乙县", en="Beta", level="county",
                                                          min01="no", min02="B"))
    write(root / "gd" / "gamma" / "2024.yaml", assessment("gamma", 2024, zh="丙县", en="Gamma", level="county"))
    write(root / "alpha" / "notes.yaml", "not: an assessment\n")  # not <year>.yaml: ignored
    write(root / ".git" / "x" / "2024.yaml", "ignored: hidden folder\n")
    return root


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["batch", *args], catch_exceptions=False)


def html_batch(root: Path, out: Path, *extra: str) -> Result:
    return run(str(root), "-o", str(out), "--format", "html", "-j", "1", *MINI, *extra)


def summary_line(result: Result) -> str:
    """The counts line, without the timing."""
    line = result.stdout.splitlines()[0]
    return line[: line.index(" in ")]


# -- discovery and shards -------------------------------------------------------------------------

def test_find_jobs_any_depth_sorted_with_siblings(tree: Path, tmp_path: Path) -> None:
    jobs = find_jobs(tree)
    assert [(j.jurisdiction, j.year, j.rel) for j in jobs] == [
        ("alpha", 2023, "alpha/2023.yaml"),
        ("alpha", 2024, "alpha/2024.yaml"),
        ("gd/beta", 2024, "gd/beta/2024.yaml"),
        ("gd/gamma", 2024, "gd/gamma/2024.yaml"),
    ]
    assert jobs[0].siblings == ()  # 2024 is later: a report never reads forward
    assert [p.name for p in jobs[1].siblings] == ["2023.yaml"]
    assert jobs[2].siblings == ()
    assert jobs[2].output_folder == "gd/beta"


def test_find_jobs_skips_the_output_folder_inside_the_tree(tree: Path) -> None:
    write(tree / "out" / "alpha" / "2024.yaml", assessment("alpha", 2024))
    assert len(find_jobs(tree, exclude=tree / "out")) == 4
    assert len(find_jobs(tree)) == 5


def test_batch_and_check_see_the_same_jurisdictions(tree: Path) -> None:
    """One rule for both: a folder whose name starts with "." is skipped, with everything below it,
    even when it holds a valid (here failing) assessment."""
    from ssdocs.history.loading import jurisdiction_folders

    write(tree / ".hidden" / "2024.yaml", assessment("hidden", 2024, min01="no", min02="D", min03=0))
    write(tree / "gd" / ".old" / "delta" / "2024.yaml", assessment("delta", 2024))
    from_batch = sorted({job.path.parent for job in find_jobs(tree)})
    assert from_batch == jurisdiction_folders(tree) == [tree / "alpha", tree / "gd" / "beta", tree / "gd" / "gamma"]
    checked = CliRunner().invoke(cli, ["check", str(tree), *MINI])
    assert "hidden" not in checked.output and "delta" not in checked.output


def test_a_jurisdiction_folder_given_directly(tree: Path) -> None:
    jobs = find_jobs(tree / "alpha")
    assert [(j.jurisdiction, j.rel) for j in jobs] == [("alpha", "2023.yaml"), ("alpha", "2024.yaml")]


def test_slug_keeps_safe_names_and_hashes_others() -> None:
    assert slug("example-city") == "example-city"
    assert slug("广东省") == "广东省"
    assert slug("Example City") == "Example-City-a7009b8a"
    assert slug("Example-City") == "Example-City"  # a different folder, a different output folder
    assert slug("..") == "jurisdiction-" + slug("..")[-8:]
    assert slug("con") == "_con-" + slug("con")[-8:]


def test_parse_shard() -> None:
    assert parse_shard("2/8") == (2, 8)
    assert parse_shard(" 1 / 1 ") == (1, 1)
    for bad, message in (("0/2", "--shard: expected 1 <= K <= N, got 0/2"),
                         ("3/2", "--shard: expected 1 <= K <= N, got 3/2"),
                         ("1-2", "--shard: expected K/N with whole numbers, e.g. 1/4, got '1-2'")):
        with pytest.raises(SsdocsError) as info:
            parse_shard(bad)
        assert str(info.value) == message


def test_shards_partition_the_jobs_and_keep_years_together(tmp_path: Path) -> None:
    root = tmp_path / "t"
    for i in range(40):
        for year in (2023, 2024):
            write(root / f"county-{i:02d}" / f"{year}.yaml", "x: 1\n")
    jobs = find_jobs(root)
    for n in (1, 2, 3, 7):
        shards = [select_shard(jobs, k, n) for k in range(1, n + 1)]
        flat = sorted(j for s in shards for j in s)
        assert flat == jobs  # every job once
        for s in shards:
            names = {j.jurisdiction for j in s}
            assert all(len([j for j in s if j.jurisdiction == name]) == 2 for name in names)
    # A sha256 of the folder: the same on every machine and Python (no PYTHONHASHSEED).
    assert [len(select_shard(jobs, k, 2)) for k in (1, 2)] == [38, 42]
    assert (shard_of("county-00", 2), shard_of("county-00", 7), shard_of("example-city", 4)) == (1, 3, 2)


def test_cli_rejects_a_bad_shard(tree: Path, tmp_path: Path) -> None:
    result = run(str(tree), "-o", str(tmp_path / "o"), "--shard", "0/2")
    assert result.exit_code == 2
    assert "Invalid value for '--shard': expected 1 <= K <= N, got 0/2" in result.stderr


# -- building, skipping, failing ------------------------------------------------------------------

def test_first_run_builds_all_then_everything_is_skipped(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = html_batch(tree, out)
    assert first.exit_code == 0, first.output
    assert summary_line(first) == "Built 4, skipped 0 (unchanged), failed 0 of 4 jurisdiction-years"
    assert first.stdout.splitlines()[1] == f"Index: {out / 'index.html'} and {out / 'index.csv'}"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        ".ssdocs-manifest.json", ".ssdocs-shard.json",
        "alpha/alpha-2023-actions.csv", "alpha/alpha-2023.html",
        "alpha/alpha-2024-actions.csv", "alpha/alpha-2024.html",
        "gd/beta/beta-2024-actions.csv", "gd/beta/beta-2024.html",
        "gd/gamma/gamma-2024-actions.csv", "gd/gamma/gamma-2024.html",
        "index.csv", "index.html",
    ]
    assert "乙县" in (out / "gd/beta/beta-2024.html").read_text(encoding="utf-8")
    second = html_batch(tree, out)
    assert (second.exit_code, summary_line(second)) == (
        0, "Built 0, skipped 4 (unchanged), failed 0 of 4 jurisdiction-years")


def test_changing_one_assessment_rebuilds_only_what_reads_it(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert html_batch(tree, out).exit_code == 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.html")}
    write(tree / "gd/gamma/2024.yaml", assessment("gamma", 2024, zh="丙县", en="Gamma", level="county",
                                                  min02="D"))
    result = html_batch(tree, out)
    assert summary_line(result) == "Built 1, skipped 3 (unchanged), failed 0 of 4 jurisdiction-years"
    changed = sorted(p.relative_to(out).as_posix() for p, t in before.items() if p.stat().st_mtime_ns != t)
    assert changed == ["gd/gamma/gamma-2024.html", "index.html"]
    # alpha/2023 is in the trend and change sections of alpha/2024's report: both read it.
    write(tree / "alpha/2023.yaml", assessment("alpha", 2023, zh="甲市", en="Alpha", min02="B", min03=70))
    result = html_batch(tree, out)
    assert summary_line(result) == "Built 2, skipped 2 (unchanged), failed 0 of 4 jurisdiction-years"
    # ... but alpha/2024 is not in alpha/2023's report: changing it rebuilds 2024 alone.
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.html")}
    write(tree / "alpha/2024.yaml", assessment("alpha", 2024, zh="甲市", en="Alpha", min02="D"))
    result = html_batch(tree, out)
    assert summary_line(result) == "Built 1, skipped 3 (unchanged), failed 0 of 4 jurisdiction-years"
    changed = sorted(p.relative_to(out).as_posix() for p, t in before.items() if p.stat().st_mtime_ns != t)
    assert changed == ["alpha/alpha-2024.html", "index.html"]


def test_a_missing_or_altered_output_is_rebuilt(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert html_batch(tree, out).exit_code == 0
    (out / "gd/beta/beta-2024.html").unlink()
    with (out / "alpha/alpha-2024-actions.csv").open("a", encoding="utf-8") as handle:
        handle.write("edited by hand\n")
    result = html_batch(tree, out)
    assert summary_line(result) == "Built 2, skipped 2 (unchanged), failed 0 of 4 jurisdiction-years"
    assert (out / "gd/beta/beta-2024.html").exists()


def test_force_options_and_checklists_are_part_of_the_key(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert html_batch(tree, out).exit_code == 0
    assert summary_line(html_batch(tree, out, "--force")).startswith("Built 4, skipped 0")
    assert summary_line(html_batch(tree, out, "--lang", "en")).startswith("Built 4, skipped 0")
    assert summary_line(html_batch(tree, out, "--lang", "en")).startswith("Built 0, skipped 4")
    changed = tmp_path / "mini.yaml"
    changed.write_text(MINI_CHECKLIST.read_text(encoding="utf-8").replace("测试用。", "测试用（改）。"),
                       encoding="utf-8")
    result = run(str(tree), "-o", str(out), "--format", "html", "-j", "1", "--lang", "en",
                 "--checklists", str(changed))
    assert summary_line(result).startswith("Built 4, skipped 0")


BAD_VALUE = "{tree}/gd/beta/2024.yaml:16:19: answers.MIN-02.value: expected one of D/C/B/A, got 'Z'"


def test_one_invalid_file_fails_alone_with_its_located_reason(tree: Path, tmp_path: Path) -> None:
    write(tree / "gd/beta/2024.yaml", assessment("beta", 2024, zh="乙县", en="Beta", min02="Z"))
    out = tmp_path / "out"
    result = html_batch(tree, out)
    assert result.exit_code == 2
    assert summary_line(result) == "Built 3, skipped 0 (unchanged), failed 1 of 4 jurisdiction-years"
    assert result.stderr == f"FAILED gd/beta/2024.yaml\n  {BAD_VALUE.format(tree=tree)}\n"
    assert not (out / "gd/beta").exists()
    # The failure is not cached: it is reported again, the others are skipped.
    again = html_batch(tree, out)
    assert (again.exit_code, summary_line(again)) == (
        2, "Built 0, skipped 3 (unchanged), failed 1 of 4 jurisdiction-years")
    index = (out / "index.csv").read_text(encoding="utf-8-sig")
    [beta] = [row for row in csv.DictReader(io.StringIO(index)) if row["jurisdiction"] == "gd/beta"]
    assert (beta["latest_year"], beta["failed"]) == (
        "", "gd/beta/2024.yaml:16:19: answers.MIN-02.value: expected one of D/C/B/A, got 'Z'")
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "gd/beta/2024.yaml:16:19: answers.MIN-02.value: expected one of D/C/B/A, got &#39;Z&#39;" in html


def test_an_invalid_year_leaves_the_other_years_of_its_jurisdiction_built(tree: Path, tmp_path: Path) -> None:
    write(tree / "alpha/2023.yaml", assessment("alpha", 2023, min03=150))
    out = tmp_path / "out"
    result = html_batch(tree, out)
    assert result.exit_code == 2
    assert summary_line(result) == "Built 3, skipped 0 (unchanged), failed 1 of 4 jurisdiction-years"
    assert result.stderr.splitlines() == [
        f"warning: {tree}/alpha/2023.yaml:17:19: answers.MIN-03.value: expected at most 100, got 150; "
        "2023.yaml is left out of the change and trend",
        "FAILED alpha/2023.yaml",
        f"  {tree}/alpha/2023.yaml:17:19: answers.MIN-03.value: expected at most 100, got 150",
    ]
    assert (out / "alpha/alpha-2024.html").exists()


def test_a_year_that_does_not_match_its_file_name_fails(tree: Path, tmp_path: Path) -> None:
    write(tree / "gd/gamma/2024.yaml", assessment("gamma", 2023))
    result = html_batch(tree, tmp_path / "out")
    assert result.exit_code == 2
    assert (f"  {tree}/gd/gamma/2024.yaml:5:7: year: the file is named 2024.yaml but says year 2023; "
            "rename it 2023.yaml or fix the year") in result.stderr.splitlines()


def test_an_unexpected_error_is_exit_3_with_the_traceback(tree: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import ssdocs.pipeline.report

    def broken(*args: object, **kwargs: object) -> list[Path]:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(ssdocs.pipeline.report, "write_report", broken)
    result = html_batch(tree, tmp_path / "out")
    assert result.exit_code == 3
    assert summary_line(result) == "Built 0, skipped 0 (unchanged), failed 4 of 4 jurisdiction-years"
    assert "ERROR alpha/2023.yaml (a bug in ssdocs; please report it with this traceback)" in result.stderr
    assert "RuntimeError: simulated bug" in result.stderr


def test_a_corrupt_manifest_rebuilds_everything_with_a_note(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert html_batch(tree, out).exit_code == 0
    (out / BATCH_MANIFEST).write_text("{not json", encoding="utf-8")
    result = html_batch(tree, out)
    assert summary_line(result).startswith("Built 4, skipped 0")
    assert result.stderr.startswith(f"warning: {out / BATCH_MANIFEST}: unreadable (")
    assert json.loads((out / BATCH_MANIFEST).read_text(encoding="utf-8"))["format"] == 1


def test_usage_errors(tmp_path: Path, tree: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(str(empty), "-o", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert result.stderr == (f"{empty}: no assessment files found: expected <jurisdiction>/<year>.yaml, "
                             "e.g. example-city/2024.yaml\nAborted with 1 error in 1 file\n")
    afile = write(tmp_path / "file.txt", "x")
    result = run(str(tree), "-o", str(afile), *MINI)
    assert result.exit_code == 2
    assert f"Invalid value for '-o' / '--output': Directory '{afile}' is a file." in result.stderr


def test_shards_into_one_folder_make_one_index(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    counts = []
    for k in (1, 2):
        result = html_batch(tree, out, "--shard", f"{k}/2")
        assert result.exit_code == 0
        counts.append(int(summary_line(result).split()[1].rstrip(",")))
    assert sum(counts) == 4
    rows = list(csv.DictReader(io.StringIO((out / "index.csv").read_text(encoding="utf-8-sig"))))
    assert [r["jurisdiction"] for r in rows] == ["alpha", "gd/beta", "gd/gamma"]
    assert summary_line(html_batch(tree, out)).startswith("Built 0, skipped 4")


def test_latest_years_of_every_shard_cover_the_latest_of_the_tree(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    lines = [summary_line(html_batch(tree, out, "--latest", "--shard", f"{k}/2")) for k in (1, 2)]
    assert sum(int(line.split()[1].rstrip(",")) for line in lines) == 3
    assert all(line.endswith("(latest years), shard 1/2") or line.endswith("(latest years), shard 2/2")
               for line in lines)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*-2024.html")) == [
        "alpha/alpha-2024.html", "gd/beta/beta-2024.html", "gd/gamma/gamma-2024.html"]
    assert not list(out.rglob("*-2023.html"))


def test_parallel_workers_build_the_same_pdfs(tree: Path, tmp_path: Path) -> None:
    """Warm workers leak nothing from one document into the next: -j 2 writes the bytes -j 1 does."""
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    assert run(str(tree), "-o", str(serial), "-j", "1", *MINI).exit_code == 0
    result = run(str(tree), "-o", str(parallel), "-j", "2", *MINI)
    assert result.exit_code == 0, result.output
    assert summary_line(result) == "Built 4, skipped 0 (unchanged), failed 0 of 4 jurisdiction-years"
    assert "with 2 workers." in result.stdout
    assert len(list(parallel.rglob("*.pdf"))) == 4
    for path in serial.rglob("*"):
        if path.is_file() and path.name != BATCH_MANIFEST:
            assert path.read_bytes() == (parallel / path.relative_to(serial)).read_bytes(), path


# -- the index ------------------------------------------------------------------------------------

def test_latest_only_keeps_each_jurisdictions_last_year(tree: Path) -> None:
    jobs = latest_only(find_jobs(tree))
    assert [(j.rel, [p.name for p in j.siblings]) for j in jobs] == [
        ("alpha/2024.yaml", ["2023.yaml"]), ("gd/beta/2024.yaml", []), ("gd/gamma/2024.yaml", []),
    ]


def test_latest_builds_only_the_last_years_and_indexes_their_change(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = html_batch(tree, out, "--latest")
    assert first.exit_code == 0, first.output
    assert summary_line(first) == "Built 3, skipped 0 (unchanged), failed 0 of 3 jurisdiction-years (latest years)"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")) == [
        "alpha/alpha-2024.html", "gd/beta/beta-2024.html", "gd/gamma/gamma-2024.html", "index.html"]
    rows = {r["jurisdiction"]: r for r in csv.DictReader(io.StringIO(
        (out / "index.csv").read_text(encoding="utf-8-sig")))}
    # 2023 was not built, but the 2024 report compares with it, and so does the index.
    alpha = rows["alpha"]
    assert (alpha["previous_year"], alpha["previous_score"], alpha["change"], alpha["reports"]) == (
        "2023", "68.5", "+14.8", "alpha/alpha-2024.html")
    assert rows["gd/beta"]["change"] == ""
    assert summary_line(html_batch(tree, out, "--latest")).startswith("Built 0, skipped 3 (unchanged)")
    # An earlier year edited: the latest report, which reads it, is rebuilt; the earlier is not.
    write(tree / "alpha/2023.yaml", assessment("alpha", 2023, zh="甲市", en="Alpha", min02="B", min03=70))
    again = html_batch(tree, out, "--latest")
    assert summary_line(again) == "Built 1, skipped 2 (unchanged), failed 0 of 3 jurisdiction-years (latest years)"
    assert not (out / "alpha/alpha-2023.html").exists()
    # Earlier years' reports from a full run stay, and are listed beside the latest.
    assert summary_line(html_batch(tree, out)).startswith("Built 1, skipped 3 (unchanged)")
    assert summary_line(html_batch(tree, out, "--latest")).startswith("Built 0, skipped 3 (unchanged)")
    rows = {r["jurisdiction"]: r for r in csv.DictReader(io.StringIO(
        (out / "index.csv").read_text(encoding="utf-8-sig")))}
    assert rows["alpha"]["reports"] == "alpha/alpha-2023.html alpha/alpha-2024.html"


def test_index_csv_and_html(tree: Path, tmp_path: Path) -> None:
    write(tree / "gd/gamma/2024.yaml", assessment("gamma", 2024, zh="=HYPERLINK(\"x\")", en="Gamma"))
    out = tmp_path / "out"
    assert html_batch(tree, out).exit_code == 0
    raw = (out / "index.csv").read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["jurisdiction"], r["code"], r["name_zh"], r["level"], r["latest_year"], r["score"],
             r["grade"], r["grade_zh"], r["previous_year"], r["previous_score"], r["change"],
             r["red_lines"], r["report"], r["reports"]) for r in rows] == [
        ("alpha", "alpha", "甲市", "city", "2024", "83.3", "good", "良好", "2023", "68.5", "+14.8", "",
         "alpha/alpha-2024.html", "alpha/alpha-2023.html alpha/alpha-2024.html"),
        ("gd/beta", "beta", "乙县", "county", "2024", "31.5", "fail", "不合格", "", "", "", "MIN-01",
         "gd/beta/beta-2024.html", "gd/beta/beta-2024.html"),
        ("gd/gamma", "gamma", "'=HYPERLINK(\"x\")", "city", "2024", "83.3", "good", "良好", "", "",
         "", "", "gd/gamma/gamma-2024.html", "gd/gamma/gamma-2024.html"),
    ]
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="alpha/alpha-2024.html">2024</a>' in html
    assert '<a href="alpha/alpha-2023.html">2023</a>' in html
    assert "+14.8" in html and "<code>MIN-01</code>" in html
    assert "=HYPERLINK(&#34;x&#34;)" in html  # escaped, not markup
    assert "http" not in html.replace("http-equiv", "")  # standalone: nothing fetched
    assert "<link" not in html and "<script" not in html


def test_pdf_reports_and_questionnaires(tmp_path: Path) -> None:
    from pypdf import PdfReader

    root = tmp_path / "a"
    write(root / "beta" / "2024.yaml", assessment("beta", 2024, zh="乙县", en="Beta", min01="no"))
    out = tmp_path / "out"
    result = run(str(root), "-o", str(out), "-j", "1", "--questionnaires", "--lang", "both", *MINI)
    assert result.exit_code == 0, result.output
    report = PdfReader(out / "beta" / "beta-2024.pdf")
    text = "".join(page.extract_text() for page in report.pages)
    assert "乙县" in text and "Beta" in text and "MIN-01" in text
    questionnaire = PdfReader(out / "beta" / "beta-2024-questionnaire.pdf")
    text = "".join(page.extract_text() for page in questionnaire.pages)
    assert "乙县" in text and "迷你检查表" in text
    entry = json.loads((out / BATCH_MANIFEST).read_text(encoding="utf-8"))["entries"]["beta/2024.yaml"]
    assert sorted(entry["outputs"]) == ["beta/beta-2024-actions.csv", "beta/beta-2024-questionnaire.pdf",
                                        "beta/beta-2024.pdf"]


def test_help_documents_the_exit_codes() -> None:
    result = CliRunner().invoke(cli, ["batch", "--help"])
    assert result.exit_code == 0
    assert "Exit codes:" in result.output
    assert "3  a report failed unexpectedly" in result.output


def test_readme_documents_batch() -> None:
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("<!-- section:batch -->"):readme.index("<!-- /section:batch -->")]
    for words in ("--shard", "--latest", "-j N", ".ssdocs-manifest.json", "index.csv", "Exit codes of `ssdocs batch`"):
        assert words in section


def test_shutil_copy_of_a_tree_is_skipped_by_content(tree: Path, tmp_path: Path) -> None:
    """The cache follows content, not paths' timestamps: a fresh clone of the same files skips."""
    out = tmp_path / "out"
    assert html_batch(tree, out).exit_code == 0
    clone = tmp_path / "clone"
    shutil.copytree(tree, clone)
    assert summary_line(html_batch(clone, out)).startswith("Built 0, skipped 4")


def test_the_shipped_examples(tmp_path: Path) -> None:
    """The example jurisdiction with the shipped checklists: every year built, the index agrees
    with `ssdocs score` on the latest year and with the year before."""
    import ssdocs
    from conftest import REPO

    examples = REPO / "examples" / "assessments"
    years = sorted((examples / "example-city").glob("*.yaml"))
    if not years:
        pytest.skip("examples/assessments/example-city has no assessment yet")
    root = tmp_path / "assessments"
    shutil.copytree(examples, root)
    out = tmp_path / "out"
    result = run(str(root), "-o", str(out), "--format", "html", "-j", "1")
    assert result.exit_code == 0, result.output
    n = len(list(examples.glob("*/*.yaml")))  # example-city and any other example jurisdiction
    assert summary_line(result) == (f"Built {n}, skipped 0 (unchanged), failed 0 of {n} "
                                    f"jurisdiction-year{'s' if n != 1 else ''}")
    latest = ssdocs.score(years[-1])
    rows = list(csv.DictReader(io.StringIO((out / "index.csv").read_text(encoding="utf-8-sig"))))
    [row] = [r for r in rows if r["code"] == "example-city"]
    assert (row["jurisdiction"], row["code"], row["name_zh"], row["latest_year"], row["score"],
            row["grade"], row["red_lines"]) == (
        "example-city", "example-city", "示例市", str(latest.year), f"{latest.score:.1f}", latest.grade,
        " ".join(latest.critical_failures))
    if n > 1:
        previous = ssdocs.score(years[-2])
        assert row["change"] == f"{round(latest.score - previous.score, 1):+.1f}"


def test_chinese_folder_names(tmp_path: Path) -> None:
    """Folders named in Chinese keep their names in the output tree; links are percent-encoded,
    the CSV shows the paths as they are."""
    root = tmp_path / "a"
    write(root / "广东省" / "深 圳" / "2024.yaml", assessment("shenzhen", 2024, zh="深圳市", en="Shenzhen"))
    out = tmp_path / "out"
    assert html_batch(root, out).exit_code == 0
    folder = "广东省/深-圳-" + slug("深 圳")[-8:]
    assert (out / folder / "shenzhen-2024.html").exists()
    [row] = list(csv.DictReader(io.StringIO((out / "index.csv").read_text(encoding="utf-8-sig"))))
    assert (row["jurisdiction"], row["report"]) == ("广东省/深 圳", f"{folder}/shenzhen-2024.html")
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="%E5%B9%BF%E4%B8%9C%E7%9C%81/%E6%B7%B1-%E5%9C%B3-' in html


def test_progress_bar_counts_documents_and_failures_in_both_languages() -> None:
    from ssdocs.batch.build import Planned
    from ssdocs.batch.worker import Outcome
    from ssdocs.cli.batch import _Ticker

    class Bar:
        def __init__(self) -> None:
            self.calls: list[tuple[str, object, object]] = []

        def add_task(self, description: str, total: int) -> int:
            self.calls.append(("add", description, total))
            return 1

        def update(self, task: int, advance: int, description: str) -> None:
            self.calls.append(("update", description, advance))

    bar = Bar()
    ticker = _Ticker(bar)  # type: ignore[arg-type]
    ticker(Planned(jobs=3, to_build=2, skipped=1, workers=2))
    ticker(Outcome("a/2024.yaml", "a", 2024, "built"))
    ticker(Outcome("b/2024.yaml", "b", 2024, "failed", "b/2024.yaml:1:1: bad"))
    assert bar.calls == [
        ("add", "生成报告 / Building reports", 2),
        ("update", "生成报告 / Building reports", 1),
        ("update", "生成报告 / Building reports (失败 1 failed)", 1),
    ]


def test_a_link_planted_in_the_output_folder_is_not_followed(tree: Path, tmp_path: Path) -> None:
    """`ln -s /tmp/victim OUT/alpha`: the batch refuses alpha's reports, writes nothing through it."""
    out, victim = tmp_path / "out", tmp_path / "victim"
    victim.mkdir()
    out.mkdir()
    (out / "alpha").symlink_to(victim)
    result = html_batch(tree, out)
    assert result.exit_code == 2
    assert list(victim.iterdir()) == []
    assert f"{tree / 'alpha' / '2023.yaml'}: refused to write {out / 'alpha' / 'alpha-2023.html'}: " \
           f"{out / 'alpha'} is a symbolic link or not a folder, inside the output folder {out}; remove it" \
        in result.output
    assert (out / "gd" / "beta" / "beta-2024.html").is_file()  # the other jurisdictions are built


def test_shards_run_at_the_same_time_into_one_folder_index_everything(tmp_path: Path) -> None:
    """Two `--shard k/2` processes at once: the manifest and the index end with all eight."""
    import os
    import subprocess
    import sys

    root, out = tmp_path / "in", tmp_path / "out"
    codes = [f"c{i}" for i in range(8)]
    for code in codes:
        write(root / code / "2024.yaml", assessment(code, 2024))
    env = {**os.environ, "SSDOCS_CACHE": str(tmp_path / "cache")}
    runs = [subprocess.Popen([sys.executable, "-m", "ssdocs", "batch", str(root), "-o", str(out), "--format",
                              "html", "-j", "1", "--shard", f"{k}/2", *MINI], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for k in (1, 2)]
    assert [run.wait(timeout=300) for run in runs] == [0, 0]
    rows = list(csv.DictReader(io.StringIO((out / "index.csv").read_text(encoding="utf-8-sig"))))
    assert sorted(row["code"] for row in rows) == codes
    manifest = json.loads((out / BATCH_MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest["entries"]) == [f"{code}/2024.yaml" for code in codes]
