"""The CJK faces PDFs are set in: cached subsets of the system's Simplified-Chinese font.

Why: WeasyPrint subsets every embedded font but keeps the original glyph ids, so each face
carries one slot per glyph up to the highest id it uses. Noto Sans CJK's ids reach ~65,000, which
made every weight cost ~240 KB in a report that uses ~800 characters. So text is set in small,
renumbered subsets, split by how likely a report is to need them (per weight):

- `ssdocs CJK`: ASCII, Latin, common symbols and punctuation, and every hanzi of ssdocs' own text
  (checklists, templates, labels: `cjk_core.CORE`, ~900). A report's fixed text needs no other face,
  and the face has only ~2,000 glyphs, so its slots stay few.
- `ssdocs CJK Common`: the rest of GB 2312 level 1 (the 3,755 common hanzi); `ssdocs CJK Rare`: the
  rest of level 2. Only user text (names, evidence, notes) reaches them, and only what it uses is
  embedded.
- `ssdocs CJK Fields`: all of the above in one face, for the fillable questionnaire's fields: a PDF
  viewer draws what the user types in the field's one font, so it must hold every common hanzi.

The faces must have distinct family names: WeasyPrint keys embedded fonts by their description,
so two files under one family would share glyph ids in the PDF (tested). Characters outside every
subset (a rare hanzi in a place name) still print: `CJK_STACK` names the system font next, and
Pango falls back to it character by character.

The subsets are made once per font file with HarfBuzz's subsetter (uharfbuzz: well under a second
for all eight) and cached as OpenType files in `cache_dir()/fonts`, which
`ssdocs.render.fetcher` lets WeasyPrint read. They are only ever referenced from the stylesheet
added when writing a PDF, never from standalone HTML.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from ssdocs.core.cachedir import mark_used, prune_unused
from ssdocs.core.files import write_bytes
from ssdocs.core.paths import cache_dir
from ssdocs.render.cjk_core import CORE
from ssdocs.render.fonts import find_cjk_fonts

_LOG = logging.getLogger(__name__)
Weight = Literal["regular", "bold"]
Tier = Literal["core", "common", "rare", "full"]
WEIGHTS: dict[Weight, int] = {"regular": 400, "bold": 700}
FAMILY = "ssdocs CJK"
FAMILIES: dict[Tier, str] = {"core": FAMILY, "common": "ssdocs CJK Common", "rare": "ssdocs CJK Rare",
                             "full": "ssdocs CJK Fields"}
TEXT_TIERS: tuple[Tier, ...] = ("core", "common", "rare")
TIERS: tuple[Tier, ...] = (*TEXT_TIERS, "full")
# What stylesheets and SVG charts name for Chinese text: the subsets, then the system fonts.
CJK_STACK = ", ".join(f"'{FAMILIES[tier]}'" for tier in TEXT_TIERS) + (
    ", 'Noto Sans CJK SC', 'Source Han Sans SC', 'Noto Sans SC', 'WenQuanYi Zen Hei'")
# Bump when the character sets (other than CORE), the subsetting options or uharfbuzz's output
# change: the cache key includes it.
CHARSET_VERSION = "gb2312-symbols-6-identity-charset"
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


_SPACES = frozenset((0x20, 0xA0, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000))


def _gb2312(first_row: int, last_row: int) -> set[int]:
    """The characters of GB 2312 rows `first_row`..`last_row` (lead bytes): a row at once when it
    is full (most are), else place by place, skipping the unassigned ones."""
    chars: set[int] = set()
    for high in range(first_row, last_row + 1):
        pairs = [bytes((high, low)) for low in range(0xA1, 0xFF)]
        try:
            chars.update(map(ord, b"".join(pairs).decode("gb2312")))
            continue
        except UnicodeDecodeError:
            pass
        for pair in pairs:
            try:
                chars.add(ord(pair.decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return chars


@lru_cache(maxsize=1)
def _tiers() -> dict[Tier, frozenset[int]]:
    core: set[int] = {ord(c) for c in CORE}
    for first, last in _SYMBOL_BLOCKS:
        core.update(range(first, last + 1))
    level1, level2 = _gb2312(0xB0, 0xD7), _gb2312(0xD8, 0xF7)  # the 3,755 common hanzi, the 3,008 others
    symbols = _gb2312(0xA1, 0xAF)  # punctuation, Greek, Cyrillic, kana, box drawing, pinyin
    parts: dict[Tier, set[int]] = {"core": core, "common": level1 - core, "rare": (symbols | level2) - core,
                                   "full": core | symbols | level1 | level2}
    # Pango sets a space in the face of the text before it, so every face needs the spaces: without
    # them a space after a rare hanzi printed as a .notdef box (seen while building the tiers).
    return {tier: frozenset(chars | _SPACES) for tier, chars in parts.items()}


def charset(tier: Tier = "full") -> frozenset[int]:
    """The code points the subset of `tier` keeps (whatever of them the font has); the three text
    tiers share only the spaces and together make "full"."""
    return _tiers()[tier]


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


def _subset(path: Path, index: int, unicodes: frozenset[int]) -> bytes:
    """The face `index` of `path` (-1: not a collection) cut down to `unicodes`, renumbered, with
    HarfBuzz's subsetter (uharfbuzz): ~0.05 s for the full set, where fontTools took ~5 s."""
    import uharfbuzz as hb  # type: ignore[import-untyped]

    face = hb.Face(hb.Blob.from_file_path(str(path)), max(index, 0))
    request = hb.SubsetInput()
    request.unicode_set.update(unicodes)
    # No hints and no subroutines (WeasyPrint removes both when embedding anyway), all names.
    # CFF_IDENTITY_CHARSET: the renumbered glyphs get CIDs equal to their new ids. Without it the
    # CID-keyed CFF kept the source's CIDs while WeasyPrint writes glyph ids as the codes
    # (Identity-H), and readers that follow ISO 32000 (code -> CID -> charset -> glyph:
    # Ghostscript, MuPDF, Acrobat) drew boxes or other glyphs (issue #16).
    identity = getattr(hb.SubsetFlags, "CFF_IDENTITY_CHARSET", None)
    if identity is None:
        raise ImportError("uharfbuzz has no SubsetFlags.CFF_IDENTITY_CHARSET (uharfbuzz >= 0.57)")
    request.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.DESUBROUTINIZE | identity
    request.sets(hb.SubsetInputSets.NAME_ID).invert()
    # No layout tables: their closure would pull in thousands of vertical and variant glyphs, and
    # the reports set horizontal text with default features only. The source's timestamp is kept,
    # so the same font gives the same subset bytes on every machine (a report's bytes do not
    # depend on when its cache was filled).
    drop = request.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    for tag in ("GSUB", "GPOS", "vhea", "vmtx", "VORG", "DSIG", "BASE"):
        drop.add(int.from_bytes(tag.encode("ascii"), "big"))
    subset = hb.subset(face, request)
    if subset is None:
        raise OSError(f"{path}: HarfBuzz could not subset face {index}")
    return bytes(subset.blob.data)


