"""Atomic writes: a temporary file in the target folder, renamed into place when complete; never
through a symbolic link planted inside the output folder; a lock for files several runs update."""

from __future__ import annotations

import errno
import glob
import os
import secrets
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from ssdocs.errors import OutputError

# The output folder of the command at work (`output_root`): every folder between it and a file
# written inside it is opened without following links, so a link planted in the output folder
# (`OUT/example-county -> /tmp/victim`) cannot send a write elsewhere. The folder itself may be a
# link: the user named it.
_ROOT: ContextVar[Path | None] = ContextVar("ssdocs_output_root", default=None)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


@contextmanager
def output_root(folder: Path | str) -> Iterator[Path]:
    """Within this block, writes under `folder` go only through real folders below it."""
    root = Path(os.path.abspath(folder))
    token = _ROOT.set(root)
    try:
        yield root
    finally:
        _ROOT.reset(token)


class PlantedLink(OutputError):
    """A folder inside the output folder is a symbolic link (or not a folder): nothing is written."""


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
    folder = _open_folder(target)
    try:
        if durable:
            _remove_stale_parts(target)
        tmp = f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.part"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644, dir_fd=folder)
        try:
            os.fchmod(fd, 0o644)  # whatever the umask: outputs are for others to read
            with os.fdopen(fd, "wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
                if durable:
                    handle.flush()
                    os.fsync(handle.fileno())
            # Both names relative to the folder opened above: a link swapped in since cannot move it.
            os.replace(tmp, target.name, src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            try:
                os.unlink(tmp, dir_fd=folder)
            except OSError:
                pass
            raise
    finally:
        os.close(folder)
    return target


def _open_folder(target: Path) -> int:
    """A descriptor of `target`'s folder, created if missing; below the output root (if `target`
    lies inside it) every folder is opened without following links."""
    root = _ROOT.get()
    parent = Path(os.path.abspath(target.parent))
    if root is None or not parent.is_relative_to(root):
        parent.mkdir(parents=True, exist_ok=True)
        return os.open(parent, os.O_RDONLY | _DIRECTORY)
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root, os.O_RDONLY | _DIRECTORY)
    here = root
    try:
        for part in parent.relative_to(root).parts:
            here = here / part
            try:
                os.mkdir(part, 0o777, dir_fd=fd)
            except FileExistsError:
                pass
            try:
                inner = os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=fd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR) or stat.S_ISLNK(os.lstat(part, dir_fd=fd).st_mode):
                    raise PlantedLink(f"refused to write {target}: {here} is a symbolic link or not a "
                                      f"folder, inside the output folder {root}; remove it") from None
                raise
            os.close(fd)
            fd = inner
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def locked(folder: Path | str) -> Iterator[None]:
    """An exclusive lock on `folder` itself (flock on the folder: no lock file left behind) while
    files that several runs update at once (the batch's manifest and index) are read, merged, written."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; runs into one folder must then not overlap
        yield
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY | _DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


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
