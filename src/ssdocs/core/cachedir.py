"""Keeping ssdocs' cache folder tidy: what was used is marked, what was not used for a month goes.

One rule for every kind of entry (scored results per catalog, font subsets): an entry's time is
when it was last used, and entries unused for KEEP_DAYS are deleted when a new one is made. Nothing
here ever fails a command: a read-only or vanished cache is simply left as it is.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

KEEP_DAYS = 30


def mark_used(path: Path) -> None:
    """Record that `path` (a file or folder of the cache) was used now; never fails."""
    try:
        os.utime(path)
    except OSError:
        pass


def prune_unused(folder: Path, pattern: str = "*", keep: Path | None = None, days: int = KEEP_DAYS) -> None:
    """Delete the entries of `folder` matching `pattern` (files or folders) unused for `days`,
    except `keep`; never fails."""
    cutoff = time.time() - days * 86_400
    try:
        entries = list(folder.glob(pattern))
    except OSError:
        return
    for entry in entries:
        try:
            if entry == keep or entry.stat().st_mtime >= cutoff:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink()
        except OSError:
            continue


__all__ = ["KEEP_DAYS", "mark_used", "prune_unused"]