def _cache_key(src: Source, tier: Tier) -> str:
    """The font file (path, size, time), the tier, and what decides its characters and bytes:
    CORE and CHARSET_VERSION (uharfbuzz is pinned; bump the version when it changes the output)."""
    stat = src.path.stat()
    raw = (f"{src.path}|{src.family}|{stat.st_size}|{stat.st_mtime_ns}|{CHARSET_VERSION}|{tier}|"
           f"{_CORE_DIGEST}")
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


_CORE_DIGEST = hashlib.sha256(CORE.encode()).hexdigest()


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


def _cached_path(weight: Weight, src: Source, tier: Tier) -> Path:
    family = FAMILIES[tier].replace(" ", "-").lower()
    return fonts_dir() / f"{family}-{weight}-{_cache_key(src, tier)}.otf"


KEEP_DAYS = 30  # subsets unused this long (an older ssdocs's, a replaced system font's) are deleted


def _store(cached: Path, data: bytes) -> Path:
    try:
        written = write_bytes(cached, data)
    except OSError:
        # A read-only cache costs every run the subsetting, in a folder no other user can write to.
        return write_bytes(_private_dir() / cached.name, data)
    _prune(cached.parent)
    return written


def _used(path: Path) -> None:
    """Mark a subset as used now (its time is what _prune reads); never fails."""
    mark_used(path)


