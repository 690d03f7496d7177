"""load_history / load_histories: years of one jurisdiction, scored with the versions each names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ssdocs.errors import ValidationFailed
from ssdocs.history import load_histories, load_history, series_of
from ssdocs.loading import load_checklists

FIXTURES = Path(__file__).parent / "fixtures"
DEMO = FIXTURES / "history" / "demo"


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_checklists(FIXTURES / "mini-checklist.yaml")


def test_folder_loads_every_year_sorted(catalog) -> None:  # type: ignore[no-untyped-def]
    history = load_history(DEMO, catalog)
    assert history.jurisdiction == "demo"
    assert history.name.zh == "示例市"
    assert history.years == [2023, 2024, 2025]
    assert [r.score for r in history.results] == [15.7, 100.0, 48.1]
    assert [r.grade for r in history.results] == ["fail", "excellent", "fail"]


def test_file_loads_its_siblings(catalog) -> None:  # type: ignore[no-untyped-def]
    history = load_history(DEMO / "2024.yaml", catalog)
    assert history.years == [2023, 2024, 2025]


def test_previous(catalog) -> None:  # type: ignore[no-untyped-def]
    history = load_history(DEMO, catalog)
    previous = history.previous(2025)
    assert previous is not None and previous.year == 2024
    assert history.previous(2023) is None
    assert history.previous(2030) is not None and history.previous(2030).year == 2025  # type: ignore[union-attr]


def test_tree_gives_one_history_per_jurisdiction(tmp_path: Path, catalog) -> None:  # type: ignore[no-untyped-def]
    shutil.copytree(DEMO, tmp_path / "assessments" / "demo")
    other = tmp_path / "assessments" / "other"
    other.mkdir()
    text = (DEMO / "2024.yaml").read_text(encoding="utf-8").replace("code: demo", "code: other")
    (other / "2024.yaml").write_text(text, encoding="utf-8")
    histories = load_histories(tmp_path / "assessments", catalog)
    assert [(h.jurisdiction, h.years) for h in histories] == [("demo", [2023, 2024, 2025]), ("other", [2024])]


def test_year_must_match_file_name(tmp_path: Path, catalog) -> None:  # type: ignore[no-untyped-def]
    shutil.copy(DEMO / "2024.yaml", tmp_path / "2022.yaml")
    with pytest.raises(ValidationFailed) as info:
        load_history(tmp_path, catalog)
    assert [str(p) for p in info.value.problems] == [
        f"{tmp_path / '2022.yaml'}:5:7: year: the file is named 2022.yaml but says year 2024; "
        "rename it 2024.yaml or fix the year"
    ]


def test_one_jurisdiction_per_folder(tmp_path: Path, catalog) -> None:  # type: ignore[no-untyped-def]
    shutil.copy(DEMO / "2023.yaml", tmp_path / "2023.yaml")
    text = (DEMO / "2024.yaml").read_text(encoding="utf-8").replace("code: demo", "code: other")
    (tmp_path / "2024.yaml").write_text(text, encoding="utf-8")
    # The latest year sets the jurisdiction; an earlier year of another one is left out, located.
    history = load_history(tmp_path, catalog)
    assert (history.jurisdiction, history.years) == ("other", [2024])
    assert history.notes == [
        f"{tmp_path / '2023.yaml'}:2:9: jurisdiction.code: expected 'other' like {tmp_path / '2024.yaml'} "
        "(one jurisdiction per folder), got 'demo'; 2023.yaml is left out of the change and trend"
    ]
    with pytest.raises(ValidationFailed) as info:  # unless every year is asked for
        load_history(tmp_path, catalog, all_years=True)
    assert [str(p) for p in info.value.problems] == [
        f"{tmp_path / '2023.yaml'}:2:9: jurisdiction.code: expected 'other' like {tmp_path / '2024.yaml'} "
        "(one jurisdiction per folder), got 'demo'"
    ]


def test_empty_folder_is_an_error(tmp_path: Path, catalog) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as info:
        load_history(tmp_path, catalog)
    assert str(info.value.problems[0]) == (
        f"{tmp_path}: no assessment files found: expected files named <year>.yaml, e.g. 2024.yaml")


def test_invalid_years_are_reported_together(tmp_path: Path, catalog) -> None:  # type: ignore[no-untyped-def]
    for year in (2023, 2024):
        text = (DEMO / f"{year}.yaml").read_text(encoding="utf-8").replace("MIN-02: {value:", "MIN-02: {value: Z, x:")
        (tmp_path / f"{year}.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:  # the latest year must be valid
        load_history(tmp_path, catalog)
    assert {p.file for p in info.value.problems} == {str(tmp_path / "2024.yaml")}
    with pytest.raises(ValidationFailed) as info:  # every year, when every year is asked for
        load_history(tmp_path, catalog, all_years=True)
    assert {p.file for p in info.value.problems} == {str(tmp_path / "2023.yaml"), str(tmp_path / "2024.yaml")}


def test_series(catalog) -> None:  # type: ignore[no-untyped-def]
    series = series_of(load_history(DEMO, catalog))
    assert [(s.key, s.points) for s in series] == [
        ("overall", ((2023, 15.7), (2024, 100.0), (2025, 48.1))),
        ("mini", ((2023, 15.7), (2024, 100.0), (2025, 48.1))),
    ]


def test_one_folder_per_jurisdiction(tmp_path: Path, catalog) -> None:  # type: ignore[no-untyped-def]
    shutil.copytree(DEMO, tmp_path / "a")
    (tmp_path / "b").mkdir()
    shutil.copy(DEMO / "2024.yaml", tmp_path / "b" / "2024.yaml")
    with pytest.raises(ValidationFailed) as info:
        load_histories(tmp_path, catalog)
    assert [str(p) for p in info.value.problems] == [
        f"{tmp_path / 'b' / '2024.yaml'}: jurisdiction.code: jurisdiction 'demo' is also assessed in "
        f"{tmp_path / 'a'}; keep one folder per jurisdiction"]


def test_a_year_already_loaded_is_not_read_again(catalog, parsed: list[str]) -> None:  # type: ignore[no-untyped-def]
    from ssdocs.history import YearEntry

    whole = load_history(DEMO, catalog)
    parsed.clear()
    current = whole.entries[-1]
    reused = load_history(DEMO / "2025.yaml", catalog, current=YearEntry(
        current.path, current.assessment, current.checklists, current.result))
    assert parsed == ["2023.yaml", "2024.yaml"]
    assert reused == whole
    assert reused.entries[-1].result is current.result
    parsed.clear()
    # Another file than the one given is read as usual.
    load_history(DEMO / "2024.yaml", catalog, until=2024, current=YearEntry(
        DEMO / "elsewhere" / "2024.yaml", current.assessment, current.checklists, current.result))
    assert parsed == ["2023.yaml", "2024.yaml"]
