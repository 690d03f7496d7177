"""Loading: every kind of problem, with its exact message and location."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from conftest import MINI_ASSESSMENT, MINI_CHECKLIST
from ssdocs import api
from ssdocs.errors import ValidationFailed
from ssdocs.loading import load_yaml
from ssdocs.loading.checklists import Catalog, load_checklists
from ssdocs.loading.yamlio import parse_yaml

HEADER = """\
jurisdiction:
  code: demo
  name: {zh: 示例市, en: Example City}
  level: city
year: 2024
date: 2025-03-01
assessors:
  - {name: 张三}
checklists:
  - {id: mini, version: 1.0.0}
"""


def problems(tmp_path: Path, text: str, catalog: Catalog) -> list[str]:
    path = tmp_path / "a.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return [str(p).replace(str(tmp_path) + "/", "") for p in api.validate([path], catalog)]


def test_valid_fixture_has_no_problems(mini_catalog: Catalog) -> None:
    assert api.validate([MINI_ASSESSMENT], mini_catalog) == []


def test_yes_stays_text_not_a_boolean(mini_catalog: Catalog) -> None:
    assessment = api.load_assessment(MINI_ASSESSMENT, mini_catalog)
    cell = assessment.answers["MIN-05"].value["audit"]["functions"]  # type: ignore[index]
    assert cell == "yes"


def test_duplicate_key_is_located_and_names_the_first(tmp_path: Path, mini_catalog: Catalog) -> None:
    text = HEADER + "answers:\n  MIN-02: {value: B}\n  MIN-02: {value: C}\n"
    assert problems(tmp_path, text, mini_catalog) == [
        "a.yaml:13:3: answers.MIN-02: duplicate key 'MIN-02' (first defined at line 12); "
        "YAML keeps only the last one, so remove or rename one"
    ]


def test_unknown_key_suggests_the_closest(tmp_path: Path, mini_catalog: Catalog) -> None:
    text = HEADER.replace("level: city", "levle: city")
    assert problems(tmp_path, text, mini_catalog) == [
        "a.yaml:2:3: jurisdiction.level: required key is missing",
        "a.yaml:4:3: jurisdiction.levle: unknown key 'levle'; did you mean 'level'? "
        "(expected one of: code, insured, level, name, parent, population)",
    ]


def test_wrong_type_and_bad_enum(tmp_path: Path, mini_catalog: Catalog) -> None:
    text = HEADER.replace("year: 2024", "year: [2024]").replace("level: city", "level: town")
    assert problems(tmp_path, text, mini_catalog) == [
        "a.yaml:4:10: jurisdiction.level: expected 'national', 'province', 'city' or 'county', got 'town'",
        "a.yaml:5:7: year: expected a valid integer, got a list",
    ]


def test_impossible_date(tmp_path: Path, mini_catalog: Catalog) -> None:
    text = HEADER.replace("date: 2025-03-01", "date: 2025-02-30")
    assert problems(tmp_path, text, mini_catalog) == [
        "a.yaml:6:7: date: expected a real date as YYYY-MM-DD, got '2025-02-30' "
        "(day is out of range for month)"
    ]


def test_checklist_version_mismatch(tmp_path: Path, mini_catalog: Catalog) -> None:
    text = HEADER.replace("1.0.0", "1.1.0")
    assert problems(tmp_path, text, mini_catalog) == [
        "a.yaml:10:25: checklists[0].version: checklist mini has no version 1.1.0, expected one of 1.0.0"
    ]


def test_unknown_checklist(tmp_path: Path, mini_catalog: Catalog) -> None:
    text = HEADER.replace("id: mini", "id: minni")
    assert problems(tmp_path, text, mini_catalog) == [
        "a.yaml:10:10: checklists[0].id: unknown checklist 'minni'; did you mean 'mini'? (expected one of: mini)"
    ]


def test_answer_values_checked_against_the_item(tmp_path: Path, mini_catalog: Catalog) -> None:
    text = HEADER + textwrap.dedent("""\
        answers:
          MIN-02: {value: E}
          MIN-03: {value: 120}
          MIN-04: {value: sometimes}
          MIN-05: {value: {audti: {functions: yes}, tax: {staffing: maybe}}}
          MIN-99: {value: yes}
        """)
    assert problems(tmp_path, text, mini_catalog) == [
        "a.yaml:12:19: answers.MIN-02.value: expected one of D/C/B/A, got 'E'",
        "a.yaml:13:19: answers.MIN-03.value: expected at most 100, got 120",
        "a.yaml:14:19: answers.MIN-04.value: expected one of none/manual/system, got 'sometimes'",
        "a.yaml:15:20: answers.MIN-05.value.audti: unknown row 'audti'; did you mean 'audit'? "
        "(expected one of: audit, tax)",
        "a.yaml:15:61: answers.MIN-05.value.tax.staffing: expected one of yes/no/na, got 'maybe'",
        "a.yaml:16:3: answers.MIN-99: unknown item id 'MIN-99'; did you mean 'MIN-05'?",
    ]


def test_missing_required_evidence(tmp_path: Path, mini_catalog: Catalog) -> None:
    text = HEADER + "answers:\n  MIN-01: {value: yes}\n"
    assert problems(tmp_path, text, mini_catalog) == [
        "a.yaml:12:3: answers.MIN-01: item MIN-01 requires evidence for this answer: "
        "add at least one entry under evidence"
    ]


def test_no_needs_no_evidence(tmp_path: Path, mini_catalog: Catalog) -> None:
    assert problems(tmp_path, HEADER + "answers:\n  MIN-01: {value: no}\n", mini_catalog) == []


def test_value_and_na_together(tmp_path: Path, mini_catalog: Catalog) -> None:
    text = HEADER + "answers:\n  MIN-02: {value: B, na: 不适用}\n"
    assert problems(tmp_path, text, mini_catalog) == [
        "a.yaml:12:11: answers.MIN-02: give either a value or na (with its reason), not both"
    ]


def test_boolean_value_is_a_type_error(tmp_path: Path, mini_catalog: Catalog) -> None:
    text = HEADER + "answers:\n  MIN-02: {value: true}\n"
    assert problems(tmp_path, text, mini_catalog) == [
        "a.yaml:12:19: answers.MIN-02.value: expected text, a whole number, a number or a mapping, got True"
    ]


def test_every_problem_of_a_file_is_reported_together(tmp_path: Path, mini_catalog: Catalog) -> None:
    text = HEADER.replace("level: city", "level: town") + "answers:\n  MIN-02: {value: E}\n  MIN-02: {}\n"
    found = problems(tmp_path, text, mini_catalog)
    assert [p.split(": ")[1] for p in found] == ["jurisdiction.level", "answers.MIN-02.value", "answers.MIN-02"]


def test_invalid_yaml_is_located(tmp_path: Path, mini_catalog: Catalog) -> None:
    assert problems(tmp_path, "a: [1, 2\nb: 3\n", mini_catalog) == [
        "a.yaml:2:2: invalid YAML: did not find expected ',' or ']'; the '[' on the line before is never "
        "closed: end that line with ']'"
    ]


def test_tab_indentation_says_so(tmp_path: Path, mini_catalog: Catalog) -> None:
    found = problems(tmp_path, "jurisdiction:\n\tcode: demo\n", mini_catalog)
    assert len(found) == 1 and found[0].startswith("a.yaml:2:1: invalid YAML:")
    assert "use spaces" in found[0]


def test_missing_file(tmp_path: Path, mini_catalog: Catalog) -> None:
    assert [str(p) for p in api.validate([tmp_path / "nope.yaml"], mini_catalog)] == [
        f"{tmp_path / 'nope.yaml'}: file not found"
    ]


def test_bom_is_accepted(tmp_path: Path, mini_catalog: Catalog) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINI_ASSESSMENT.read_bytes())
    assert api.validate([path], mini_catalog) == []


def test_marks_point_at_values(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a:\n  b: [1, {c: 2}]\n", encoding="utf-8")
    doc = load_yaml(path)
    assert doc.data == {"a": {"b": [1, {"c": 2}]}}
    assert doc.locate(("a", "b", 1, "c")) == (2, 14)
    assert doc.locate(("a", "zzz")) == doc.marks[("a",)]


def test_checklist_problems(tmp_path: Path) -> None:
    text = MINI_CHECKLIST.read_text(encoding="utf-8")
    bad = text.replace("critical_cap: pass", "critical_cap: best")
    bad = bad.replace("weight: 2\n    items", "weigth: 2\n    items")
    path = tmp_path / "c.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        load_checklists([path])
    assert [str(p).replace(str(tmp_path) + "/", "") for p in info.value.problems] == [
        "c.yaml:6:3: scoring: critical_cap must be one of ['excellent', 'good', 'pass', 'fail'], got 'best'",
        "c.yaml:11:5: sections[0].weigth: unknown key 'weigth'; did you mean 'weight'? "
        "(expected one of: aggregation, description, id, items, title, weight)",
    ]


def test_item_ids_are_global_across_checklists(tmp_path: Path) -> None:
    other = MINI_CHECKLIST.read_text(encoding="utf-8").replace("id: mini", "id: other")
    path = tmp_path / "other.yaml"
    path.write_text(other, encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        load_checklists([MINI_CHECKLIST, path])
    assert len(info.value.problems) == 5
    assert "item id MIN-01 is already used by checklist 'mini'" in str(info.value.problems[0])


# Every form of plain scalar: the value YAML 1.2's core schema gives it (dates and `<<` aside).
SCALARS: list[tuple[str, object]] = [
    ("", None), ("~", None), ("null", None), ("Null", None), ("NULL", None), ("nul", "nul"),
    ("true", True), ("True", True), ("TRUE", True), ("tRUE", "tRUE"), ("false", False), ("FALSE", False),
    ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"), ("Y", "Y"), ("n", "n"),
    ("0", 0), ("12", 12), ("012", 12), ("-1", -1), ("+1", 1), ("007", 7), ("1_000", "1_000"),
    ("0x1F", 31), ("0o17", 15), ("0b101", "0b101"), ("0X1F", "0X1F"), ("1:30", "1:30"),
    ("190:20:30", "190:20:30"), ("1.5", 1.5), (".5", 0.5), ("-.5", -0.5), ("1.", 1.0), ("1e3", 1000.0),
    ("1E3", 1000.0), ("1.0e+3", 1000.0), ("-2.5e-1", -0.25), ("1e", "1e"), ("e3", "e3"), (".", "."),
    ("-1-", "-1-"), ("+", "+"), ("1.0.0", "1.0.0"), ("v1.0", "v1.0"), ("0.5分", "0.5分"), ("是", "是"),
    ("2024-03-18", date(2024, 3, 18)), ("2024-02-30", "2024-02-30"), ("=", "="), ("text", "text"),
]


@pytest.mark.parametrize(("plain", "expected"), SCALARS)
def test_plain_scalars_follow_the_yaml_1_2_core_schema(plain: str, expected: object) -> None:
    value = parse_yaml(f"v: {plain}\n", "a.yaml").data["v"]
    assert (type(value), value) == (type(expected), expected)
    # Quoted, every form is text.
    assert parse_yaml(f"v: '{plain}'\n", "a.yaml").data["v"] == plain


@pytest.mark.parametrize("plain", [".inf", "-.Inf", "+.INF", ".nan", ".NaN"])
def test_infinities_and_nan_are_refused(plain: str) -> None:
    (problem,) = parse_yaml(f"v: {plain}\n", "a.yaml").problems
    assert str(problem) == f"a.yaml:1:4: v: expected a finite number, got {plain}"


def test_number_keys_are_text() -> None:
    assert parse_yaml("012: a\n2024: b\n1e3: c\n", "a.yaml").data == {"012": "a", "2024": "b", "1e3": "c"}
