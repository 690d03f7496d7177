"""Where the package's own data lives: inside the wheel, or at the top of a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
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
