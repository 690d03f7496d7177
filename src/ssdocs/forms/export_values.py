"""Radio buttons that export the answer itself: `/yes`, `/partial`, `/B`, not WeasyPrint's `/0`, `/1`.

WeasyPrint names the "on" appearance state of each radio button by its index and lists the values in
the group's /Opt. Viewers that export form data (FDF, XFDF, "export data", accessibility tools)
show the index. Here each button's state is renamed to its value (from /Opt) and /Opt dropped, so the
state name is the export value; `ssdocs import-pdf` reads either form.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject


def name_radio_states(data: bytes) -> bytes:
    """The same PDF with every radio group's states named by their export values."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    acroform = writer._root_object.get("/AcroForm")
    if acroform is None:
        return data
    fields = acroform.get_object().get("/Fields")
    changed = False
    for ref in fields.get_object() if fields is not None else []:
        group = ref.get_object()
        options = group.get("/Opt")
        if group.get("/FT") != "/Btn" or not isinstance(options, ArrayObject):
            continue
        values = [str(o) for o in options]
        names = {f"/{n}": NameObject(f"/{value}") for n, value in enumerate(values)}
        for kid in group.get("/Kids", []):
            kid = kid.get_object()
            assert isinstance(kid, DictionaryObject)
            _rename(kid, names)
        if group.get("/V") in names:
            group[NameObject("/V")] = names[str(group["/V"])]
        del group[NameObject("/Opt")]
        changed = True
    if not changed:
        return data
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _rename(widget: DictionaryObject, names: dict[str, NameObject]) -> None:
    appearances = widget.get("/AP")
    for key in ("/N", "/D"):
        states = appearances.get_object().get(key) if appearances is not None else None
        if not isinstance(states, DictionaryObject):
            continue
        for old in [k for k in states if k in names]:
            states[names[old]] = states[old]
            del states[NameObject(old)]
    if widget.get("/AS") in names:
        widget[NameObject("/AS")] = names[str(widget["/AS"])]
    if widget.get("/V") in names:
        widget[NameObject("/V")] = names[str(widget["/V"])]


__all__ = ["name_radio_states"]
