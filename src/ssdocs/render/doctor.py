"""What rendering needs from the machine: versions, a CJK font, HarfBuzz subsetting, poppler."""

from __future__ import annotations

import ctypes.util
import platform
import shutil
import sys
from dataclasses import dataclass

from ssdocs.render.fonts import find_cjk_fonts


@dataclass(frozen=True)
class Check:
    """One check: what, whether it passed, what was found, whether reports need it, how to fix."""

    name: str
    ok: bool
    detail: str
    required: bool = True
    fix: str = ""


def doctor() -> list[Check]:
    """Run every check; never raises for a missing piece (that is what the checks report)."""
    checks = [Check("Python", sys.version_info >= (3, 11),
                    platform.python_version(), fix="install Python 3.11 or newer")]
    checks.append(_weasyprint())
    fonts = find_cjk_fonts()
    checks.append(Check("CJK font", bool(fonts),
                        f"{fonts[0].family} ({fonts[0].file})" if fonts else "no font covers Chinese",
                        fix="sudo apt-get install fonts-noto-cjk"))
    subset = ctypes.util.find_library("harfbuzz-subset")
    checks.append(Check("HarfBuzz subsetting", subset is not None,
                        subset or "libharfbuzz-subset.so.0 not found (fonts would be embedded whole)",
                        fix="sudo apt-get install libharfbuzz-subset0"))
    checks.append(_subsets())
    pdftotext = shutil.which("pdftotext")
    checks.append(Check("pdftotext", pdftotext is not None, pdftotext or "not found",
                        required=False, fix="sudo apt-get install poppler-utils"))
    return checks


def _subsets() -> Check:
    from ssdocs.render.fontsubset import cached_subsets, can_subset, fonts_dir

    cached = cached_subsets()
    why_not = can_subset()
    if why_not is not None and not cached:
        return Check("CJK font subsets", False, f"cannot be made: {why_not}; PDFs use the system font, "
                     "about 0.2 MB larger per weight", required=False, fix="pip install uharfbuzz")
    detail = (f"{len(cached)} cached in {fonts_dir()}" if cached else
              f"none cached yet: the first PDF makes them in {fonts_dir()} (under a second)")
    return Check("CJK font subsets", True, detail, required=False)


def _weasyprint() -> Check:
    try:
        from ssdocs.render.pdf import versions
    except (ImportError, OSError) as exc:  # WeasyPrint or Pango missing or broken
        return Check("WeasyPrint / Pango", False, f"cannot load: {exc}",
                     fix="pip install weasyprint; sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0")
    found = versions()
    ok = int(found["weasyprint"].split(".")[0]) >= 63 and tuple(
        int(x) for x in found["pango"].split(".")[:2]) >= (1, 44)
    return Check("WeasyPrint / Pango", ok, f"WeasyPrint {found['weasyprint']}, Pango {found['pango']}",
                 fix="pip install 'weasyprint>=63'; sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0")


__all__ = ["Check", "doctor"]
