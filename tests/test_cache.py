"""The content-hash cache: catalogs and scored assessments, hits, misses, corruption, read-only."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ssdocs.cli import (
    cli,
    commands,  # noqa: F401  (registers every command)
)
from ssdocs.errors import ValidationFailed
from ssdocs.history import load_history
from ssdocs.loading import cache as cache_module
from ssdocs.loading import checklists as checklists_module
from ssdocs.loading.cache import ResultCache
from ssdocs.loading.checklists import load_checklists
from ssdocs.models.assessment import Assessment

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini-checklist.yaml"
DEMO = FIXTURES / "history" / "demo"
EXAMPLES = Path(__file__).parent.parent / "examples" / "assessments"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SSDOCS_CACHE", str(folder))
    return folder


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def copy_demo(tmp_path: Path) -> Path:
    folder = tmp_path / "tree" / "demo"
    shutil.copytree(DEMO, folder)
    return folder


def test_catalog_is_read_from_the_cache_the_second_time(cache_dir: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    files_first: dict[tuple[str, str], Path] = {}
    first = load_checklists(files=files_first)
    assert len(entries(cache_dir / "catalogs")) == 1
    calls: list[Path] = []
    monkeypatch.setattr(checklists_module, "load_checklist", lambda p: calls.append(p))
    files_second: dict[tuple[str, str], Path] = {}
    second = load_checklists(files=files_second)
    assert calls == []  # nothing parsed: a hit
    assert second == first
    assert list(second) == list(first)
    assert files_second == files_first
    assert len(files_first) == len(first) == 14  # 8 checklists of the 2.0 edition and 6 frozen 1.0.0


def test_a_changed_checklist_is_read_again(cache_dir: Path, tmp_path: Path) -> None:
    checklist = tmp_path / "mini.yaml"
    shutil.copy(MINI, checklist)
    before = load_checklists([checklist])
    text = checklist.read_text(encoding="utf-8")
    assert "迷你检查表" in text
    checklist.write_text(text.replace("迷你检查表", "改过的检查表"), encoding="utf-8")
    after = load_checklists([checklist])
    (old,), (new,) = before.values(), after.values()
    assert old.title.zh == "迷你检查表"
    assert new.title.zh == "改过的检查表"
    assert len(entries(cache_dir / "catalogs")) == 2


def test_an_invalid_catalog_is_not_cached(cache_dir: Path, tmp_path: Path) -> None:
    checklist = tmp_path / "mini.yaml"
    checklist.write_text(MINI.read_text(encoding="utf-8").replace("version: 1.0.0", "version: one"),
                         encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ValidationFailed) as info:
            load_checklists([checklist])
        assert [p.path for p in info.value.problems] == ["version"]
        assert info.value.problems[0].line > 0
    assert entries(cache_dir / "catalogs") == []


def test_history_years_come_from_the_cache(cache_dir: Path, tmp_path: Path, parsed: list[str]) -> None:
    catalog = load_checklists([MINI])
    folder = copy_demo(tmp_path)
    cache = ResultCache.for_catalog(list(catalog.values()))
    assert cache is not None
    uncached = load_history(folder, catalog)
    parsed.clear()
    first = load_history(folder, catalog, cache=cache)
    assert parsed == ["2023.yaml", "2024.yaml", "2025.yaml"]
    assert len(entries(cache_dir / "results")) == 3
    parsed.clear()
    second = load_history(folder, catalog, cache=cache)
    assert parsed == []
    assert second == first == uncached  # comparing the assessments parses the cached years' answers
    # One changed file is read again; the other two still come from the cache.
    changed = folder / "2024.yaml"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    parsed.clear()
    third = load_history(folder, catalog, cache=cache)
    assert parsed == ["2024.yaml"]
    assert third.results == first.results


def test_a_hit_reads_the_answers_again_only_when_asked(cache_dir: Path, tmp_path: Path,
                                                         parsed: list[str]) -> None:
    """Comparing and gating years needs only the scores: an entry holds the result, and a year's
    answers are parsed again from the file's bytes (read anyway for the key) on first use."""
    catalog = load_checklists([MINI])
    folder = copy_demo(tmp_path)
    cache = ResultCache.for_catalog(list(catalog.values()))
    assert cache is not None
    uncached = load_history(folder, catalog)
    load_history(folder, catalog, cache=cache)
    parsed.clear()
    hit = load_history(folder, catalog, cache=cache)
    assert parsed == [] and not any(isinstance(e.source, Assessment) for e in hit.entries)
    assert [e.result for e in hit.entries] == [e.result for e in uncached.entries]
    assert (hit.jurisdiction, hit.name) == (uncached.jurisdiction, uncached.name)
    assert hit.entries[1].assessment == uncached.entries[1].assessment
    assert hit.entries[1].assessment.model_fields_set == uncached.entries[1].assessment.model_fields_set
    assert parsed == ["2024.yaml"]  # parsed once, then kept
    assert isinstance(hit.entries[1].source, Assessment) and not isinstance(hit.entries[0].source, Assessment)


