"""Four PDF engines draw the same pages: Poppler (pdftoppm), Ghostscript, MuPDF and PDFium (issue #16).

Poppler and PDFium guess when a font's tables disagree with the codes on a page; Ghostscript and
MuPDF follow ISO 32000 (code -> CID -> the font's charset -> glyph), as Acrobat does. Until the CJK
subsets had an identity CFF charset the last two drew boxes, and nothing else caught it. Each page
is found by its text, rasterised at low resolution by all four, and compared with Poppler's; MuPDF
must not complain about a glyph, and two extractors must read the page's Chinese.

The engines are test dependencies (`scripts/install-system-deps.sh --test`, pypdfium2 in the
`test` extra).
"""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]
import pytest
from PIL import Image, ImageChops, ImageFilter

from pdf_samples import sample_pdfs
from ssdocs.forms.reading import read_form

ENGINES = ("poppler", "ghostscript", "mupdf", "pdfium")
# Engines anti-alias glyph edges differently, round positions to different pixels, and Ghostscript
# draws text a little heavier. So a pixel counts as differing only when it is more than TOLERANCE
# grey levels (of 255) darker than the darkest, or lighter than the lightest, pixel of the 3 x 3
# neighbourhood around it in the other raster (both ways): edges and one-pixel shifts pass, a
# missing, boxed or wrong glyph does not. Measured at 72 dpi on the pages below: the fixed PDFs
# differ from Poppler on at most 0.27 % of their pixels (the questionnaire cover's writing lines,
# which MuPDF draws lighter; at 40 dpi they made 0.84 %, hence 72 dpi; they are 0.75 pt mid-grey
# since two more rows of 0.6 pt near-black ones made 0.53 %); the PDFs with the broken
# subsets (CIDs not equal to glyph ids) differed on 0.84-3.6 % in Ghostscript and 1.4-5.6 % in
# MuPDF on every page. MAX_SHARE sits between the two.
DPI = 72
TOLERANCE = 96
MAX_SHARE = 0.005
HANZI = re.compile(r"[\u3400-\u9fff]")
GLYPH_WARNING = re.compile(r"glyph|font|cmap|cid", re.IGNORECASE)

# (what, marker per language): the first page after the contents whose text holds the marker.
REPORT_PAGES = {
    "cover": {"zh": "依据席恒", "en": "Based on Xi Heng", "both": "依据席恒"},
    "score table": {"zh": "二、得分表", "en": "2. Score table", "both": "二、得分表 / 2. Score table"},
    "Fig. 5 matrix": {"zh": "第一责任人矩阵", "en": "(Fig. 5)", "both": "第一责任人矩阵"},
    "chart": {"zh": "各部分得分", "en": "Section scores", "both": "各部分得分 / Section scores"},
    "annex": {"zh": "附件一", "en": "Annex A", "both": "附件一"},
}
QUESTIONNAIRE_PAGES = {"cover": "审计问卷", "matrix item": "TD-01", "scale item": "TD-07"}
# The examples' roll-up in both languages: its tables, the heatmap, the strips and the trend chart.
ROLLUP_PAGES = {"league": "一、排名表", "heatmap": "三、检查项 × 地区 状态图", "distribution": "四、各章节得分分布",
                "trend": "六、全省趋势"}


