"""The form of a fillable PDF, put right on WeasyPrint's own pydyf objects before the file is written.

WeasyPrint 70 (`weasyprint/pdf/anchors.py::add_forms`) writes radio buttons and check boxes that
readers handle unevenly. `finish_form`, called from the writer's finisher, changes three things:

- each radio button is only a kid of its group: WeasyPrint also lists it in /AcroForm /Fields with
  the group's /T, /TU and /FT, so readers see the group twice ("REC-03.value.REC-03.value");
- each radio button's "on" state is named by the answer it exports (`/yes`, `/B`), not by its index
  (`/0`, `/1`) with the values in the group's /Opt, which is dropped; viewers that export form data
  then show the answer. `ssdocs import-pdf` reads either form (`ssdocs.forms.reading`);
- every radio button and check box gets an empty "Off" appearance: without one Ghostscript drew
  each unticked radio button as a black square (its /MK border) where Poppler, MuPDF and PDFium
  draw nothing.

Nothing is re-serialised by another library, so the file stays exactly what WeasyPrint writes
(PDF/A included) apart from these entries.
"""

from __future__ import annotations

from typing import Any

import pydyf  # type: ignore[import-untyped]

# Bytes that cannot stand for themselves in a PDF name (ISO 32000-1, 7.3.5): white space, the
# delimiters and "#"; they are written #XX.
_DELIMITERS = frozenset(b"()<>[]{}/%#")


def pdf_name(text: str) -> str:
    """`text` as the body of a PDF name (without the solidus): UTF-8, odd bytes written #XX."""
    return "".join(chr(byte) if 0x21 <= byte <= 0x7E and byte not in _DELIMITERS else f"#{byte:02X}"
                   for byte in text.encode("utf-8"))


def finish_form(pdf: Any) -> None:
    """Radio buttons kids of their group only, their states named by value, and "Off" appearances."""
    acroform = _resolve(pdf, pdf.catalog.get("AcroForm")) if hasattr(pdf.catalog, "get") else None
    if isinstance(acroform, pydyf.Dictionary) and isinstance(acroform.get("Fields"), pydyf.Array):
        fields = acroform["Fields"]
        nodes = [_resolve(pdf, ref) for ref in fields]
        kept = [ref for ref, node in zip(fields, nodes, strict=True)
                if not (isinstance(node, pydyf.Dictionary) and "Parent" in node)]
        fields[:] = kept
        for node in nodes:
            if isinstance(node, pydyf.Dictionary) and "Parent" in node:
                for key in ("T", "TU", "FT"):
                    node.pop(key, None)
            elif isinstance(node, pydyf.Dictionary) and node.get("FT") == "/Btn" and "Opt" in node:
                _name_states(pdf, node)
    _add_off_appearances(pdf)


def _resolve(pdf: Any, value: Any) -> Any:
    """The object an indirect reference (`b"12 0 R"`, pydyf's `.reference`) stands for, else `value`."""
    if isinstance(value, bytes) and value.endswith(b" R"):
        return pdf.objects[int(value.split()[0])]
    return value


def _name_states(pdf: Any, group: Any) -> None:
    """Rename each kid's "on" state from its index to its export value (from /Opt); drop /Opt.

    A group whose values cannot all be distinct state names (empty, "Off", twice the same) keeps
    WeasyPrint's index names and /Opt, which readers (and `import-pdf`) understand as well."""
    values = [option.string if isinstance(option, pydyf.String) else str(option) for option in group["Opt"]]
    names = [pdf_name(str(value)) for value in values]
    if any(not name or name == "Off" for name in names) or len(set(names)) != len(names):
        return
    renamed = {str(index): name for index, name in enumerate(names)}
    for ref in group.get("Kids", []):
        kid = _resolve(pdf, ref)
        appearances = kid.get("AP") if isinstance(kid, pydyf.Dictionary) else None
        if not isinstance(appearances, pydyf.Dictionary):
            continue
        for key in ("N", "D"):
            states = _resolve(pdf, appearances.get(key))
            if isinstance(states, pydyf.Dictionary):
                for old in [k for k in states if str(k) in renamed]:
                    states[renamed[str(old)]] = states.pop(old)
        for key in ("AS", "V"):
            if str(kid.get(key, "")).removeprefix("/") in renamed:
                kid[key] = "/" + renamed[str(kid[key]).removeprefix("/")]
    if str(group.get("V", "")).removeprefix("/") in renamed:
        group["V"] = "/" + renamed[str(group["V"]).removeprefix("/")]
    del group["Opt"]


def _add_off_appearances(pdf: Any) -> None:
    """Give each check box and radio button an empty appearance for its "Off" state.

    WeasyPrint 70 writes only the "on" appearance. A reader must then make one up for the
    unticked state: Ghostscript drew every unticked radio button of the fillable questionnaire
    as a black square (its border from /MK), where Poppler, MuPDF and PDFium draw nothing. With
    an appearance per state, every reader draws the circles of the page and nothing more."""
    for obj in list(pdf.objects):
        if not isinstance(obj, pydyf.Dictionary) or obj.get("Subtype") != "/Widget" or "AS" not in obj:
            continue
        appearances = _resolve(pdf, obj.get("AP"))
        states = _resolve(pdf, appearances.get("N")) if isinstance(appearances, pydyf.Dictionary) else None
        if not isinstance(states, pydyf.Dictionary) or "Off" in states:
            continue
        x1, y1, x2, y2 = (float(v) for v in obj["Rect"])
        off = pydyf.Stream([], extra={"Type": "/XObject", "Subtype": "/Form",
                                       "BBox": pydyf.Array((0, 0, abs(x2 - x1), abs(y2 - y1)))})
        pdf.add_object(off)
        states["Off"] = off.reference


__all__ = ["finish_form", "pdf_name"]