def test_a_changed_checklist_gives_new_results(cache_dir: Path, tmp_path: Path) -> None:
    folder = copy_demo(tmp_path)
    checklist = tmp_path / "mini.yaml"
    shutil.copy(MINI, checklist)
    runner = CliRunner()
    args = ["check", str(folder), "--checklists", str(checklist), "--json", "-"]
    first = json.loads(runner.invoke(cli, args).output)
    text = checklist.read_text(encoding="utf-8")
    assert text.count("\n        weight: 2\n") == 1  # the item MIN-02
    checklist.write_text(text.replace("\n        weight: 2\n", "\n        weight: 9\n"), encoding="utf-8")
    second = json.loads(runner.invoke(cli, args).output)
    uncached = json.loads(runner.invoke(cli, ["--no-cache", *args]).output)
    assert second == uncached
    assert second["years"][0]["result"]["score"] != first["years"][0]["result"]["score"]


def test_a_corrupt_entry_is_ignored_and_replaced(cache_dir: Path, tmp_path: Path, parsed: list[str]) -> None:
    catalog = load_checklists([MINI])
    folder = copy_demo(tmp_path)
    cache = ResultCache.for_catalog(list(catalog.values()))
    assert cache is not None
    first = load_history(folder, catalog, cache=cache)
    stored = entries(cache_dir / "results")
    stored[0].write_bytes(b"not zlib at all")
    stored[1].write_bytes(stored[1].read_bytes()[:40])  # truncated
    import zlib

    stored[2].write_bytes(zlib.compress(b'{"format": "ssdocs-cache-2", "assessment": {}}'))
    parsed.clear()
    second = load_history(folder, catalog, cache=cache)
    assert sorted(parsed) == ["2023.yaml", "2024.yaml", "2025.yaml"]
    assert second == first
    parsed.clear()
    third = load_history(folder, catalog, cache=cache)
    assert parsed == []  # the broken entries were written again
    assert third == first


def test_a_corrupt_catalog_entry_is_ignored(cache_dir: Path) -> None:
    first = load_checklists([MINI])
    (entry,) = entries(cache_dir / "catalogs")
    entry.write_bytes(b"\x78\x9c garbage")
    assert load_checklists([MINI]) == first