def _require(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: run scripts/install-system-deps.sh --test")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo report in each language (rendered once per session)."""
    _require("pdftoppm", "pdftotext", "gs", "mutool")
    pdfs = sample_pdfs(tmp_path_factory)
    return {lang: pdfs[f"report-{lang}"] for lang in ("zh", "en", "both")}


@pytest.fixture(scope="module")
def questionnaires(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The printable and the fillable questionnaire of the checklist that has the Fig. 5 matrix."""
    _require("pdftoppm", "pdftotext", "gs", "mutool")
    pdfs = sample_pdfs(tmp_path_factory)
    return {"printable": pdfs["questionnaire"], "fillable": pdfs["fillable"]}


def page_texts(pdf: Path) -> list[str]:
    """pdftotext's text of every page."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1]


def find_page(texts: list[str], marker: str, first: bool = False) -> int:
    """The 1-based number of the first page holding `marker` that is not the table of contents
    (`first`: the first page holding it, the cover)."""
    for number, text in enumerate(texts, start=1):
        if marker in text and ("目录" not in text and "Contents" not in text or first):
            return number
    raise AssertionError(f"no page holds {marker!r}")


def rasterise(engine: str, pdf: Path, pages: list[int], folder: Path,
              dpi: int = DPI) -> tuple[dict[int, Image.Image], str]:
    """`pages` of `pdf` drawn by `engine` at `dpi`, in grey, by page number; and what the engine
    printed on stderr. One process per document and engine (Ghostscript reads the whole file first)."""
    folder = folder / f"{pdf.stem}-{engine}"
    folder.mkdir(parents=True, exist_ok=True)
    stderr = ""
    files: dict[int, Path] = {}
    if engine == "poppler":
        for page in pages:
            files[page] = folder / f"{page}.png"
            subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile",
                            str(pdf), str(files[page].with_suffix(""))], check=True, capture_output=True)
    elif engine == "ghostscript":
        # Anti-aliasing on, as the other three have it by default; %d counts the pages written.
        subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=png16m", f"-r{dpi}",
                        "-dTextAlphaBits=4", "-dGraphicsAlphaBits=4", f"-sPageList={','.join(map(str, pages))}",
                        f"-sOutputFile={folder}/gs-%d.png", str(pdf)], check=True, capture_output=True)
        files = {page: folder / f"gs-{n}.png" for n, page in enumerate(sorted(pages), start=1)}
    elif engine == "mupdf":
        done = subprocess.run(["mutool", "draw", "-q", "-r", str(dpi), "-o", f"{folder}/m-%d.png", str(pdf),
                               ",".join(map(str, pages))], check=True, capture_output=True, text=True)
        stderr = done.stderr
        files = {page: folder / f"m-{page}.png" for page in pages}
    else:
        document = pdfium.PdfDocument(str(pdf))
        document.init_forms()
        for page in pages:
            files[page] = folder / f"{page}.png"
            document[page - 1].render(scale=dpi / 72, may_draw_forms=True).to_pil().save(files[page])
        document.close()
    return {page: Image.open(path).convert("L") for page, path in files.items()}, stderr


def differing_share(a: Image.Image, b: Image.Image) -> float:
    """The share of pixels that differ between two rasters of a page beyond anti-aliasing and
    one-pixel shifts (see TOLERANCE); sizes may differ by a pixel of rounding: the common part counts."""
    width, height = min(a.width, b.width), min(a.height, b.height)
    a, b = a.crop((0, 0, width, height)), b.crop((0, 0, width, height))
    differing = 0
    for one, other in ((a, b), (b, a)):
        darkest, lightest = other.filter(ImageFilter.MinFilter(3)), other.filter(ImageFilter.MaxFilter(3))
        for excess in (ImageChops.subtract(darkest, one), ImageChops.subtract(one, lightest)):
            differing += sum(excess.histogram()[TOLERANCE + 1:])
    return differing / (width * height)


