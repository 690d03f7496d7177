"""Where a command's outputs go: a file (written atomically) or a stream ('-'), from text or spooled blocks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ssdocs.core.files import Span, Spool, write_chunks
from ssdocs.errors import OutputError

STDOUT = "-"


def emit(target: str, text: str, stream: BinaryIO) -> None:
    """Write an output to a file (atomically), or to `stream` for '-' (ending with a new line)."""
    if target == STDOUT and not text.endswith("\n"):
        text += "\n"
    emit_chunks(target, [text.encode("utf-8")], stream)


def emit_chunks(target: str, chunks: Iterable[bytes], stream: BinaryIO) -> None:
    """Write an output given in blocks to a file (atomically), or to `stream` for '-'."""
    if target == STDOUT:
        for chunk in chunks:
            stream.write(chunk)
        stream.flush()
        return
    try:
        write_chunks(Path(target), chunks)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None


class Spools:
    """One Spool per output (a temporary file holding each jurisdiction's share of it, so a national
    tree's outputs are never all in memory), opened when first written to."""

    def __init__(self) -> None:
        self.spools: dict[str, Spool] = {}

    def add(self, **texts: str) -> dict[str, Span]:
        return {name: self._spool(name).write(text) for name, text in texts.items()}

    def read(self, name: str, spans: list[Span], before: str = "", separator: str = "",
             after: str = "") -> Iterator[bytes]:
        return self._spool(name).read(spans, before, separator, after)

    def _spool(self, name: str) -> Spool:
        if name not in self.spools:
            self.spools[name] = Spool()
        return self.spools[name]

    def close(self) -> None:
        for spool in self.spools.values():
            spool.close()

