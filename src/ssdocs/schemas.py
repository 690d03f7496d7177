"""JSON Schemas of the input formats, for editors (yaml-language-server) and other tools."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ssdocs.models.assessment import Assessment
from ssdocs.models.checklist import Checklist
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
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://ssdocs.invalid/schemas/{SCHEMA_FILES[name]}"
        out[name] = schema
    return out


def schema(folder: Path | str) -> list[Path]:
    """Write every JSON Schema into `folder`; returns the files written."""
    from ssdocs.outputs.files import write_text

    folder = Path(folder)
    written = []
    for name, body in json_schemas().items():
        target = folder / SCHEMA_FILES[name]
        write_text(target, json.dumps(body, ensure_ascii=False, indent=2) + "\n")
        written.append(target)
    return written
