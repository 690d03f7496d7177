"""The event builder (loading/yamlbuild.py) against the Node-based builder it replaced, and its own choices."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssdocs.errors import ValidationFailed
from ssdocs.limits import MAX_DEPTH
from ssdocs.loading import yamlschema
from ssdocs.loading.yamlio import parse_yaml
from yaml_nodes import parse_yaml_by_nodes

TESTS = Path(__file__).resolve().parent
SAME = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(parse: Any, text: str) -> tuple[Any, ...]:
    """Everything a caller can see of a parse: data, marks, problems, or the refusal."""
    try:
        doc = parse(text, "x.yaml")
    except ValidationFailed as refused:
        return ("refused", refused.problems)
    return ("read", repr(doc.data), doc.marks, doc.key_marks, doc.problems)


def same(text: str) -> tuple[Any, ...]:
    new = outcome(parse_yaml, text)
    assert new == outcome(parse_yaml_by_nodes, text)
    return new


# --- the same outcome as composing nodes, on every file the project has and on generated documents

FILES = sorted([*(TESTS / "bad_inputs").glob("*.yaml"), *(TESTS.parent / "examples").rglob("*.yaml"),
                *(TESTS.parent / "checklists").glob("*.yaml"), *(TESTS / "fixtures").rglob("*.yaml")])


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(TESTS.parent)))
def test_every_project_file_reads_as_before(path: Path) -> None:
    same(path.read_bytes().decode("utf-8", errors="replace"))


SCALARS = ["a", "b", "1", "012", "-3", "0x1F", "1e3", "1.5", ".inf", "-.inf", ".nan", "1_000", "1:30", "~", "",
           "null", "true", "False", "yes", "2024-01-01", "2024-02-30", "2024-1-1 10:00:00", "'q'", "'1'", '"\\x07"',
           '"\\u202e"', "<<", "!!str 1", "!!int 1_000", "!!float x", "!!bool maybe", "!!binary aGk=", "!foo x",
           "!!null", "! 12", "!!timestamp 2024-13-01", "!!map x", "示例", "&a0 a", "&a1 1", "*a0", "*a1", "*a2"]
KEYS = [*SCALARS, "a", "a", "b", "[1]", "{x: 1}", "*a0", "*a2", "<<", "? [x]"]
TAGS = ["", "", "", "", "&a0 ", "&a1 ", "&a2 ", "!!set ", "!!map ", "!!seq ", "!include ", "!!omap ", "! "]


def _flow(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    items = st.lists(children, max_size=4).map(", ".join)
    pairs = st.lists(st.tuples(st.sampled_from(KEYS), children), max_size=4).map(
        lambda kv: ", ".join(f"{k}: {v}" for k, v in kv))
    return st.tuples(st.sampled_from(TAGS), st.one_of(items.map("[{}]".format), pairs.map("{{{}}}".format))
                     ).map("".join)


flow = st.recursive(st.sampled_from(SCALARS), lambda children: _flow(children), max_leaves=25)
documents = st.tuples(
    st.lists(st.tuples(st.sampled_from(KEYS), flow), min_size=1, max_size=6),
    st.sampled_from(["", "", "", "\n---\nb: 1", "\n[", "\nc: *a0", "\nd: *nowhere"]),
).map(lambda doc: "\n".join(f"{k}: {v}" for k, v in doc[0]) + doc[1] + "\n")
TOKENS = ["a", "1", ":", ": ", "- ", "[", "]", "{", "}", ", ", "&x ", "*x", "&y ", "*y", "!!set ", "<<: ", "? ",
          "'", '"', "\\x07", "---", "\n", "\n  ", "\n    ", " ", "2024-02-30", ".inf", "~", "true", "#"]
soup = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)


@SAME
@given(st.one_of(documents, soup))
def test_generated_documents_read_as_before(text: str) -> None:
    same(text)


@SAME
@given(st.one_of(st.sampled_from(SCALARS), st.text(alphabet="~nNtrueFALSE<+-.0123456789eE_:xoTZ \n", max_size=12)))
def test_plain_scalars_resolve_as_the_six_patterns_in_order(value: str) -> None:
    """As the resolver did before: only plain scalars, only from a first character that may resolve."""
    expected = yamlschema.STR
    if not value or value[0] in yamlschema.MAY_RESOLVE:
        expected = next((tag for tag, pattern in yamlschema._IMPLICIT if pattern.match(value)), yamlschema.STR)
    assert yamlschema.resolve_plain(value, (True, False)) == expected
    assert yamlschema.resolve_plain(value, (False, True)) == yamlschema.STR


# --- what the builder had to decide, pinned


def test_an_alias_is_marked_where_its_anchor_is_at_its_own_path() -> None:
    doc = parse_yaml("a: &x {k: 1}\nb: *x\nc: [*x]\n", "x.yaml")
    assert doc.data == {"a": {"k": 1}, "b": {"k": 1}, "c": [{"k": 1}]}
    assert doc.data["b"] is not doc.data["a"]  # each alias its own copy, as before
    assert doc.marks[("b",)] == doc.marks[("c", 0)] == (1, 4) and doc.marks[("c",)] == (3, 4)
    assert doc.marks[("b", "k")] == doc.marks[("c", 0, "k")] == (1, 11)
    assert doc.key_marks[("b",)] == (2, 1) and doc.key_marks[("b", "k")] == (1, 8)
    assert doc.problem(("c", 0, "k"), "m").line == 1 and doc.problem(("b",), "m", at_key=True).line == 2


def test_a_merge_key_inside_an_aliased_map_is_reported_at_each_use() -> None:
    text = "a: &x {<<: {y: 1}, z: 2}\nb: *x\n"
    (_, data, _, _, problems) = same(text)
    assert data == "{'a': {'z': 2}, 'b': {'z': 2}}"
    assert [(p.line, p.column, p.path, p.message) for p in problems] == [
        (1, 8, "a", "merge keys (<<) are not supported"), (1, 8, "b", "merge keys (<<) are not supported")]


def test_a_duplicate_key_names_the_line_of_the_first() -> None:
    (problem,) = parse_yaml("a:\n  k: 1\n  j: 2\n  k: 3\n", "x.yaml").problems
    assert (problem.line, problem.column, problem.path) == (4, 3, "a.k")
    assert problem.message.startswith("duplicate key 'k' (first defined at line 2); ")


def test_a_second_document_is_refused_even_after_a_limit_met_while_building() -> None:
    """Composing saw the second document (or a syntax error) before building the first: those
    errors still come first when a limit is met only while building (an alias inside its own anchor)."""
    recursive = "a: &x [1, {k: *x}]\n"
    (_, (problem,)) = same(recursive + "---\nb: 1\n")
    assert (problem.line, problem.column) == (2, 1) and "second YAML document" in problem.message
    (_, (problem,)) = same(recursive + "b: [\n")
    assert problem.line == 3 and problem.message.startswith("invalid YAML: ")
    (_, (problem,)) = same(recursive + "b: *nowhere\n")
    assert problem.line == 2 and "found undefined alias" in problem.message
    # Past MAX_DEPTH without anchors: any error sends the text to the pre-scan, which names the limit.
    (_, (problem,)) = same("a: " + "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2) + "\n---\nb: 1\n")
    assert problem.message == f"nesting deeper than {MAX_DEPTH} levels"


def test_an_alias_of_its_own_collection_is_refused_as_too_deep() -> None:
    (_, (problem,)) = same("a: &x [1, {k: *x}]\n")
    assert problem.message == f"nesting deeper than {MAX_DEPTH} levels" and (problem.line, problem.column) == (1, 4)


def test_marks_are_made_only_when_asked_for() -> None:
    doc = parse_yaml("a: [1, {b: 2}]\n", "x.yaml")
    assert doc.log  # not yet settled
    assert doc.marks == {(): (1, 1), ("a",): (1, 4), ("a", 0): (1, 5), ("a", 1): (1, 8), ("a", 1, "b"): (1, 12)}
    assert doc.key_marks == {("a",): (1, 1), ("a", 1, "b"): (1, 9)} and not doc.log


def test_a_copied_document_still_knows_its_marks() -> None:
    doc = parse_yaml("a: [1, {b: 2}]\nc: d\n", "x.yaml")
    for copied in (pickle.loads(pickle.dumps(doc)), copy.deepcopy(doc)):
        assert copied.marks == doc.marks and copied.key_marks == doc.key_marks and copied.data == doc.data


@pytest.mark.parametrize(("text", "value"), [
    ("v: !!bool maybe\n", "maybe"),  # was a KeyError traceback: now the text, for validation to report
    ("v: !!bool yes\n", True), ("v: 2024-02-29\n", dt.date(2024, 2, 29)), ("v: 2023-02-29\n", "2023-02-29"),
    ("v: 2024-1-1\n", "2024-1-1"), ("v: !!timestamp 2024-1-1\n", dt.date(2024, 1, 1)),
    ("v: !!int 0o17\n", 15), ("v: !!null x\n", None),
])
def test_explicit_and_plain_scalars(text: str, value: Any) -> None:
    assert parse_yaml(text, "x.yaml").data == {"v": value}
