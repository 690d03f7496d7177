"""Output file names built from untrusted inputs: sanitised, and kept inside the output folder."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path, PurePosixPath

from ssdocs.errors import OutputError

MAX_NAME_BYTES = 120  # well under the 255-byte limit of common file systems, room for suffixes

# Windows refuses these as file names whatever the extension; CI artifacts are opened there too.
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)
_DASHES = re.compile(r"[._]*-[-._]*")  # a run of separators with a dash in it becomes one dash
_DOTS = re.compile(r"([._])[._]+")  # `..`, `._` and friends: never a dot-dot, one separator each


def safe_name(text: str, *, fallback: str = "unnamed", max_bytes: int = MAX_NAME_BYTES) -> str:
    """A single, harmless file-name part from any text (a jurisdiction code, an id, a title).

    NFKC-normalised (full-width ＡＢ１ becomes AB1); letters and digits of any script are kept,
    with `-`, `_` and single dots between them; every other character (path separators, control and
    format characters, spaces, quotes) becomes `-`. The result never starts or ends with a dot or a
    dash, is never `.`/`..` or a reserved device name, and fits in `max_bytes` of UTF-8. An input
    with nothing usable gives `fallback`.
    """
    normal = unicodedata.normalize("NFKC", text)
    kept = "".join(c if (c.isalnum() or c in "-_.") else "-" for c in normal)
    kept = _DOTS.sub(r"\1", _DASHES.sub("-", kept))
    kept = kept.strip("-._")
    kept = _truncate(kept, max_bytes).strip("-._")
    if not kept:
        if not fallback or safe_name(fallback, fallback="x") != fallback:
            raise ValueError(f"fallback {fallback!r} is not itself a safe name")
        return fallback
    if kept.split(".")[0].lower() in _RESERVED:
        kept = f"_{kept}"
    return kept


def _truncate(text: str, max_bytes: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    return encoded[:max_bytes].decode("utf-8", errors="ignore")


def output_path(folder: Path | str, name: str) -> Path:
    """`folder / name`, or OutputError if `name` could land anywhere else.

    `name` may have sub-folders written with `/` (`example-city/2024.pdf`); it may not be absolute,
    use `..`, `\\`, control characters or empty parts, and the result (symbolic links followed) must
    resolve inside `folder`.
    """
    base = Path(folder)
    reason = _unsafe_reason(name)
    if reason:
        raise OutputError(f"refused output name {_show(name)}: {reason}")
    target = base.joinpath(*PurePosixPath(name).parts)
    root = base.resolve()
    resolved = target.resolve()
    if resolved == root or not resolved.is_relative_to(root):
        raise OutputError(f"refused output name {_show(name)}: it would be written outside {base}")
    return target


def _unsafe_reason(name: str) -> str | None:
    if not name:
        return "it is empty"
    if any(unicodedata.category(c).startswith("C") for c in name):
        return "it contains control characters"
    if "\\" in name or ":" in name:
        return "it contains '\\' or ':'"
    if name.startswith("/"):
        return "it is an absolute path"
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "it has an empty, '.' or '..' part"
    return None


def _show(name: str) -> str:
    text = repr(name)
    return text if len(text) <= 80 else text[:77] + "...'"


__all__ = ["MAX_NAME_BYTES", "output_path", "safe_name"]
