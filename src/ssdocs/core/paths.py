"""Where the package's own data lives: inside the wheel, or at the top of a source checkout."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # src/ssdocs/core -> src/ssdocs
_CHECKOUT = _PACKAGE.parent.parent  # src/ssdocs -> repository root


def _data(name: str) -> Path:
    bundled = _PACKAGE / "_data" / name
    return bundled if bundled.is_dir() else _CHECKOUT / name


def templates_dir() -> Path:
    """The Jinja templates and CSS shipped with ssdocs."""
    return _data("templates")


def checklists_dir() -> Path:
    """The checklists shipped with ssdocs (built from the paper)."""
    return _data("checklists")


def cache_dir() -> Path:
    """ssdocs' cache: $SSDOCS_CACHE, else $XDG_CACHE_HOME/ssdocs, else ~/.cache/ssdocs."""
    if os.environ.get("SSDOCS_CACHE"):
        return Path(os.environ["SSDOCS_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ssdocs"