@pytest.mark.parametrize("blocked", ["root", "results"])
def test_a_cache_that_cannot_be_written_fails_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       blocked: str) -> None:
    # Running as root, permissions would not stop a write: a file where a folder must go does.
    root = tmp_path / "cache"
    if blocked == "root":
        root.write_text("a file, not a folder")
    else:
        root.mkdir()
        (root / "results").write_text("a file, not a folder")
    monkeypatch.setenv("SSDOCS_CACHE", str(root))
    folder = copy_demo(tmp_path)
    result = CliRunner().invoke(cli, ["check", str(folder), "--checklists", str(MINI)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("PASS 示例市 2025: 48.1")
    again = CliRunner().invoke(cli, ["check", str(folder), "--checklists", str(MINI)])
    assert again.output == result.output


def test_invalid_files_are_never_cached(cache_dir: Path, tmp_path: Path) -> None:
    folder = copy_demo(tmp_path)
    broken = folder / "2024.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("value: yes", "value: Y", 1), encoding="utf-8")
    outputs = []
    for _ in range(2):
        # --all-years: every year is gated, so every year must be valid.
        result = CliRunner().invoke(cli, ["check", str(folder), "--all-years", "--checklists", str(MINI)])
        assert result.exit_code == 2
        outputs.append(result.output)
    assert outputs[0] == outputs[1]
    assert f"{broken}:" in outputs[0]
    assert "expected one of yes/partial/no, got 'Y'" in outputs[0]
    assert entries(cache_dir / "results") == []  # the whole jurisdiction failed: nothing scored


def test_a_cached_year_in_the_wrong_file_is_still_located(cache_dir: Path, tmp_path: Path) -> None:
    catalog = load_checklists([MINI])
    folder = copy_demo(tmp_path)
    cache = ResultCache.for_catalog(list(catalog.values()))
    load_history(folder, catalog, cache=cache)
    (folder / "2025.yaml").rename(folder / "2026.yaml")  # same bytes: a cache hit
    with pytest.raises(ValidationFailed) as info:
        load_history(folder, catalog, cache=cache)
    assert [str(p) for p in info.value.problems] == [
        f"{folder / '2026.yaml'}:5:7: year: the file is named 2026.yaml but says year 2025; "
        "rename it 2025.yaml or fix the year"
    ]


@pytest.mark.parametrize("how", ["option", "environment"])
def test_no_cache_reads_and_writes_nothing(cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           how: str) -> None:
    folder = copy_demo(tmp_path)
    args = ["check", str(folder), "--checklists", str(MINI)]
    if how == "option":
        args.insert(0, "--no-cache")
    else:
        monkeypatch.setenv("SSDOCS_NO_CACHE", "1")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0
    assert entries(cache_dir) == []
    import os

    assert os.environ.get("SSDOCS_NO_CACHE") == (None if how == "option" else "1")  # restored
    monkeypatch.delenv("SSDOCS_NO_CACHE", raising=False)
    assert CliRunner().invoke(cli, ["check", str(folder), "--checklists", str(MINI)]).output == result.output
    assert len(entries(cache_dir / "results")) == 3


def test_examples_round_trip_through_the_cache(cache_dir: Path) -> None:
    catalog = load_checklists()
    cache = ResultCache.for_catalog(list(catalog.values()))
    assert cache is not None
    for folder in sorted(p for p in EXAMPLES.iterdir() if p.is_dir()):
        fresh = load_history(folder, catalog)
        load_history(folder, catalog, cache=cache)
        cached = load_history(folder, catalog, cache=cache)
        assert cached == fresh
        for entry in fresh.entries:
            assert cache.get(entry.path.read_bytes()) == entry.result
        for hit, entry in zip(cached.entries, fresh.entries, strict=True):
            assert hit.assessment.model_fields_set == entry.assessment.model_fields_set
            fields = [a.model_fields_set for a in entry.assessment.answers.values()]
            assert [a.model_fields_set for a in hit.assessment.answers.values()] == fields


def test_the_switch_turns_the_cache_off(cache_dir: Path) -> None:
    cache_module.set_enabled(False)
    try:
        assert ResultCache.for_catalog([]) is None
        load_checklists([MINI])
        assert entries(cache_dir) == []
    finally:
        cache_module.set_enabled(True)


def test_results_of_other_builds_unused_for_a_month_are_deleted(cache_dir: Path, tmp_path: Path) -> None:
    import os
    import time

    catalog = load_checklists([MINI])
    results = cache_dir / "results"
    old, recent = results / "0123456789abcdef", results / "fedcba9876543210"
    for folder, days in ((old, cache_module.KEEP_DAYS + 1), (recent, cache_module.KEEP_DAYS - 1)):
        (folder / "ab").mkdir(parents=True)
        (folder / "ab" / "entry").write_bytes(b"x")
        then = time.time() - days * 86_400
        os.utime(folder, (then, then))
    cache = ResultCache.for_catalog(list(catalog.values()))
    assert cache is not None
    load_history(copy_demo(tmp_path), catalog, cache=cache)
    assert sorted(p.name for p in results.iterdir()) == sorted([recent.name, cache.where.folder.name])
    assert cache.where.folder.parent == results
    assert len(entries(cache.where.folder)) == 3
