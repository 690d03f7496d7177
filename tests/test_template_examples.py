"""The answer template has no traps: every commented example is valid once uncommented, and the
mistakes people make filling it in get messages about the real mistake."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ssdocs import api
from ssdocs.answer_template import render_answer_template
from ssdocs.context.questionnaire import Header
from ssdocs.errors import ValidationFailed
from ssdocs.loading.assessments import load_assessment
from ssdocs.loading.checklists import Catalog, load_checklists
from ssdocs.loading.yamlio import load_yaml

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = Header(code="demo", name_zh="示例市", name_en="Example City", level="city", year=2025)
# A commented example: an `na:` line, an evidence entry. (Matrix and grid rows are forms to fill
# in, not examples: uncommented blank, each blank cell is reported at its place, see below.)
EXAMPLE = re.compile(r"^(\s*)# ((?:na: .*)|(?:- \{kind: .*))$")


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return api.load_checklists_from(())


def _latest(catalog: Catalog) -> list:  # type: ignore[type-arg]
    latest: dict[str, tuple[str, object]] = {}
    for (cid, version), checklist in sorted(catalog.items()):
        latest[cid] = (version, checklist)
    return [c for _, c in latest.values()]


def _validate(tmp_path: Path, text: str, catalog: Catalog) -> list[str]:
    path = tmp_path / "2025.yaml"
    path.write_text(text, encoding="utf-8")
    return [str(p) for p in api.validate([path], catalog)]


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_every_commented_example_is_valid_uncommented(tmp_path: Path, shipped: Catalog, lang: str) -> None:
    text = render_answer_template(_latest(shipped), HEADER, lang)  # type: ignore[arg-type]
    lines = text.splitlines()
    examples = [i for i, line in enumerate(lines) if EXAMPLE.match(line)]
    kinds = {EXAMPLE.match(lines[i]).group(2).split(":")[0] for i in examples}  # type: ignore[union-attr]
    assert kinds == {"na", "- {kind"}  # na lines, evidence entries
    # Each example alone, then all at once (both evidence entries of every item).
    for chosen in [[i] for i in examples[:60]] + [examples]:
        edited = list(lines)
        for i in chosen:
            match = EXAMPLE.match(edited[i])
            assert match is not None
            edited[i] = match.group(1) + match.group(2)
        if chosen == examples:  # an item cannot be N/A and answered at once: keep the na lines commented
            edited = [line for n, line in enumerate(edited) if not (n in chosen and line.lstrip().startswith("na:"))]
        problems = _validate(tmp_path, "\n".join(edited) + "\n", shipped)
        assert problems == [], (chosen[:3], problems)


def test_uncommented_evidence_entries_are_read(tmp_path: Path, shipped: Catalog) -> None:
    checklist = _latest(shipped)[0]
    text = render_answer_template([checklist], HEADER, "en")
    text = re.sub(r"^(\s*)# (- \{kind: .*)$", r"\1\2", text, count=2, flags=re.M)
    path = tmp_path / "2025.yaml"
    path.write_text(text, encoding="utf-8")
    assessment = load_assessment(path, shipped)
    first = next(iter(assessment.answers.values()))
    assert [e.kind for e in first.evidence] == ["document", "system_data"]


MINI = load_checklists(FIXTURES / "mini-checklist.yaml")
BASE = (FIXTURES / "mini-assessment.yaml").read_text(encoding="utf-8")


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_assessment(path, MINI, display="a.yaml")
    return [str(p) for p in caught.value.problems]


def test_blank_cell_and_misspelled_row_in_one_run(tmp_path: Path) -> None:
    text = BASE.replace("tax: {functions: yes, staffing: na}",
                        "tax: {functions: yes, staffing: }\n      audti: {functions: yes}")
    assert _problems(tmp_path, text) == [
        "a.yaml:22:39: answers.MIN-05.value.tax.staffing: cell staffing of row tax is blank: write yes, no or na "
        "(or leave the cell out until it is known)",
        "a.yaml:23:7: answers.MIN-05.value.audti: unknown row 'audti'; did you mean 'audit'? "
        "(expected one of: audit, tax)"]


def test_value_hints(tmp_path: Path) -> None:
    text = (BASE.replace("value: partial", "value: Yes").replace("MIN-02: {value: B}", "MIN-02: {value: 较好}")
            .replace("MIN-04: {value: manual}", "MIN-04: {value: System}")
            .replace("audit: {functions: yes, staffing: no}", "audit: {functions: 是, staffing: no}"))
    assert _problems(tmp_path, text) == [
        "a.yaml:13:12: answers.MIN-01.value: expected one of yes/partial/no, got 'Yes'; did you mean 'yes'?",
        "a.yaml:16:19: answers.MIN-02.value: expected one of D/C/B/A, got '较好'; '较好' is the label of level "
        "'B': write 'B'",
        "a.yaml:18:19: answers.MIN-04.value: expected one of none/manual/system, got 'System'; 'System' is the "
        "label of option 'system': write 'system'",
        "a.yaml:21:26: answers.MIN-05.value.audit.functions: expected one of yes/no/na, got '是'; did you mean "
        "'yes'?",
    ]


def test_spaces_around_a_value_are_ignored_everywhere(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(BASE.replace("value: partial", 'value: "partial "').replace("{value: B}", '{value: " B"}'),
                    encoding="utf-8")
    answers = load_assessment(path, MINI).answers
    assert (answers["MIN-01"].value, answers["MIN-02"].value) == ("partial", "B")


@pytest.mark.parametrize(("text", "message"), [
    ("a:\n  evidence: []\n    - {kind: document, title: t}\n",
     "a.yaml:3:5: invalid YAML: did not find expected key; the list entry on "
     "this line follows 'evidence: []', which already gives the key its (empty) value: write 'evidence:' "
     "alone on its line, then the entries under it, each starting with '- ' and indented by two more spaces"),
    ("a:\n  note: 办法: 试行\n",
     "a.yaml:2:11: invalid YAML: mapping values are not allowed in this context; a second ':' on one line: "
     "put text that contains ': ' in quotes (note: \"办法: 试行\"), or, if this is a new key, start it on its "
     "own line at the right indentation"),
    ("a:\n    b: 1\n  c: 2\n",
     "a.yaml:3:3: invalid YAML: did not find expected key; this line's "
     "indentation does not match the lines around it: keys of one mapping must start in the same column "
     "(indent with spaces, two per level)"),
    ("a: \"abc\nb: 1\n",
     "a.yaml:3:1: invalid YAML: found unexpected end of stream; a quote (\" or ') opened here is never closed: "
     "close it at the end of the text"),
])
def test_yaml_syntax_errors_say_what_to_do(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_yaml(path, "a.yaml")
    assert [str(p) for p in caught.value.problems] == [message]
