"""JSON Schemas of the input formats, for editors (yaml-language-server) and other tools."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ssdocs.models.assessment import Assessment
from ssdocs.models.checklist import ITEM_ID, Checklist
from ssdocs.models.registers import BasisRegister, PaperMap

SCHEMA_FILES = {
    "checklist": "checklist.schema.json",
    "assessment": "assessment.schema.json",
    "basis": "basis.schema.json",
    "paper-map": "paper-map.schema.json",
}


def json_schemas() -> dict[str, dict[str, Any]]:
    """The schema of each format, keyed by format name."""
    out = {}
    models: tuple[tuple[str, type[BaseModel]], ...] = (
        ("checklist", Checklist), ("assessment", Assessment), ("basis", BasisRegister), ("paper-map", PaperMap))
    for name, model in models:
        schema = model.model_json_schema(by_alias=True)
        if name == "assessment":
            _tighten_assessment(schema)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://ssdocs.invalid/schemas/{SCHEMA_FILES[name]}"
        out[name] = schema
    return out


def _tighten_assessment(schema: dict[str, Any]) -> None:
    """Say in JSON Schema what the validator checks and pydantic's schema leaves out.

    Answer keys must be item ids (not only keys that happen to match: `REC-01x` and `rec-01` are
    refused); an N/A answer has no value and no waiver; `evidence:` may be left empty (null), as the
    answer template writes it. Not expressible here, so only `ssdocs validate` checks them: a period
    that ends before it starts, values against the checklist (allowed values, matrix rows, grids),
    evidence required by an item, an unknown item id of the right shape.
    """
    answers = schema["properties"]["answers"]
    answers["propertyNames"] = {"pattern": ITEM_ID, "maxLength": 64}
    answers["additionalProperties"] = False
    answer = schema["$defs"]["Answer"]
    answer["allOf"] = [{
        "if": {"properties": {"na": {"type": "string"}}, "required": ["na"]},
        "then": {"properties": {"value": {"type": "null"}, "waiver": {"type": "null"}}},
    }]
    answer["description"] += " With na (a reason), value and waiver stay empty."
    evidence = answer["properties"]["evidence"]
    answer["properties"]["evidence"] = {"anyOf": [{k: v for k, v in evidence.items() if k != "title"},
                                                  {"type": "null"}], "title": evidence.get("title", "Evidence")}
    period = schema["$defs"]["Period"]
    period["description"] = "start and end of the period assessed; end on or after start (checked by ssdocs validate)."
    answer["properties"]["value"] = _value_schema(answer["properties"]["value"])
    _no_hidden_characters(schema)


# The characters the YAML reader refuses in any text (yamlio._NOT_IN_TEXT): C0/C1 controls except
# tab and newlines, and the bidirectional overrides of "Trojan Source".
TEXT_PATTERN = ("^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
                "\u202a-\u202e\u2066-\u2069]*$")
NUMBER_LIMIT = 10**15  # loading.assessments.MAX_NUMBER: larger numbers lose precision as floats


def _value_schema(generated: dict[str, Any]) -> dict[str, Any]:
    """An answer value: text, a finite number within the limit, or rows of cells. A matrix cell is
    yes/no/na, a grid cell a number, a blank cell null (reported by ssdocs validate with its place);
    a grid row may be the text na."""
    number: list[dict[str, Any]] = [
        {"type": "integer", "minimum": -NUMBER_LIMIT, "maximum": NUMBER_LIMIT},
        {"type": "number", "minimum": -NUMBER_LIMIT, "maximum": NUMBER_LIMIT},
    ]
    cell = {"anyOf": [{"enum": ["yes", "no", "na"]}, *number, {"type": "null"}]}
    rows = {"type": "object", "additionalProperties": {"anyOf": [
        {"type": "object", "additionalProperties": cell}, {"const": "na"}]}}
    return {"anyOf": [{"type": "string"}, *number, rows, {"type": "null"}],
            "default": None, "title": generated.get("title", "Value")}


def _no_hidden_characters(node: Any) -> None:
    """Give every free text (no pattern, enum, const or format of its own) the TEXT_PATTERN."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"pattern", "enum", "const", "format"} & node.keys():
            node["pattern"] = TEXT_PATTERN
        for child in node.values():
            _no_hidden_characters(child)
    elif isinstance(node, list):
        for child in node:
            _no_hidden_characters(child)


def schema(folder: Path | str) -> list[Path]:
    """Write every JSON Schema into `folder`; returns the files written."""
    from ssdocs.core.files import write_text

    folder = Path(folder)
    written = []
    for name, body in json_schemas().items():
        target = folder / SCHEMA_FILES[name]
        write_text(target, json.dumps(body, ensure_ascii=False, indent=2) + "\n")
        written.append(target)
    return written
