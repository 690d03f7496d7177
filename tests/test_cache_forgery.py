"""Issue 18 §2: no verdict from forgeable cache entries; entries read with a bounded decompressor."""

from __future__ import annotations

import shutil
import tracemalloc
import zlib
from pathlib import Path

import click.testing
import pytest
from click.testing import CliRunner

from ssdocs.cli import (
    cli,
    commands,  # noqa: F401  (registers every command)
)
from ssdocs.loading import cache
from ssdocs.loading.checklists import load_checklists
from ssdocs.models.results import AssessmentResult

FIXTURES = Path(__file__).parent / "fixtures"
MINI = ["--checklists", str(FIXTURES / "mini-checklist.yaml")]
FAIL = "FAIL 示例市 2025: 48.1 不合格 (-51.9 vs 2024)"


def invoke(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURES / "history" / "demo", tmp_path / "assessments" / "demo")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SSDOCS_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("SSDOCS_NO_CACHE", raising=False)
    monkeypatch.delenv(cache.KEY_VARIABLE, raising=False)
    return tmp_path


def forge(repo: Path) -> None:
    """What a pull request could plant in a restored cache: 2024's perfect result under 2025's key,
    written without the secret (an unsigned entry, or one signed with a guessed key)."""
    folder = repo / "assessments" / "demo"
    results = cache.ResultCache.for_catalog(list(load_checklists([FIXTURES / "mini-checklist.yaml"]).values()))
    assert results is not None
    good = results.get((folder / "2024.yaml").read_bytes())
    assert good is not None  # the real run stored it
    fake = AssessmentResult.model_validate({**good.model_dump(), "year": 2025, "date": "2026-03-01",
                                            "score": 99.0})
    results.put((folder / "2025.yaml").read_bytes(), fake)
    assert results.get((folder / "2025.yaml").read_bytes()) == fake  # read back by a non-gate reader


def test_a_forged_entry_does_not_change_the_verdict_without_a_key(repo: Path) -> None:
    assert invoke("check", "assessments", *MINI, "--no-new-critical").output.splitlines()[0] == FAIL
    forge(repo)  # the gate still writes entries (unsigned without a key): 2024's is there
    result = invoke("check", "assessments", *MINI, "--no-new-critical")
    assert (result.exit_code, result.output.splitlines()[0]) == (1, FAIL)  # re-scored from the file


def test_a_forged_entry_does_not_change_the_verdict_with_a_key(repo: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.KEY_VARIABLE, "the CI secret")
    assert invoke("check", "assessments", *MINI, "--no-new-critical").exit_code == 1
    monkeypatch.setenv(cache.KEY_VARIABLE, "a guess")
    assert invoke("check", "assessments", *MINI).exit_code == 0  # stores 2024, signed with the guess
    forge(repo)  # signed with the guessed key
    monkeypatch.setenv(cache.KEY_VARIABLE, "the CI secret")
    result = invoke("check", "assessments", *MINI, "--no-new-critical")
    assert (result.exit_code, result.output.splitlines()[0]) == (1, FAIL)


def test_signed_entries_are_used_and_unsigned_ones_are_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = cache.Store(tmp_path)
    monkeypatch.setenv(cache.KEY_VARIABLE, "k1")
    store.write("ab" * 32, b"signed")
    assert store.read("ab" * 32) == b"signed"
    monkeypatch.setenv(cache.KEY_VARIABLE, "k2")
    assert store.read("ab" * 32) is None  # another key: a miss
    monkeypatch.delenv(cache.KEY_VARIABLE)
    assert store.read("ab" * 32) is None  # signed entries are not read as unsigned ones
    store.write("cd" * 32, b"unsigned")
    assert store.read("cd" * 32) == b"unsigned"  # without a key, outside the gate: used
    undo = cache.require_signed()
    try:
        assert store.read("cd" * 32) is None  # the gate without a key reads nothing
    finally:
        undo()
    # An entry moved under another key does not verify either.
    monkeypatch.setenv(cache.KEY_VARIABLE, "k1")
    store.path("ef" * 32).parent.mkdir(parents=True, exist_ok=True)
    store.path("ef" * 32).write_bytes(store.path("ab" * 32).read_bytes())
    assert store.read("ef" * 32) is None


def test_a_zlib_bomb_entry_is_a_miss_in_bounded_memory(tmp_path: Path) -> None:
    store = cache.Store(tmp_path)
    key = "aa" * 32
    body = zlib.compress(b"{" + b" " * 200_000_000, 1)  # under 1 MB on disk, 200 MB inflated
    store.path(key).parent.mkdir(parents=True, exist_ok=True)
    store.path(key).write_bytes(b"SSC5" + bytes(32) + body)
    tracemalloc.start()
    try:
        assert store.read(key) is None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * cache.MAX_CACHE_ENTRY_BYTES
