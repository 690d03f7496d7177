"""Atomic writes: a temporary file in the target folder, renamed into place when complete."""

from __future__ import annotations

import glob
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from ssdocs.errors import OutputError


class WriteFailed(OutputError, OSError):
    """An output could not be written: an OutputError for the CLI (exit 2), still an OSError for callers."""


def write_bytes(target: Path | str, data: bytes, cache_entry: bool = False) -> Path:
    """Write `data` to `target` so a reader sees the old file or the new one, never a partial one.

    A folder that cannot be created or written, a full disk: WriteFailed (exit 2), not a traceback.
    `cache_entry=True` skips the fsync and the search for parts left by killed writers: a cache's
    entries are checked when read, so a crash may lose the newest but never leaves a partial one
    under a final name, and a stray part is never read (it goes when its folder is pruned). The
    search lists the folder, which for a cache of 30,000 entries cost more than the write itself.
    """
    target = Path(target)
    try:
        return _write(target, [data], durable=not cache_entry)
    except OSError as exc:
        raise WriteFailed(f"cannot write {target}: {exc.strerror or exc}") from exc


def _write(target: Path, chunks: Iterable[bytes], durable: bool = True) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    if durable:
        _remove_stale_parts(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _remove_stale_parts(target: Path) -> None:
    """Temporary files left by writers of `target` that were killed (SIGKILL cannot be cleaned up after)."""
    for part in target.parent.glob(f".{glob.escape(target.name)}.*.part"):
        pid = part.name[len(target.name) + 2:].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            part.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def write_chunks(target: Path | str, chunks: Iterable[bytes]) -> Path:
    """Like `write_bytes`, for an output too large to hold in memory at once."""
    target = Path(target)
    try:
        return _write(target, chunks)
    except OSError as exc:
        raise WriteFailed(f"cannot write {target}: {exc.strerror or exc}") from exc


Span = tuple[int, int]  # where a part lies in a Spool: (offset, length)


class Spool:
    """A temporary file collecting an output's parts until the whole output may be written: a large
    tree's outputs are written only once every input is known to be valid, without holding them
    in memory, and in the outputs' order whatever order the parts arrived in."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()
        self._end = 0

    def write(self, text: str) -> Span:
        data = text.encode("utf-8")
        self._file.write(data)
        start, self._end = self._end, self._end + len(data)
        return start, len(data)

    def read(self, spans: Iterable[Span], before: str = "", separator: str = "",
             after: str = "") -> Iterator[bytes]:
        """`before`, the parts at `spans` in that order with `separator` between, then `after`."""
        self._file.flush()
        yield before.encode("utf-8")
        sep = separator.encode("utf-8")
        for i, (start, length) in enumerate(spans):
            self._file.seek(start)
            yield (sep if i else b"") + self._file.read(length)
        yield after.encode("utf-8")

    def close(self) -> None:
        self._file.close()


def write_text(target: Path | str, text: str) -> Path:
    """Write UTF-8 text atomically."""
    return write_bytes(target, text.encode("utf-8"))
