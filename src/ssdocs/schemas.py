"""JSON Schemas of the input formats, for editors (yaml-language-server) and other tools."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ssdocs.models.assessment import Assessment
from ssdocs.models.checklist import Checklist

SCHEMA_FILES = {"checklist": "checklist.schema.json", "assessment": "assessment.schema.json"}


def json_schemas() -> dict[str, dict[str, Any]]:
    """The schema of each format, keyed by format name."""
    out = {}
    for name, model in (("checklist", Checklist), ("assessment", Assessment)):
        schema = model.model_json_schema(by_alias=True)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://ssdocs.invalid/schemas/{SCHEMA_FILES[name]}"
        out[name] = schema
    return out


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
