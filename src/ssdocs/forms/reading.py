"""Read a filled PDF form with pypdf: every terminal field's value, and ssdocs' embedded manifest.

WeasyPrint lists each radio button both as a kid of its group and as a field of its own, with the
group's name; viewers set the group's /V, while pypdf's writer sets only the chosen kid's /AS. Both
are read, so a form filled with either gives the same answers.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, NameObject

from ssdocs.errors import SsdocsError

# pypdf logs oddities of the file it reads; the library must not print, so they only reach handlers
# the caller installs (pytest's caplog, `--debug`).
logging.getLogger("pypdf").addHandler(logging.NullHandler())

MANIFEST_NAME = "ssdocs-questionnaire.json"
MANIFEST_FORMAT = "ssdocs-questionnaire"


@dataclass(frozen=True)
class FilledForm:
    """The fields of a filled form (name -> text; None when unset) and its manifest, if any."""

    file: str
    fields: dict[str, str | None]
    manifest: dict[str, Any] | None = None
    duplicates: list[str] = field(default_factory=list)


def build_manifest(checklists: list[tuple[str, str]], lang: str) -> bytes:
    """The JSON embedded in a fillable questionnaire: which checklist versions its fields answer."""
    body = {"format": MANIFEST_FORMAT, "version": 1, "lang": lang,
            "checklists": [{"id": cid, "version": version} for cid, version in checklists]}
    return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, NameObject):
        return None if value == "/Off" else str(value)[1:]
    if isinstance(value, ArrayObject):
        return "\n".join(str(v) for v in value)
    return str(value)


def _radio(group: DictionaryObject) -> str | None:
    """A radio group's export value: /V (a kid index or the value itself), else the kid shown on."""
    options = [str(o) for o in group.get("/Opt", [])]
    state = _text(group.get("/V"))
    if state is None:
        for kid in group.get("/Kids", []):
            kid = kid.get_object()
            state = _text(kid.get("/V")) or _text(kid.get("/AS"))
            if state is not None:
                break
    if state is not None:
        state = state.removeprefix("/")  # some writers store the state name as a text string
        if state == "Off":
            return None
    if state is not None and state.isdigit() and int(state) < len(options):
        return options[int(state)]
    return state


def _collect(node: DictionaryObject, prefix: str, out: dict[str, str | None], seen: list[str]) -> None:
    name = str(node.get("/T", ""))
    full = f"{prefix}.{name}" if prefix and name else (name or prefix)
    kids = [k.get_object() for k in node.get("/Kids", [])]
    field_type = node.get("/FT")
    if field_type == "/Btn" and kids and all("/AP" in k for k in kids):
        value = _radio(node)
    elif kids and any("/T" in k and str(k["/T"]) != name for k in kids):
        for kid in kids:
            _collect(kid, full, out, seen)
        return
    elif field_type == "/Btn":
        value = _text(node.get("/V")) or _text(node.get("/AS"))
    else:
        value = _text(node.get("/V"))
        value = value if value else None
    if full in out:
        seen.append(full)
        if out[full] is not None:
            return
    out[full] = value


def read_form(path: Path | str) -> FilledForm:
    """Every field of a filled PDF form; SsdocsError if the file is not a readable PDF form."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            if b"%PDF-" not in handle.read(1024):
                raise SsdocsError(f"{name}: not a PDF file (it does not start with %PDF-)")
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise SsdocsError(f"{name}: the PDF is encrypted; save an unencrypted copy and import that")
        root = reader.trailer["/Root"].get_object()
        assert isinstance(root, DictionaryObject)
        acroform = root.get("/AcroForm")
        fields: dict[str, str | None] = {}
        duplicates: list[str] = []
        if acroform is not None:
            for ref in acroform.get_object().get("/Fields", []):
                node = ref.get_object()
                if "/Parent" in node:
                    continue  # a radio button, read through its group
                _collect(node, "", fields, duplicates)
        manifest = None
        attachments = reader.attachments
        if MANIFEST_NAME in attachments:
            try:
                manifest = json.loads(attachments[MANIFEST_NAME][0].decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                manifest = None
    except FileNotFoundError:
        raise SsdocsError(f"{name}: file not found") from None
    except IsADirectoryError:
        raise SsdocsError(f"{name}: is a folder, expected a filled PDF questionnaire") from None
    except (PdfReadError, KeyError, ValueError, TypeError, AttributeError) as exc:
        raise SsdocsError(f"{name}: not a readable PDF ({exc})") from None
    if not fields:
        raise SsdocsError(f"{name}: the PDF has no form fields; expected a questionnaire made with "
                          "`ssdocs questionnaire --fillable`")
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        manifest = None
    return FilledForm(file=name, fields=fields, manifest=manifest, duplicates=sorted(set(duplicates)))


__all__ = ["MANIFEST_FORMAT", "MANIFEST_NAME", "FilledForm", "build_manifest", "read_form"]
