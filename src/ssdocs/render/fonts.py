"""The CJK font check: Chinese must render as glyphs, never as boxes."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

from ssdocs.errors import MissingFonts

INSTALL_HINT = "install one, e.g. `sudo apt-get install fonts-noto-cjk` (then run `ssdocs doctor`)"
# Families the stylesheets name first; any other font covering Chinese still works as a fallback.
PREFERRED = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei")


@dataclass(frozen=True)
class Font:
    family: str
    file: str


def find_cjk_fonts() -> list[Font]:
    """Fonts fontconfig says cover Chinese (`fc-list :lang=zh`); empty if none or no fontconfig."""
    fonts = []
    for line in _fc_list().splitlines():
        file, _, family = line.partition(": ")
        if file and family:
            fonts.append(Font(family=family.split(",")[0].strip(), file=file.strip()))
    preferred = {name: rank for rank, name in enumerate(PREFERRED)}
    return sorted(set(fonts), key=lambda f: (preferred.get(f.family, len(PREFERRED)), f.family,
                                         "Bold" in f.file, f.file))


def check_cjk_font(allow_missing: bool = False) -> Font | None:
    """The CJK font reports will use; MissingFonts unless one is installed or `allow_missing`."""
    fonts = find_cjk_fonts()
    if fonts:
        return fonts[0]
    if allow_missing:
        return None
    raise MissingFonts(
        "no font covering Chinese is installed, so Chinese text would print as empty boxes; "
        f"{INSTALL_HINT}, or pass --allow-missing-fonts to render anyway"
    )


__all__ = ["INSTALL_HINT", "Font", "check_cjk_font", "find_cjk_fonts"]


@lru_cache(maxsize=1)
def _fc_list() -> str:
    """fc-list's answer, asked once per process (the font check and the subsets both need it)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ""
    try:
        return subprocess.run([fc_list, ":lang=zh", "family", "file"], capture_output=True,
                              text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