def _prune(folder: Path) -> None:
    """Delete the subsets of `folder` unused for KEEP_DAYS; run when one is made (never fails)."""
    prune_unused(folder, "ssdocs-cjk-*.otf", days=KEEP_DAYS)


@lru_cache(maxsize=8)
def subset_font(weight: Weight, tier: Tier = "full") -> Path | None:
    """The cached subset of `weight` holding `tier`'s characters (made on first use); None without
    such a system font, or when it cannot be made (no uharfbuzz, a font HarfBuzz cannot read): the
    stylesheets then fall back to the system font, and PDFs are larger but right.
    The text tiers are cut from the full subset (a small file to read).

    The cache is looked up by the font file's path, size and time, so a warm run opens no font file.
    """
    for src in candidates(weight):
        cached = _cached_path(weight, src, tier)
        if not cached.is_file():
            try:
                if tier == "full":
                    index = _face_index(src)
                    if index is None:
                        continue
                    data = _subset(src.path, index, charset("full"))
                else:
                    full = subset_font(weight, "full")
                    if full is None:
                        return None
                    data = _subset(full, -1, charset(tier))
            except (ImportError, OSError) as exc:
                _LOG.warning("no CJK font subset (%s): PDFs use the system font and are larger", exc)
                return None
            cached = _store(cached, data)
        else:
            _used(cached)
        _ISSUED.add(cached.parent)
        return cached
    return None


def prepare_subsets() -> list[Path]:
    """Make (or find) every subset: what `ssdocs batch` does before starting its workers."""
    return [path for weight in WEIGHTS for tier in TIERS
            if (path := subset_font(weight, tier)) is not None]


def can_subset() -> str | None:
    """None when subsets can be made here, else why not (for `ssdocs doctor`)."""
    try:
        import uharfbuzz
    except ImportError as exc:
        return f"uharfbuzz cannot be imported ({exc})"
    if not hasattr(uharfbuzz.SubsetFlags, "CFF_IDENTITY_CHARSET"):
        return "uharfbuzz is older than 0.57 (no SubsetFlags.CFF_IDENTITY_CHARSET): pip install -U uharfbuzz"
    return None


def cached_subsets() -> list[Path]:
    """The subsets already made for the installed fonts (what `ssdocs doctor` reports)."""
    found = []
    for weight in WEIGHTS:
        for tier in TIERS:
            cached = [path for src in candidates(weight) if (path := _cached_path(weight, src, tier)).is_file()]
            found.extend(cached[:1])
    return found


def font_face_css(weights: tuple[Weight, ...] = ("regular", "bold"), fields: bool = False) -> str:
    """@font-face rules naming the subsets ("" when no CJK font is installed): each weight's text
    tiers, and with `fields` the one-face subset form fields are drawn in."""
    faces: list[tuple[Weight, Tier]] = [(weight, tier) for weight in weights for tier in TEXT_TIERS]
    if fields:
        faces.append(("regular", "full"))
    rules = []
    for weight, tier in faces:
        path = subset_font(weight, tier)
        if path is not None:
            rules.append(f'@font-face {{ font-family: "{FAMILIES[tier]}"; font-weight: {WEIGHTS[weight]}; '
                         f'src: url("{path.resolve().as_uri()}"); }}\n')
    return "".join(rules)


__all__ = ["CHARSET_VERSION", "CJK_STACK", "FAMILIES", "FAMILY", "KEEP_DAYS", "TEXT_TIERS", "TIERS", "WEIGHTS",
           "Source", "Tier", "cached_subsets", "can_subset", "candidates", "charset", "font_face_css",
           "font_roots", "fonts_dir", "prepare_subsets", "subset_font"]
