"""Reading one input file: a regular file, not a link, within the size limit, as UTF-8 text."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ssdocs.errors import Problem, ValidationFailed
from ssdocs.limits import MAX_FILE_BYTES

_SYMLINK = ("is a symbolic link, expected a regular file: ssdocs does not follow links in answer and "
            "checklist files (one could point outside the repository); copy the file instead")


def read_text(path: Path, display: str | None = None) -> str:
    """Read a file as UTF-8 text, with a clear error for size, encoding and BOM problems."""
    name = display or str(path)
    return decode_text(read_bytes(path, name), name)


def read_bytes(path: Path, display: str | None = None) -> bytes:
    """A regular file's bytes (at most MAX_FILE_BYTES), with a clear error when it cannot be read.

    Answer files come from many offices: a symbolic link (which could point at a secret outside the
    repository, whose content an error message would then quote) and anything but a regular file (a
    FIFO that never ends, /dev/zero) are refused without reading them.
    """
    name = display or str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ValidationFailed([Problem(name, 0, 0, "", "file not found")]) from None
    except IsADirectoryError:
        raise ValidationFailed([Problem(name, 0, 0, "", "is a folder, expected a YAML file")]) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP or path.is_symlink():
            raise ValidationFailed([Problem(name, 0, 0, "", _SYMLINK)]) from None
        raise ValidationFailed([Problem(name, 0, 0, "", f"cannot read: {exc.strerror}")]) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        what = "is a folder" if stat.S_ISDIR(info.st_mode) else "is not a regular file"
        raise ValidationFailed([Problem(name, 0, 0, "", f"{what}, expected a YAML file")])
    try:
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ValidationFailed([Problem(name, 0, 0, "", f"cannot read: {exc.strerror}")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ValidationFailed(
            [Problem(name, 0, 0, "", f"file is {info.st_size:,} bytes, expected at most {MAX_FILE_BYTES:,}")]
        )
    return raw


def decode_text(raw: bytes, name: str) -> str:
    """A file's bytes as UTF-8 text, with a clear error for encoding and BOM problems."""
    if b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationFailed(
            [Problem(name, 1, 1, "", "file contains NUL bytes, so it is UTF-16 or binary, expected UTF-8 text "
                     "(save it as UTF-8)")]
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 BOM is harmless: editors on Windows add it
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationFailed(
            [Problem(name, 1, 1, "", "file is UTF-16, expected UTF-8 (save it as UTF-8 without BOM)")]
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ValidationFailed(
            [
                Problem(
                    name,
                    line,
                    column,
                    "",
                    f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}), expected UTF-8 text "
                    "(GBK/GB2312 files must be re-saved as UTF-8)",
                )
            ]
        ) from None
