"""What veraPDF would check of ssdocs' PDFs (veraPDF itself cannot be installed here), with pikepdf
and fontTools over the real files: the demo report in zh/en/both and both questionnaires.

- every font embedded (PDF/A-3 6.2.11.4.1) and with a ToUnicode map (6.2.11.7.2, level U; ssdocs
  writes it everywhere so that text can be searched and extracted);
- every code a page shows reaches a real glyph of the embedded program through the font's own
  tables: code -> CID (the Encoding CMap) -> glyph (CIDToGIDMap, or the CFF charset of a CID-keyed
  font: what Ghostscript and MuPDF follow, issue #16), and the glyph is not .notdef (6.2.11.4.1);
- the widths in `W`/`DW` agree with the program's advance widths (6.2.11.5);
- `--tagged` adds a structure tree to the same PDF/A-3b (WeasyPrint's pdf_tags): headings, tables
  with their header cells, each chart a Figure whose alternate text is its title;
- Info and XMP agree (6.6.2.3.1; Author against a one-entry dc:creator, TechNote 0003), the XMP
  names PDF/A-3B, an sRGB OutputIntent with its ICC profile is present (6.2.3), and every embedded
  file has an AFRelationship and is listed in the catalog's /AF (6.8).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from pdf_samples import sample_pdfs

WIDTH_TOLERANCE = 1  # in 1/1000 em: veraPDF's allowance for rounding


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return sample_pdfs(tmp_path_factory)


PDFA = ["report-zh", "report-en", "report-both", "report-tagged", "questionnaire", "rollup"]  # fillable: plain PDF
ALL = [*PDFA, "fillable"]


# Walking the content: which codes each font shows.

def _fonts_of(resources: pikepdf.Object | None) -> dict[str, pikepdf.Object]:
    if resources is None or "/Font" not in resources:
        return {}
    return {str(name): font for name, font in resources.Font.items()}


def _walk(content: pikepdf.Object, resources: pikepdf.Object | None,
          used: dict[tuple[int, int], tuple[pikepdf.Object, list[bytes]]], depth: int = 0) -> None:
    """Collect the strings shown by each font in `content` and the form XObjects it draws."""
    assert depth < 20, "form XObjects nested too deeply"
    fonts = _fonts_of(resources)
    stack: list[pikepdf.Object | None] = []
    font: pikepdf.Object | None = None
    for instruction in pikepdf.parse_content_stream(content):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        operator, operands = str(instruction.operator), instruction.operands
        if operator == "q":
            stack.append(font)
        elif operator == "Q" and stack:
            font = stack.pop()
        elif operator == "Tf":
            font = fonts[str(operands[0])]
        elif operator in ("Tj", "'", '"', "TJ"):
            assert font is not None, f"text shown with no font ({operator})"
            strings = operands[-1] if operator == "TJ" else [operands[-1]]
            entry = used.setdefault(font.objgen, (font, []))
            entry[1].extend(bytes(s) for s in strings if isinstance(s, pikepdf.String))
        elif operator == "Do" and resources is not None and "/XObject" in resources:
            xobject = resources.XObject[str(operands[0])]
            if xobject.get("/Subtype") == "/Form":
                _walk(xobject, xobject.get("/Resources", resources), used, depth + 1)


def shown_text(pdf: pikepdf.Pdf) -> dict[tuple[int, int], tuple[pikepdf.Object, list[bytes]]]:
    """Font (by object id) -> the strings it shows on every page, form XObject and widget appearance."""
    used: dict[tuple[int, int], tuple[pikepdf.Object, list[bytes]]] = {}
    for page in pdf.pages:
        _walk(page.obj, page.obj.get("/Resources"), used)
        for annotation in page.obj.get("/Annots", []):
            appearance = annotation.get("/AP")
            if appearance is None:
                continue
            normal = appearance.N
            for stream in ([normal] if isinstance(normal, pikepdf.Stream) else normal.values()):
                _walk(stream, stream.get("/Resources"), used)
    return used


def every_font(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Object]:
    """Every top-level font dictionary in the file (CIDFonts are reached through their Type0 parent)."""
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font" \
                and obj.get("/Subtype") not in ("/CIDFontType0", "/CIDFontType2"):
            yield obj


# From codes to glyphs, through the font's own tables.

class Program:
    """A Type0 font's embedded program and the maps a spec-following reader goes through."""

    def __init__(self, font: pikepdf.Object) -> None:
        self.name = str(font.BaseFont)
        self.descendant = font.DescendantFonts[0]
        descriptor = self.descendant.FontDescriptor
        stream = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
        assert stream is not None, f"{self.name}: not embedded"
        self.font = TTFont(io.BytesIO(stream.read_bytes()))
        order = self.font.getGlyphOrder()
        self.upem = self.font["head"].unitsPerEm
        self.encoding = self._encoding(font)
        if "CFF " in self.font:
            top = self.font["CFF "].cff.topDictIndex[0]
            if hasattr(top, "ROS"):  # CID-keyed: the charset names each glyph's CID
                self.cid_to_gid = {0 if name == ".notdef" else int(name.removeprefix("cid")): gid
                                   for gid, name in enumerate(order)}
            else:  # name-keyed: the CID is the glyph index
                self.cid_to_gid = {gid: gid for gid in range(len(order))}
        else:
            mapping = self.descendant.get("/CIDToGIDMap", pikepdf.Name.Identity)
            if isinstance(mapping, pikepdf.Stream):
                data = mapping.read_bytes()
                self.cid_to_gid = {cid: int.from_bytes(data[2 * cid:2 * cid + 2], "big")
                                   for cid in range(len(data) // 2)}
            else:
                self.cid_to_gid = {gid: gid for gid in range(len(order))}
        self.advances = {gid: self.font["hmtx"][name][0] * 1000 / self.upem for gid, name in enumerate(order)}
        self.widths = self._widths()

    @staticmethod
    def _encoding(font: pikepdf.Object) -> dict[int, int] | None:
        """None for Identity-H (code == CID); else the code -> CID pairs of an embedded CMap."""
        encoding = font.Encoding
        if isinstance(encoding, pikepdf.Name):
            assert str(encoding) in ("/Identity-H", "/Identity-V"), f"{font.BaseFont}: encoding {encoding}"
            return None
        text = encoding.read_bytes().decode("latin-1")
        pairs: dict[int, int] = {}
        for block in re.findall(r"begincidchar(.*?)endcidchar", text, re.S):
            for code, cid in re.findall(r"<([0-9a-fA-F]+)>\s+(\d+)", block):
                pairs[int(code, 16)] = int(cid)
        for block in re.findall(r"begincidrange(.*?)endcidrange", text, re.S):
            for low, high, cid in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s+(\d+)", block):
                for offset in range(int(high, 16) - int(low, 16) + 1):
                    pairs[int(low, 16) + offset] = int(cid) + offset
        return pairs

    def _widths(self) -> dict[int, float]:
        widths: dict[int, float] = {}
        items = list(self.descendant.get("/W", []))
        index = 0
        while index < len(items):
            first = int(items[index])
            if isinstance(items[index + 1], pikepdf.Array):
                for offset, width in enumerate(items[index + 1]):
                    widths[first + offset] = float(width)
                index += 2
            else:
                for cid in range(first, int(items[index + 1]) + 1):
                    widths[cid] = float(items[index + 2])
                index += 3
        return widths

    def cids(self, strings: list[bytes]) -> set[int]:
        codes = {int.from_bytes(s[i:i + 2], "big") for s in strings for i in range(0, len(s) - 1, 2)}
        if self.encoding is None:
            return codes
        missing = codes - set(self.encoding)
        assert not missing, f"{self.name}: codes outside its CMap: {sorted(missing)[:5]}"
        return {self.encoding[code] for code in codes}


@pytest.mark.parametrize("name", ALL)
def test_every_font_embedded_with_tounicode(pdfs: dict[str, Path], name: str) -> None:
    with pikepdf.open(pdfs[name]) as pdf:
        fonts = list(every_font(pdf))
        assert fonts
        for font in fonts:
            assert font.Subtype == "/Type0", f"{font.BaseFont}: {font.Subtype}"
            descriptor = font.DescendantFonts[0].FontDescriptor
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, f"{font.BaseFont} not embedded"
            assert "/ToUnicode" in font, f"{font.BaseFont}: no ToUnicode"


@pytest.mark.parametrize("name", ALL)
def test_every_glyph_shown_is_in_its_program_with_its_width(pdfs: dict[str, Path], name: str) -> None:
    """Code -> CID -> glyph through the font's own tables; a real glyph; W = the advance."""
    with pikepdf.open(pdfs[name]) as pdf:
        used = shown_text(pdf)
        assert len(used) >= 3
        shown = 0
        for font, strings in used.values():
            program = Program(font)
            default = float(program.descendant.get("/DW", 1000))
            for cid in sorted(program.cids(strings)):
                gid = program.cid_to_gid.get(cid)
                assert gid is not None, f"{program.name}: CID {cid} is not in the font's charset"
                assert 0 < gid < len(program.advances), f"{program.name}: CID {cid} -> glyph {gid}"
                width = program.widths.get(cid, default)
                assert abs(width - program.advances[gid]) <= WIDTH_TOLERANCE, (
                    f"{program.name}: CID {cid}: W says {width}, the font {program.advances[gid]}")
                shown += 1
        assert shown > 100


def _info_date(value: str) -> dt.datetime:
    match = re.fullmatch(r"D:(\d{14})(Z|[+-]\d\d'?\d\d'?)?", value)
    assert match, value
    return dt.datetime.strptime(match[1], "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)


@pytest.mark.parametrize("name", PDFA)
def test_info_and_xmp_agree_and_pdfa_parts(pdfs: dict[str, Path], name: str) -> None:
    with pikepdf.open(pdfs[name]) as pdf:
        info = {str(k): str(v) for k, v in pdf.docinfo.items()}
        xmp = pdf.open_metadata()
        assert xmp["pdfaid:part"] == "3" and xmp["pdfaid:conformance"] == "B"
        assert info["/Title"] == xmp["dc:title"]
        assert info["/Producer"] == xmp["pdf:Producer"]
        assert info["/Creator"] == xmp["xmp:CreatorTool"]
        assert info.get("/Subject") == xmp.get("dc:description")
        assert info.get("/Keywords") == xmp.get("pdf:Keywords")
        if "/Author" in info:
            assert xmp["dc:creator"] == [info["/Author"]], "Author must be dc:creator's one entry"
        for key, prop in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
            assert _info_date(info[key]) == dt.datetime.fromisoformat(xmp[prop])
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1 and intents[0].S == "/GTS_PDFA1"
        profile = intents[0].DestOutputProfile
        assert int(profile.N) == 3 and profile.read_bytes()[36:40] == b"acsp"
        assert pdf.Root.Lang


@pytest.mark.parametrize("name", PDFA)
def test_embedded_files_have_af_relationship(pdfs: dict[str, Path], name: str) -> None:
    with pikepdf.open(pdfs[name]) as pdf:
        files = list(pdf.attachments.values())
        if name.startswith("report"):
            assert len(files) >= 2
        listed = {obj.objgen for obj in pdf.Root.get("/AF", [])}
        for spec in files:
            assert spec.obj.get("/AFRelationship") in ("/Source", "/Data", "/Alternative", "/Supplement"), spec.filename
            assert spec.obj.objgen in listed, f"{spec.filename} not in the catalog's /AF"
        assert len(listed) == len(files)


def _structure(element: pikepdf.Object, found: list[pikepdf.Object]) -> list[pikepdf.Object]:
    if isinstance(element, pikepdf.Dictionary):
        if "/S" in element:
            found.append(element)
        kids = element.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            _structure(kid, found)
    return found


def test_tagged_report_has_a_structure_tree(pdfs: dict[str, Path]) -> None:
    with pikepdf.open(pdfs["report-tagged"]) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "zh-CN"
        elements = _structure(pdf.Root.StructTreeRoot, [])
        roles = [str(e.S) for e in elements]
        for role in ("/Document", "/H1", "/H2", "/Table", "/TH", "/TD", "/P", "/L", "/Figure"):
            assert role in roles, role
        figures = [str(e.get("/Alt", "")) for e in elements if e.S == "/Figure"]
        assert "各部分得分 / Section scores" in figures
        assert "领域得分轮廓 / Area profile" in figures
        assert "历年得分趋势 / Score trend over the years" in figures
        assert all(figures), f"a chart without alternate text: {figures}"
    with pikepdf.open(pdfs["report-both"]) as pdf:
        assert "/StructTreeRoot" not in pdf.Root  # tags are opt-in: ~30 % larger


def test_every_button_state_has_an_appearance(pdfs: dict[str, Path]) -> None:
    """Each radio button and check box of the fillable questionnaire draws its ticked and its
    unticked state itself (without an "Off" appearance Ghostscript drew black squares)."""
    with pikepdf.open(pdfs["fillable"]) as pdf:
        buttons = [annotation for page in pdf.pages for annotation in page.obj.get("/Annots", [])
                   if "/AS" in annotation]
        assert len(buttons) > 50
        for button in buttons:
            states = set(button.AP.N.keys())
            assert "/Off" in states and len(states) == 2, states
            assert str(button.AS) in states


@pytest.mark.parametrize("name", ALL)
def test_no_annotation_or_field_is_null(pdfs: dict[str, Path], name: str) -> None:
    """Every /Annots entry is an annotation of its own page, every field and radio kid a dictionary
    (the pypdf rewrite passes of the fillable one once left null entries where radio buttons were)."""
    with pikepdf.open(pdfs[name]) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            for annotation in page.obj.get("/Annots", []):
                assert isinstance(annotation, pikepdf.Dictionary), f"page {number}: {annotation!r}"
                if "/P" in annotation:
                    assert annotation.P.objgen == page.obj.objgen, f"page {number}"
        fields = list(pdf.Root.AcroForm.Fields) if "/AcroForm" in pdf.Root else []
        kids = [kid for node in fields for kid in node.get("/Kids", [])]
        assert all(isinstance(node, pikepdf.Dictionary) for node in [*fields, *kids])
        if name == "fillable":
            assert len(kids) > 50 and all(kid.Parent.objgen in {f.objgen for f in fields} for kid in kids)
