"""Recover the files embedded in a report PDF (the source assessment and checklists)."""

from __future__ import annotations

import re
from pathlib import Path

from ssdocs.core.files import write_bytes
from ssdocs.errors import OutputError, SsdocsError

_UNSAFE = re.compile(r"[^A-Za-z0-9._\-\u4e00-\u9fff]+")


def safe_attachment_name(name: str, index: int) -> str:
    """A plain file name from an embedded name: no folders, no control characters, no leading dot."""
    base = re.split(r"[\\/]", name)[-1]
    base = _UNSAFE.sub("_", base).strip("._ ")[:120]
    return base or f"attachment-{index}"


def read_attachments(pdf: Path | str) -> list[tuple[str, bytes]]:
    """The (name, bytes) of every file embedded in `pdf`, in the PDF's order."""
    import pypdf
    from pypdf.errors import PdfReadError

    path = Path(pdf)
    if not path.is_file():
        raise SsdocsError(f"{path}: file not found")
    try:
        reader = pypdf.PdfReader(path)
        found = [(name, data) for name, contents in reader.attachments.items() for data in contents]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise SsdocsError(f"{path}: not a readable PDF ({exc})") from None
    return found


def extract(pdf: Path | str, output: Path | str = ".", *, force: bool = False) -> list[Path]:
    """Write the embedded files of `pdf` into the folder `output`; refuse to overwrite unless `force`."""
    folder = Path(output)
    files = read_attachments(pdf)
    if not files:
        raise SsdocsError(f"{pdf}: has no embedded files (was it made by `ssdocs report`?)")
    targets: list[tuple[Path, bytes]] = []
    seen: set[str] = set()
    for index, (name, data) in enumerate(files, start=1):
        safe = safe_attachment_name(name, index)
        while safe in seen:
            safe = f"{index}-{safe}"
        seen.add(safe)
        targets.append((folder / safe, data))
    existing = [str(t) for t, _ in targets if t.exists()]
    if existing and not force:
        raise OutputError(f"would overwrite {', '.join(existing)}; pass --force to replace")
    return [write_bytes(target, data) for target, data in targets]


__all__ = ["extract", "read_attachments", "safe_attachment_name"]