class Drawn:
    """One document's chosen pages: found by their text, drawn once by each engine."""

    def __init__(self, pdf: Path, markers: dict[str, str], folder: Path) -> None:
        self.pdf = pdf
        self.texts = page_texts(pdf)
        self.pages = {what: find_page(self.texts, marker, first=what == "cover") for what, marker in markers.items()}
        wanted = sorted(set(self.pages.values()))
        self.rasters: dict[str, dict[int, Image.Image]] = {}
        self.stderr: dict[str, str] = {}
        for engine in ENGINES:
            self.rasters[engine], self.stderr[engine] = rasterise(engine, pdf, wanted, folder)
        self.reader = pypdf.PdfReader(pdf)

    def check(self, what: str) -> None:
        """The four engines agree on the page, MuPDF has no glyph warning, two extractors read its
        Chinese (pdftotext also reads the values of form fields, which are not page text)."""
        page = self.pages[what]
        where = f"{self.pdf.name} p. {page} ({what})"
        warnings = [line for line in self.stderr["mupdf"].splitlines() if GLYPH_WARNING.search(line)]
        assert not warnings, f"{where}: MuPDF: {warnings[:3]}"
        reference = self.rasters["poppler"][page]
        shares = {engine: round(differing_share(reference, self.rasters[engine][page]), 4)
                  for engine in ENGINES[1:]}
        assert max(shares.values()) < MAX_SHARE, f"{where}: share of differing pixels {shares}"
        poppler = set(HANZI.findall(self.texts[page - 1]))
        second = set(HANZI.findall(self.reader.pages[page - 1].extract_text()))
        values = "".join(str(annotation.get_object().get("/V", ""))
                         for annotation in self.reader.pages[page - 1].get("/Annots") or [])
        assert second <= poppler and poppler - second <= set(values), (
            f"{where}: pdftotext and pypdf read different hanzi: {poppler ^ second}")


@pytest.fixture(scope="module")
def drawn_reports(reports: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Drawn]:
    folder = tmp_path_factory.mktemp("report-rasters")
    return {lang: Drawn(pdf, {what: markers[lang] for what, markers in REPORT_PAGES.items()}, folder / lang)
            for lang, pdf in reports.items()}


@pytest.fixture(scope="module")
def drawn_questionnaires(questionnaires: dict[str, Path],
                         tmp_path_factory: pytest.TempPathFactory) -> dict[str, Drawn]:
    folder = tmp_path_factory.mktemp("questionnaire-rasters")
    return {kind: Drawn(pdf, QUESTIONNAIRE_PAGES, folder) for kind, pdf in questionnaires.items()}


@pytest.fixture(scope="module")
def drawn_rollup(tmp_path_factory: pytest.TempPathFactory) -> Drawn:
    _require("pdftoppm", "pdftotext", "gs", "mutool")
    return Drawn(sample_pdfs(tmp_path_factory)["rollup"], ROLLUP_PAGES, tmp_path_factory.mktemp("rollup-rasters"))


@pytest.mark.parametrize("what", list(ROLLUP_PAGES))
def test_rollup_page_in_four_engines(drawn_rollup: Drawn, what: str) -> None:
    drawn_rollup.check(what)
    assert ROLLUP_PAGES[what].replace(" ", "") in drawn_rollup.texts[drawn_rollup.pages[what] - 1].replace(" ", "")


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
@pytest.mark.parametrize("what", list(REPORT_PAGES))
def test_report_page_in_four_engines(drawn_reports: dict[str, Drawn], what: str, lang: str) -> None:
    drawn = drawn_reports[lang]
    drawn.check(what)
    text = drawn.texts[drawn.pages[what] - 1].replace(" ", "")
    assert REPORT_PAGES[what][lang].replace(" ", "") in text
    if lang != "en":
        assert HANZI.search(REPORT_PAGES[what][lang])


@pytest.mark.parametrize("kind", ["printable", "fillable"])
@pytest.mark.parametrize("what", list(QUESTIONNAIRE_PAGES))
def test_questionnaire_page_in_four_engines(drawn_questionnaires: dict[str, Drawn], kind: str, what: str) -> None:
    drawn = drawn_questionnaires[kind]
    drawn.check(what)
    assert "三定方案" in drawn.texts[drawn.pages[what] - 1]


# Filled forms: what a user fills in must show in other readers than the one that filled it.

TEXT_FIELD = "TD-01.na"
RADIO = "TD-01.value.social-security-admin.functions"
TYPED = "不适用：本市未设立专户"
TICKED = "/yes"  # the first button's state: its export value (render/acroform.py), not an index


