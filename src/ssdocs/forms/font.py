"""The font of the fillable PDF's text fields: a cached subset of the system CJK font.

WeasyPrint never subsets a font used by form fields (a filler may type any character), so naming
the full Noto Sans CJK face would embed about 15 MB. Instead the fields use a subset holding ASCII,
common punctuation and the 6,763 hanzi of GB 2312 (about 1.5 MB): what Chinese users type into an
answer is displayable, and the PDF stays small. The subset is made once and cached.
"""

from __future__ import annotations

import base64
import hashlib
import io
from functools import lru_cache
from pathlib import Path

from ssdocs.outputs.files import write_bytes
from ssdocs.paths import cache_dir
from ssdocs.render.fonts import find_cjk_fonts

FAMILY = "ssdocs form"
_CHARSET_VERSION = "gb2312-1"


def _charset() -> set[int]:
    chars = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    chars |= set(range(0x2000, 0x2070)) | set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return chars


def _source() -> tuple[Path, int] | None:
    """The system's Simplified-Chinese sans font file and its index inside a collection."""
    from fontTools.ttLib import TTCollection  # type: ignore[import-untyped]

    # Regular weight first: find_cjk_fonts() orders files by name, which puts Bold first.
    for font in sorted(find_cjk_fonts(), key=lambda f: any(w in f.file for w in ("Bold", "Light", "Black"))):
        path = Path(font.file)
        if path.suffix.lower() not in (".ttc", ".otc"):
            return path, -1
        try:
            faces = TTCollection(str(path), lazy=True).fonts
        except Exception:  # noqa: BLE001 - an unreadable font is skipped like a missing one
            continue
        for index, face in enumerate(faces):
            name = face["name"].getDebugName(1) or ""
            if name == font.family and ("SC" in name or "GB" in name or "Zen Hei" in name):
                return path, index
    return None


def _subset(path: Path, index: int) -> bytes:
    from fontTools import subset  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=max(index, 0), lazy=False)
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.drop_tables += ["GSUB", "GPOS", "vhea", "vmtx", "VORG", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_charset())
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@lru_cache(maxsize=1)
def form_font() -> bytes | None:
    """The subset font's bytes (made and cached on first use); None without a CJK font."""
    source = _source()
    if source is None:
        return None
    path, index = source
    stat = path.stat()
    key = hashlib.sha256(f"{path}|{index}|{stat.st_size}|{stat.st_mtime_ns}|{_CHARSET_VERSION}".encode())
    cached = cache_dir() / f"form-font-{key.hexdigest()[:16]}.otf"
    if cached.is_file():
        return cached.read_bytes()
    data = _subset(path, index)
    try:
        write_bytes(cached, data)
    except OSError:
        pass  # a read-only home only costs the next run a few seconds
    return data


def form_font_css() -> str:
    """The @font-face rule for the fields' font (a data: URL), or "" when no CJK font is installed."""
    data = form_font()
    if data is None:
        return ""
    encoded = base64.b64encode(data).decode("ascii")
    return f'@font-face {{ font-family: "{FAMILY}"; src: url(data:font/otf;base64,{encoded}); }}\n'


__all__ = ["FAMILY", "cache_dir", "form_font", "form_font_css"]
