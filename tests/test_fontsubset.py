"""The cached CJK subsets PDFs are set in: what they hold, where they live, and what PDFs embed."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pypdf
import pytest
from click.testing import CliRunner
from fontTools.ttLib import TTFont

from conftest import FIXTURES
from ssdocs.cli import cli, commands  # noqa: F401  (registers every command)
from ssdocs.errors import UnsafeResource
from ssdocs.render import fontsubset
from ssdocs.render.cjk_core import CORE
from ssdocs.render.fetcher import fetch_resource
from ssdocs.render.fontsubset import CJK_STACK, FAMILIES, FAMILY, TEXT_TIERS, charset, font_face_css, subset_font

pytestmark = pytest.mark.skipif(not fontsubset.candidates("regular"), reason="no CJK font installed")
REPORT = FIXTURES / "report"


def _embedded_fonts(pdf: Path) -> dict[str, TTFont]:
    reader = pypdf.PdfReader(pdf)
    fonts: dict[str, TTFont] = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font: Any = ref.get_object()
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            stream = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
            fonts[name] = TTFont(io.BytesIO(stream.get_object().get_data()))
    return fonts


def _report(tmp_path: Path, assessment: Path) -> Path:
    result = CliRunner().invoke(cli, ["report", str(assessment), "--checklists", str(REPORT / "checklist.yaml"),
                                      "-o", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return next(tmp_path.glob("*.pdf"))


def test_charset_is_gb2312_and_common_symbols() -> None:
    chars = charset()
    hanzi = {c for c in chars if 0x4E00 <= c <= 0x9FFF}
    assert len({c for c in hanzi if chr(c).encode("gb2312", "ignore")}) == 6763  # GB 2312 levels 1 and 2
    assert {c for c in hanzi if not chr(c).encode("gb2312", "ignore")} <= {ord(c) for c in CORE}
    for char in "社保基金追缴信用评价第一责任人，。、：；“”（）—…①≥≤−×→✓·%ABCxyz0123456789":
        assert ord(char) in chars, char
    assert ord("堃") not in chars  # GBK, not GB 2312: left to the system font


def test_the_text_tiers_share_only_spaces_and_make_the_full_set() -> None:
    core, common, rare = (charset(tier) for tier in TEXT_TIERS)
    spaces = {0x20, 0x3000, 0xA0}
    assert spaces <= core & common & rare  # Pango sets a space in the face before it
    assert core & common == core & rare == common & rare == fontsubset._SPACES
    assert core | common | rare == charset("full")
    assert ord("缴") in core and ord("A") in core and ord("，") in core  # ssdocs' own text, symbols
    assert ord("李") in common and ord("伙") in common  # a surname, evidence text: GB 2312 level 1
    assert ord("鑫") in rare  # level 2
    assert len(common) + len(core & set(range(0x4E00, 0xA000))) >= 3755


def test_every_hanzi_ssdocs_prints_itself_is_in_the_first_face() -> None:
    """Checklists, templates and labels must need only "ssdocs CJK": run scripts/cjk-core.py after
    adding Chinese text, or reports pay for a second face."""
    import runpy

    script = runpy.run_path(str(Path(__file__).parent.parent / "scripts" / "cjk-core.py"))
    missing = "".join(sorted(script["ssdocs_hanzi"]() - set(CORE)))
    assert not missing, f"run scripts/cjk-core.py: {missing}"


def test_the_font_stack_names_the_tiers_in_order_then_the_system_fonts() -> None:
    names = [name.strip().strip("'") for name in CJK_STACK.split(",")]
    assert names[:4] == [FAMILY, FAMILIES["common"], FAMILIES["rare"], "Noto Sans CJK SC"]


def test_subsets_are_cached_and_renumbered() -> None:
    regular, bold = subset_font("regular"), subset_font("bold")
    assert regular is not None and bold is not None
    assert regular.parent == fontsubset.fonts_dir() and regular != bold
    font = TTFont(regular)
    assert 7000 < font["maxp"].numGlyphs < 9000  # not the ~65,000 of the collection it comes from
    core = TTFont(subset_font("regular", "core"))
    assert 1500 < core["maxp"].numGlyphs < 2500  # the face a report's fixed text is set in
    assert set(core.getBestCmap()) <= charset("core")
    assert ord("缴") in font.getBestCmap()
    assert "GSUB" not in font and "vmtx" not in font
    assert subset_font("regular") == regular  # made once


@pytest.mark.parametrize("tier", ["core", "common", "rare", "full"])
def test_every_glyph_of_a_subset_has_its_glyph_id_as_cid(tier: Any) -> None:
    """Identity CFF charset: WeasyPrint writes glyph ids as the codes (Identity-H), and readers that
    follow ISO 32000 find the glyph through the CID (issue #16: boxes in Ghostscript and MuPDF)."""
    for weight in ("regular", "bold"):
        path = subset_font(weight, tier)
        assert path is not None
        font = TTFont(path)
        top = font["CFF "].cff.topDictIndex[0]
        assert top.ROS == ("Adobe", "Identity", 0)
        order = font.getGlyphOrder()
        assert order[0] == ".notdef"
        assert order[1:] == [f"cid{gid:05d}" for gid in range(1, len(order))]


def test_font_face_css_names_both_weights_of_each_tier() -> None:
    css = font_face_css()
    for tier in TEXT_TIERS:
        assert css.count(f'font-family: "{FAMILIES[tier]}";') == 2, tier
    assert css.count("font-weight: 400") == 3 and css.count("font-weight: 700") == 3
    assert css.count("file://") == 6 and FAMILIES["full"] not in css
    fields = font_face_css(fields=True)
    assert fields.count(f'font-family: "{FAMILIES["full"]}"; font-weight: 400;') == 1


def test_fetcher_reads_subsets_but_nothing_else_in_the_cache() -> None:
    regular = subset_font("regular")
    assert regular is not None
    assert fetch_resource(regular.resolve().as_uri()).data == regular.read_bytes()
    stray = fontsubset.fonts_dir() / "notes.txt"
    stray.write_text("not a font")
    try:
        with pytest.raises(UnsafeResource, match="outside ssdocs' own assets"):
            fetch_resource(stray.resolve().as_uri())
    finally:
        stray.unlink()


def test_a_symlinked_subset_pointing_elsewhere_is_refused(tmp_path: Path) -> None:
    link = fontsubset.fonts_dir() / "evil.otf"
    target = tmp_path / "secret.otf"
    target.write_bytes(b"secret")
    link.symlink_to(target)
    try:
        with pytest.raises(UnsafeResource, match="refused to fetch"):
            fetch_resource(link.as_uri())
    finally:
        link.unlink()


def test_read_only_cache_uses_a_private_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if os.geteuid() == 0:
        # root writes through permissions: make the cache path a file instead, so mkdir fails.
        (tmp_path / "cache").write_text("")
    else:
        (tmp_path / "cache").mkdir(mode=0o500)
    monkeypatch.setenv("SSDOCS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(fontsubset, "_subset", lambda path, index, unicodes: b"OTTO-subset")
    subset_font.cache_clear()
    try:
        path = subset_font("regular")
        assert path is not None and path.read_bytes() == b"OTTO-subset"
        assert not path.is_relative_to(tmp_path) and path.parent.name.startswith("ssdocs-fonts-")
        assert fetch_resource(path.as_uri()).data == b"OTTO-subset"
    finally:
        subset_font.cache_clear()


def test_report_embeds_the_subsets_not_the_system_collection(tmp_path: Path) -> None:
    fonts = _embedded_fonts(_report(tmp_path, REPORT / "city" / "2025.yaml"))
    assert {"ssdocs-CJK", "ssdocs-CJK-Bold"} <= set(fonts)
    assert not any(name.startswith("Noto-Sans-CJK") for name in fonts)
    for name in ("ssdocs-CJK", "ssdocs-CJK-Bold"):
        # WeasyPrint keeps glyph ids, so the slots embedded are bounded by the first face's size.
        assert fonts[name]["maxp"].numGlyphs < 2500, name


def test_user_text_outside_ssdocs_own_characters_prints_from_the_next_faces(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Each face is its own PDF font: under one family name WeasyPrint would mix their glyph ids
    and print 追王 for 追缴 (seen while building the tiers)."""
    source = (REPORT / "city" / "2025.yaml").read_text(encoding="utf-8")
    (tmp_path / "in").mkdir()
    assessment = tmp_path / "in" / "2025.yaml"
    assessment.write_text(source.replace("测试市", "测试李鑫 市", 1), encoding="utf-8")
    pdf = _report(tmp_path / "out", assessment)
    text = pypdf.PdfReader(pdf).pages[0].extract_text()
    assert "测试李鑫 市" in text
    assert "notdef" not in caplog.text  # the space after 鑫 is in the Rare face too
    fonts = _embedded_fonts(pdf)
    assert {"ssdocs-CJK", "ssdocs-CJK-Common", "ssdocs-CJK-Rare"} <= set(fonts)
    assert ord("李") in fonts["ssdocs-CJK-Common"].getBestCmap() and ord("鑫") in fonts["ssdocs-CJK-Rare"].getBestCmap()
    assert fonts["ssdocs-CJK-Rare"]["maxp"].numGlyphs < 3500


def test_a_character_outside_the_subset_still_prints(tmp_path: Path) -> None:
    source = (REPORT / "city" / "2025.yaml").read_text(encoding="utf-8")
    (tmp_path / "in").mkdir()
    assessment = tmp_path / "in" / "2025.yaml"
    assessment.write_text(source.replace("测试市", "测试堃市", 1), encoding="utf-8")
    assert "测试堃市" in assessment.read_text(encoding="utf-8")
    pdf = _report(tmp_path / "out", assessment)
    text = pypdf.PdfReader(pdf).pages[0].extract_text()
    assert "测试堃市" in text
    fonts = _embedded_fonts(pdf)
    fallback = [f for name, f in fonts.items() if name.startswith("Noto-Sans-CJK")]
    assert fallback and any(ord("堃") in f.getBestCmap() for f in fallback)


def test_subsets_stay_readable_when_the_cache_moves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    regular = subset_font("regular")  # made (or found) under the session's cache
    assert regular is not None
    monkeypatch.setenv("SSDOCS_CACHE", str(tmp_path / "elsewhere"))
    assert fetch_resource(regular.resolve().as_uri()).data == regular.read_bytes()


def test_a_subset_is_the_same_bytes_whenever_it_is_made() -> None:
    regular = subset_font("regular")
    assert regular is not None
    src = fontsubset.candidates("regular")[0]
    index = fontsubset._face_index(src)
    assert index is not None
    # Made again now, later than the cached one: a timestamp would make reports differ by machine.
    assert fontsubset._subset(src.path, index, charset("full")) == regular.read_bytes()


def test_subsets_unused_for_a_month_are_deleted_when_new_ones_are_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An upgrade (or a replaced system font) makes new subsets: the old ones do not pile up."""
    import time

    monkeypatch.setenv("SSDOCS_CACHE", str(tmp_path / "cache"))
    folder = fontsubset.fonts_dir()
    folder.mkdir(parents=True)
    stale, recent, other = folder / "ssdocs-cjk-regular-0123456789abcdef.otf", folder / "ssdocs-cjk-bold-x.otf", \
        folder / "notes.txt"
    for path in (stale, recent, other):
        path.write_bytes(b"old")
    month = time.time() - (fontsubset.KEEP_DAYS + 1) * 86_400
    os.utime(stale, (month, month))
    os.utime(other, (month, month))
    subset_font.cache_clear()
    try:
        made = subset_font("regular", "core")
        assert made is not None and made.parent == folder
        assert not stale.exists() and recent.exists() and other.exists()
        os.utime(made, (month, month))
        subset_font.cache_clear()
        assert subset_font("regular", "core") == made  # found again: marked as used
        assert made.stat().st_mtime > month + 86_400
    finally:
        subset_font.cache_clear()


def test_a_report_without_subsets_falls_back_to_the_system_font(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """No uharfbuzz (or a font HarfBuzz cannot read): a warning, and the report is still right."""

    def broken(path: Path, index: int, unicodes: frozenset[int]) -> bytes:
        raise ImportError("No module named 'uharfbuzz'")

    monkeypatch.setenv("SSDOCS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(fontsubset, "_subset", broken)
    subset_font.cache_clear()
    try:
        assert font_face_css() == ""
        assert "no CJK font subset (No module named 'uharfbuzz')" in caplog.text
        pdf = _report(tmp_path / "out", REPORT / "city" / "2025.yaml")
        # (Which face prints it depends on what this test process registered before: the
        # stylesheet names no subset, and the system font's fallback is tested above with 堃.)
        assert "测试市" in pypdf.PdfReader(pdf).pages[0].extract_text()
    finally:
        subset_font.cache_clear()