def _widgets(pdf: Path) -> dict[str, list[tuple[int, list[float]]]]:
    """Field name -> (0-based page, widget rectangle) of each of its widgets."""
    found: dict[str, list[tuple[int, list[float]]]] = {}
    for index, page in enumerate(pypdf.PdfReader(pdf).pages):
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            name = widget.get("/T") or widget["/Parent"].get_object()["/T"]
            found.setdefault(str(name), []).append((index, [float(x) for x in widget["/Rect"]]))
    return found


def fill_with_pypdf(source: Path, target: Path) -> None:
    writer = pypdf.PdfWriter(clone_from=source)
    writer.update_page_form_field_values(None, {TEXT_FIELD: TYPED, RADIO: TICKED}, auto_regenerate=False)
    writer.write(target)


def fill_with_pdfium(source: Path, target: Path) -> None:
    """Click the first radio button and type into the text field, as a user would in Chrome."""
    widgets = _widgets(source)
    document = pdfium.PdfDocument(str(source))
    document.init_forms()

    def click(index: int, rect: list[float]) -> object:
        page = document[index]
        x, y = (rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2
        pdfium_c.FORM_OnMouseMove(document.formenv, page.raw, 0, x, y)
        pdfium_c.FORM_OnLButtonDown(document.formenv, page.raw, 0, x, y)
        pdfium_c.FORM_OnLButtonUp(document.formenv, page.raw, 0, x, y)
        return page

    click(*widgets[RADIO][0])
    pdfium_c.FORM_ForceToKillFocus(document.formenv)
    page = click(*widgets[TEXT_FIELD][0])
    text = ctypes.create_string_buffer(TYPED.encode("utf-16-le") + b"\0\0")
    pdfium_c.FORM_ReplaceSelection(document.formenv, page.raw,  # type: ignore[attr-defined]
                                   ctypes.cast(text, pdfium_c.FPDF_WIDESTRING))
    pdfium_c.FORM_ForceToKillFocus(document.formenv)
    document.save(str(target))
    document.close()


def _ink(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    """Dark pixels in `box` of `image`."""
    return sum(image.crop(box).histogram()[:128])


@pytest.mark.parametrize("filler", ["pypdf", "pdfium"])
def test_filled_values_show_in_other_readers(questionnaires: dict[str, Path], filler: str,
                                             tmp_path: Path) -> None:
    """The typed Chinese and the ticked radio add ink inside their widgets in Poppler, MuPDF and
    PDFium, and the values read back. (Ghostscript draws only the appearance the filler wrote;
    PDFium writes its own with a non-embedded system font, which Ghostscript cannot show.)"""
    source = questionnaires["fillable"]
    filled = tmp_path / f"filled-{filler}.pdf"
    (fill_with_pypdf if filler == "pypdf" else fill_with_pdfium)(source, filled)
    fields = pypdf.PdfReader(filled).get_fields() or {}
    assert fields[TEXT_FIELD].get("/V") == TYPED
    assert fields[RADIO].get("/V") == TICKED
    assert read_form(filled).fields[RADIO] == TICKED[1:]
    widgets = _widgets(source)
    height = float(pypdf.PdfReader(source).pages[0].mediabox.height)
    # 150 dpi: a matrix cell's radio is ~4 mm wide, so a ticked dot is only a few dozen pixels at 100 dpi.
    dpi = 150
    scale = dpi / 72
    for name in (TEXT_FIELD, RADIO):
        index, rect = widgets[name][0]
        left, right = sorted(rect[0::2])
        bottom, top = sorted(rect[1::2])
        box = (int(left * scale), int((height - top) * scale), int(right * scale) + 1,
               int((height - bottom) * scale) + 1)
        for engine in ("poppler", "mupdf", "pdfium"):
            before = rasterise(engine, source, [index + 1], tmp_path / "before", dpi=dpi)[0][index + 1]
            after = rasterise(engine, filled, [index + 1], tmp_path / "after", dpi=dpi)[0][index + 1]
            assert _ink(after, box) > _ink(before, box) + 5, f"{filler}: {name} invisible in {engine}"
