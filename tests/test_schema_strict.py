"""The assessment JSON Schema is as strict as `ssdocs validate` wherever JSON Schema can say the rule,
checked with an independent validator (check-jsonschema) on the bad-input corpus and on schema cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from check_jsonschema.cli.main_command import main as check_jsonschema
from click.testing import CliRunner

from ssdocs.schemas import json_schemas

ROOT = Path(__file__).parent.parent
CORPUS = ROOT / "tests" / "bad_inputs"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))
# Attacks on the YAML reader itself (expansion, depth): ssdocs refuses them before any schema applies;
# check-jsonschema's reader is not built to survive them.
READER_ATTACKS = {"alias-bomb.yaml", "alias-deep.yaml", "deep-nesting.yaml", "very-deep-nesting.yaml"}
# Refused by ssdocs, accepted by the schema, because JSON Schema cannot say the rule:
NOT_EXPRESSIBLE = {
    # the value against the item's checklist (the schema does not know the checklists)
    "bad-choice.yaml", "bad-scale-level.yaml", "bad-yes-no-value.yaml", "number-as-text.yaml",
    "number-out-of-range.yaml", "matrix-unknown-row.yaml", "evidence-missing.yaml",
    "number-sexagesimal.yaml", "number-underscore.yaml",  # 1:30 and 1_000 are text under YAML 1.2
    "unknown-checklist.yaml", "unknown-checklist-version.yaml", "unknown-item-id.yaml",
    # two values compared, or what the YAML text is rather than the data it gives
    "period-reversed.yaml", "merge-key.yaml", "utf16-with-bom.yaml",
    # .nan is a number to a YAML reader and compares with no bound (.inf is refused by the bounds)
    "number-nan.yaml",
}


def _schema_file(tmp_path: Path) -> Path:
    path = tmp_path / "assessment.schema.json"
    path.write_text(json.dumps(json_schemas()["assessment"], ensure_ascii=False), encoding="utf-8")
    return path


def _schema_accepts(schema: Path, *files: Path) -> bool:
    result = CliRunner().invoke(check_jsonschema, ["--schemafile", str(schema), *map(str, files)])
    assert result.exit_code in (0, 1), result.output  # 1: invalid; anything else: the checker failed
    return result.exit_code == 0


def test_committed_schema_is_the_generated_one() -> None:
    committed = json.loads((ROOT / "schemas" / "assessment.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schemas()["assessment"]


def test_schema_agrees_with_validate_on_the_bad_input_corpus(tmp_path: Path) -> None:
    schema = _schema_file(tmp_path)
    disagree = []
    for name, case in sorted(CASES.items()):
        if name in READER_ATTACKS:
            continue
        accepted = _schema_accepts(schema, CORPUS / name)
        expected = case["exit"] == 0 or name in NOT_EXPRESSIBLE
        if accepted != expected:
            disagree.append((name, case["exit"], "schema accepts" if accepted else "schema refuses"))
    assert disagree == []


def test_valid_examples_pass_the_schema(tmp_path: Path) -> None:
    files = sorted((ROOT / "examples" / "assessments").glob("*/*.yaml"))
    files.append(ROOT / "tests" / "fixtures" / "mini-assessment.yaml")
    assert len(files) > 1 and _schema_accepts(_schema_file(tmp_path), *files)


HEAD = """jurisdiction: {code: demo, name: {zh: 示例市, en: Example City}, level: city}
year: 2025
date: 2026-03-01
assessors: [{name: 张三}]
checklists: [{id: mini, version: 1.0.0}]
answers:
"""


@pytest.mark.parametrize(("answers", "valid"), [
    ("  MIN-01: {value: yes}\n", True),
    ("  MIN-01: {na: 本市无此职能}\n", True),
    ("  MIN-01: {value: , na: 本市无此职能}\n", True),  # the template's blank value with an na line
    ("  MIN-01:\n    value: yes\n    evidence:\n", True),  # evidence: with its entries still commented
    ("  MIN-05: {value: {audit: {functions: yes, staffing: }}}\n", True),  # a blank cell: validate says where
    ("  REC-01x: {value: yes}\n", False),  # not an item id
    ("  rec-01: {value: yes}\n", False),
    ("  MIN-01: {value: yes, na: 不适用}\n", False),  # value and na together
    ("  MIN-01:\n    na: 不适用\n    waiver: {justification: x, approved_by: y, expires: 2026-12-31}\n", False),
    ("  MIN-05: {value: {audit: {functions: maybe}}}\n", False),  # a cell is yes/no/na or a number
    ("  MIN-03: {value: 100000000000000000000}\n", False),  # beyond the precision limit
    ('  MIN-01: {value: yes, note: "\\u202e隐藏"}\n', False),  # a bidi override hidden in text
])
def test_schema_cases(tmp_path: Path, answers: str, valid: bool) -> None:
    path = tmp_path / "2025.yaml"
    path.write_text(HEAD + answers, encoding="utf-8")
    assert _schema_accepts(_schema_file(tmp_path), path) is valid


def test_item_types_are_told_apart_by_a_const() -> None:
    defs = json_schemas()["checklist"]["$defs"]
    consts = {name: d["properties"]["type"].get("const") for name, d in defs.items()
              if "type" in d.get("properties", {}) and name.endswith("Item")}
    assert consts == {"YesNoItem": "yes_no", "ScaleItem": "scale", "NumberItem": "number",
                      "ChoiceItem": "choice", "MatrixItem": "matrix", "GridItem": "grid"}
    assert all("type" in defs[name]["required"] for name in consts)
