"""Recover the files embedded in a report PDF (the source assessment and checklists)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ssdocs.core.files import write_bytes
from ssdocs.errors import OutputError, SsdocsError

_UNSAFE = re.compile(r"[^A-Za-z0-9._\-\u4e00-\u9fff]+")


def safe_attachment_name(name: str, index: int) -> str:
    """A plain file name from an embedded name: no folders, no control characters, no leading dot."""
    base = re.split(r"[\\/]", name)[-1]
    base = _UNSAFE.sub("_", base).strip("._ ")[:120]
    return base or f"attachment-{index}"


# What `ssdocs report` embeds: `<report name>.yaml` (the assessment) and `checklist-<id>-<version>.yaml`.
_OURS = re.compile(r"[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9._\-\u4e00-\u9fff]{0,115}\.yaml")


def read_attachments(pdf: Path | str) -> list[tuple[str, bytes]]:
    """The (name, bytes) of every file embedded in `pdf`, in the PDF's order.

    Only the files ssdocs embeds, by name (plain `.yaml` names), each within the YAML size limit and
    at most MAX_ATTACHMENTS of them: any other attachment makes the PDF one ssdocs did not write,
    refused before anything is decompressed or written.
    """
    from ssdocs.forms.reading import embedded_data, embedded_files, read_pdf

    name = str(pdf)

    def read(reader: Any) -> list[tuple[str, bytes]]:
        files = embedded_files(reader, name)
        for key, _ in files:
            if not _OURS.fullmatch(key):
                shown = key if key.isprintable() else repr(key)
                raise SsdocsError(f"{name}: embedded file {shown[:130]!r} is not one ssdocs embeds (expected the "
                                  "assessment and checklist .yaml files of `ssdocs report`)")
        return [(key, embedded_data(stream, key, name)) for key, stream in files]

    return read_pdf(pdf, read)


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
