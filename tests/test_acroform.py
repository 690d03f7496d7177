"""The form WeasyPrint writes, put right in the writer's finisher (`ssdocs.render.acroform`): radio
buttons only kids of their group, states named by their export value (any text, escaped as a PDF
name), an "Off" appearance for every button, and `import-pdf` reading the result."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from ssdocs.forms.reading import read_form
from ssdocs.render.acroform import pdf_name
from ssdocs.render.pdf import render_pdf


def test_pdf_name_escapes_what_a_name_cannot_hold() -> None:
    assert pdf_name("full-set") == "full-set"
    assert pdf_name("a b") == "a#20b"
    assert pdf_name("是") == "#E6#98#AF"
    assert pdf_name("#(x)/%{}") == "#23#28x#29#2F#25#7B#7D"


def _radios(name: str, values: list[str], checked: str | None = None) -> str:
    return "".join(f'<input type="radio" name="{name}" value="{value}" title="{name} tip"'
                   f'{" checked" if value == checked else ""}>' for value in values)


@pytest.fixture(scope="module")
def form(tmp_path_factory: pytest.TempPathFactory) -> Path:
    body = (_radios("odd", ["是", "a b", "x/y"], checked="a b")
            + _radios("clash", ["Off", "on"], checked="on")  # "Off" cannot be a state: kept by index
            + _radios("digits", ["1", "0"], checked="0")
            + '<input type="checkbox" name="box" checked><input type="text" name="text" value="文字">')
    data = render_pdf(f"<html><body><p>{body}</p></body></html>", pdf_variant=None, forms=True)
    target = tmp_path_factory.mktemp("acroform") / "form.pdf"
    target.write_bytes(data)
    return target


def test_radio_buttons_are_kids_named_by_their_values(form: Path) -> None:
    reader = pypdf.PdfReader(form)
    fields = reader.trailer["/Root"]["/AcroForm"]["/Fields"]
    top = {str(node["/T"]): node for node in (ref.get_object() for ref in fields)}
    assert sorted(top) == ["box", "clash", "digits", "odd", "text"]
    odd = top["odd"]
    kids = [kid.get_object() for kid in odd["/Kids"]]
    assert "/Opt" not in odd and odd["/V"] == "/a b" and odd["/TU"] == "odd tip"
    assert [sorted(kid["/AP"]["/N"]) for kid in kids] == [["/Off", "/是"], ["/Off", "/a b"], ["/Off", "/x/y"]]
    assert [kid["/AS"] for kid in kids] == ["/Off", "/a b", "/Off"]
    assert all(not {"/T", "/TU", "/FT"} & set(kid) for kid in kids)
    assert [str(o) for o in top["clash"]["/Opt"]] == ["Off", "on"] and top["clash"]["/V"] == "/1"
    digits = [kid.get_object() for kid in top["digits"]["/Kids"]]
    assert [sorted(kid["/AP"]["/N"]) for kid in digits] == [["/1", "/Off"], ["/0", "/Off"]]
    assert top["box"]["/AS"] == "/on" and sorted(top["box"]["/AP"]["/N"]) == ["/Off", "/on"]
    for page in reader.pages:
        assert all(annotation.get_object() is not None for annotation in page["/Annots"])


def test_import_reads_value_named_and_index_named_states(form: Path) -> None:
    assert read_form(form).fields == {"odd": "a b", "clash": "on", "digits": "0", "box": "on", "text": "文字"}
