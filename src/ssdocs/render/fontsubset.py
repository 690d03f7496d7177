"""The CJK faces PDFs are set in: cached subsets of the system's Simplified-Chinese font.

Why: WeasyPrint subsets every embedded font but keeps the original glyph ids, so each face
carries one slot per glyph up to the highest id it uses. Noto Sans CJK's ids reach ~65,000, which
made every weight cost ~240 KB in a report that uses ~800 characters. Setting text in a subset
whose ~7,700 glyphs are renumbered (ASCII, Latin-1, common symbols and punctuation, and the 6,763
hanzi of GB 2312) cuts that to the glyphs themselves. Characters outside the subset (a rare hanzi
in a place name) still print: the stylesheets name the system font next, and Pango falls back to it
character by character.

The subsets are made once per font file with fontTools (~5 s a weight) and cached as OpenType
files in `cache_dir()/fonts`, which `ssdocs.render.fetcher` lets WeasyPrint read. They are only
ever referenced from the stylesheet added when writing a PDF, never from standalone HTML.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from ssdocs.outputs.files import write_bytes
from ssdocs.paths import cache_dir
from ssdocs.render.fonts import find_cjk_fonts

FAMILY = "ssdocs CJK"
Weight = Literal["regular", "bold"]
WEIGHTS: dict[Weight, int] = {"regular": 400, "bold": 700}
# Bump when the character set or the subsetting options change: the cache key includes it.
CHARSET_VERSION = "gb2312-symbols-3"
_OTHER_WEIGHTS = ("Thin", "Light", "DemiLight", "Medium", "Black", "Bold")
_SYMBOL_BLOCKS = (
    (0x20, 0x7E), (0xA0, 0x17F),  # ASCII, Latin-1 and Latin Extended-A (names in English text)
    (0x2000, 0x209F),  # general punctuation, superscripts and subscripts
    (0x2100, 0x21FF),  # letterlike symbols, number forms, arrows
    (0x2200, 0x22FF),  # mathematical operators (≥ ≤ − ×)
    (0x2460, 0x24FF),  # enclosed alphanumerics (① ②)
    (0x2500, 0x26FF),  # box drawing, blocks, geometric shapes, miscellaneous symbols
    (0x2700, 0x27BF),  # dingbats (✓ ✗)
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half-width and full-width forms
)


def charset() -> set[int]:
    """The code points each subset keeps (whatever of them the font has)."""
    chars: set[int] = set()
    for first, last in _SYMBOL_BLOCKS:
        chars.update(range(first, last + 1))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return chars


def _weight_of(file: str) -> Weight | None:
    name = Path(file).name
    if "Bold" in name and not any(w in name for w in ("SemiBold", "ExtraBold")):
        return "bold"
    if not any(w in name for w in _OTHER_WEIGHTS):
        return "regular"
    return None


@dataclass(frozen=True)
class Source:
    """A system font file that may hold the Simplified-Chinese face of a weight."""

    path: Path
    family: str


def candidates(weight: Weight) -> list[Source]:
    """The CJK sans files of `weight` fontconfig knows, preferred family first (no file is opened)."""
    return [Source(Path(f.file), f.family) for f in find_cjk_fonts()
            if _weight_of(f.file) == weight and "Mono" not in f.family]


def _face_index(src: Source) -> int | None:
    """The face's index in a collection (-1: not a collection); None if it is not there or unreadable."""
    from fontTools.ttLib import TTCollection  # type: ignore[import-untyped]

    if src.path.suffix.lower() not in (".ttc", ".otc"):
        return -1
    try:
        faces = TTCollection(str(src.path), lazy=True).fonts
    except Exception:  # noqa: BLE001 - an unreadable font is skipped like a missing one
        return None
    for index, face in enumerate(faces):
        name = face["name"].getDebugName(1) or ""
        if name == src.family and ("SC" in name or "GB" in name or "Zen Hei" in name):
            return index
    return None


def _subset(path: Path, index: int) -> bytes:
    from fontTools import subset  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont

    # The source's timestamp, not the clock's: the same font gives the same subset bytes on every
    # machine, so a report's bytes do not depend on when its cache was filled.
    font = TTFont(str(path), fontNumber=max(index, 0), lazy=False, recalcTimestamp=False)
    options = subset.Options()
    # No layout features: their closure would pull in thousands of vertical and variant glyphs,
    # and the reports set horizontal text with default features only.
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.drop_tables += ["GSUB", "GPOS", "vhea", "vmtx", "VORG", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=charset())
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _cache_key(src: Source) -> str:
    from fontTools import version as fonttools_version

    stat = src.path.stat()
    raw = f"{src.path}|{src.family}|{stat.st_size}|{stat.st_mtime_ns}|{CHARSET_VERSION}|{fonttools_version}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def fonts_dir() -> Path:
    """Where the subsets are cached (a folder the renderer may read)."""
    return cache_dir() / "fonts"


_ISSUED: set[Path] = set()  # folders of subsets handed out (the cache may move: $SSDOCS_CACHE)


def font_roots() -> list[Path]:
    """The folders the URL fetcher lets WeasyPrint read subsets from."""
    return [fonts_dir(), *sorted(_ISSUED)]


@lru_cache(maxsize=1)
def _private_dir() -> Path:
    """A temporary folder only this process can write to, for when the cache is read-only."""
    import tempfile

    return Path(tempfile.mkdtemp(prefix="ssdocs-fonts-"))


def _cached_path(weight: Weight, src: Source) -> Path:
    return fonts_dir() / f"{FAMILY.replace(' ', '-').lower()}-{weight}-{_cache_key(src)}.otf"


@lru_cache(maxsize=2)
def subset_font(weight: Weight) -> Path | None:
    """The cached subset of `weight` (made on first use); None without such a system font.

    The cache is looked up by the font file's path, size and time, so a warm run opens no font file.
    """
    for src in candidates(weight):
        cached = _cached_path(weight, src)
        if not cached.is_file():
            index = _face_index(src)
            if index is None:
                continue
            data = _subset(src.path, index)
            try:
                write_bytes(cached, data)
            except OSError:
                # A read-only cache costs every run the subsetting, in a folder no other user can write to.
                cached = write_bytes(_private_dir() / cached.name, data)
        _ISSUED.add(cached.parent)
        return cached
    return None


def cached_subsets() -> list[Path]:
    """The subsets already made for the installed fonts (what `ssdocs doctor` reports)."""
    found = []
    for weight in WEIGHTS:
        cached = [path for src in candidates(weight) if (path := _cached_path(weight, src)).is_file()]
        found.extend(cached[:1])
    return found


def font_face_css(weights: tuple[Weight, ...] = ("regular", "bold")) -> str:
    """@font-face rules naming the subsets as FAMILY ("" when no CJK font is installed)."""
    rules = []
    for weight in weights:
        path = subset_font(weight)
        if path is not None:
            rules.append(f'@font-face {{ font-family: "{FAMILY}"; font-weight: {WEIGHTS[weight]}; '
                         f'src: url("{path.resolve().as_uri()}"); }}\n')
    return "".join(rules)


__all__ = ["CHARSET_VERSION", "FAMILY", "WEIGHTS", "Source", "cached_subsets", "candidates", "charset",
           "font_face_css", "font_roots", "fonts_dir", "subset_font"]
