"""Tidy the fillable PDF WeasyPrint writes: each radio button becomes a plain kid of its group.

WeasyPrint 70 gives every radio widget the group's /T and /FT and lists it in /AcroForm /Fields
beside its group, so readers see the group twice ("REC-03.value.REC-03.value") and some viewers treat
each button as a field of its own. The PDF spec wants widgets of a radio group to be kids only.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject


def tidy_radio_groups(data: bytes) -> bytes:
    """The same PDF with radio widgets only reachable as kids of their group."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    root = writer.root_object
    acroform = root.get("/AcroForm")
    if acroform is None:
        return data
    acroform = acroform.get_object()
    assert isinstance(acroform, DictionaryObject)
    fields = acroform["/Fields"].get_object()
    assert isinstance(fields, ArrayObject)
    kept = ArrayObject()
    for ref in fields:
        node = ref.get_object()
        if "/Parent" in node:
            for key in ("/T", "/TU", "/FT"):
                if key in node:
                    del node[NameObject(key)]
            continue
        kept.append(ref)
    acroform[NameObject("/Fields")] = kept
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


__all__ = ["tidy_radio_groups"]
