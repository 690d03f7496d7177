"""Shared fixtures: paths to the sample files and a catalog of the mini checklist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from ssdocs.loading.checklists import Catalog, load_checklists
from ssdocs.models import Answer, Assessment, Checklist, GridItem, MatrixItem, NumberItem, ScaleItem

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
REPO = TESTS.parent
MINI_CHECKLIST = FIXTURES / "mini-checklist.yaml"
MINI_ASSESSMENT = FIXTURES / "mini-assessment.yaml"


@pytest.fixture(scope="session", autouse=True)
def _cache_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test's cache (catalogs, results, compiled templates) in one temporary folder, never
    the user's ~/.cache; tests of the cache itself point $SSDOCS_CACHE elsewhere."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("ssdocs-cache")
        patch.setenv("SSDOCS_CACHE", str(folder))
        patch.delenv("SSDOCS_NO_CACHE", raising=False)
        yield folder


@pytest.fixture(scope="session")
def mini_catalog() -> Catalog:
    return load_checklists([MINI_CHECKLIST])


def assessment_for(checklist: Checklist, answers: dict[str, object]) -> Assessment:
    """An assessment of one checklist with the given raw answers."""
    return Assessment.model_validate({
        "jurisdiction": {"code": "t", "name": {"zh": "测试市", "en": "Test City"}, "level": "city"},
        "year": 2024,
        "date": dt.date(2025, 1, 15),
        "assessors": [{"name": "测试"}],
        "checklists": [{"id": checklist.id, "version": checklist.version}],
        "answers": {k: Answer.model_validate(v) for k, v in answers.items()},
    })


def best_answers(checklist: Checklist) -> dict[str, object]:
    """The best possible answer to every item, with evidence."""
    evidence = [{"kind": "document", "title": "文件", "number": "测发〔2024〕1号"}]
    answers: dict[str, object] = {}
    for _, item in checklist.items():
        value: object
        if item.type == "yes_no":
            value = "yes"
        elif isinstance(item, ScaleItem):
            value = item.levels[-1].value
        elif item.type == "choice":
            value = max(item.options, key=lambda o: o.score).value  # type: ignore[union-attr]
        elif isinstance(item, NumberItem):
            best = max(item.bands, key=lambda b: b.score)
            value = best.min if best.min is not None else (best.max or 1) - 1
        elif isinstance(item, GridItem):  # every cell the same number: every ratio is 100 %
            cell = {c.id: max(c.minimum or 0, min(10, c.maximum if c.maximum is not None else 10))
                    for c in item.columns}
            value = {r.id: dict(cell) for r in item.rows}
        else:
            assert isinstance(item, MatrixItem)
            value = {r.id: {c.id: "yes" for c in item.columns} for r in item.rows}
        answers[item.id] = {"value": value, "evidence": evidence}
    return answers


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files whose YAML `load_history` parses (a cache hit or a reused year parses nothing)."""
    from ssdocs.history import loading as history_loading

    seen: list[str] = []
    real = history_loading.parse_yaml

    def spy(text: str, file: str):  # type: ignore[no-untyped-def]
        seen.append(Path(file).name)
        return real(text, file)

    monkeypatch.setattr(history_loading, "parse_yaml", spy)
    return seen
