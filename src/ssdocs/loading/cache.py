"""The content-hash cache of validated inputs: the checklist catalog, and each assessment scored.

A key is a sha256 over the input's bytes and everything else its result depends on: the catalog's
content, the ssdocs version and source code, the cache format. A value is compressed JSON that is
validated again through the models when read, so an entry that is corrupt, truncated or from
another ssdocs is a miss and the input is loaded as if there were no cache. A scored assessment's
entry holds only its result: comparing and gating years needs only the scores, and whoever needs
the answers of a year read from the cache parses them again from the file's bytes, which were read
anyway to compute the key (`ssdocs.history.loading`). Only valid inputs are
stored: an invalid file is read again every time, and its problems reported with their locations.
A cache folder that cannot be created or written stores nothing and fails nothing.

It lives in `ssdocs.core.paths.cache_dir()` (`$SSDOCS_CACHE`); `SSDOCS_NO_CACHE=1` or
`ssdocs --no-cache` turns it off.

A CI cache is restored from storage a pull request may influence, so an entry is trusted only as
far as it is authenticated: each carries an HMAC-SHA256 of its key and bytes under
`$SSDOCS_CACHE_KEY` (a secret the CI passes; never stored in the cache). An entry whose tag does
not match is a miss. Without a key, entries are unsigned; `require_signed()` (the gate) then reads
none, so every year that decides a verdict is validated and scored from its file. Entries are
decompressed with a bound (MAX_CACHE_ENTRY_BYTES): a zlib bomb is a miss, not gigabytes.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pydantic

from ssdocs.core.cachedir import KEEP_DAYS, mark_used, prune_unused
from ssdocs.core.files import write_bytes
from ssdocs.core.paths import cache_dir
from ssdocs.limits import MAX_CACHE_ENTRY_BYTES
from ssdocs.models.checklist import Checklist
from ssdocs.models.results import AssessmentResult

FORMAT = "ssdocs-cache-5"
KEY_VARIABLE = "SSDOCS_CACHE_KEY"
_SIGNED_ONLY = "SSDOCS_CACHE_SIGNED_ONLY"  # set by require_signed(); inherited by worker processes
_MAGIC = b"SSC5"
_TAG = 32
_PACKAGE = Path(__file__).resolve().parent.parent
_OFF = {"1", "true", "yes", "on"}
_switch = {"enabled": True}


def enabled() -> bool:
    """Whether caching is on: not turned off by `set_enabled(False)` nor `SSDOCS_NO_CACHE=1`."""
    return _switch["enabled"] and os.environ.get("SSDOCS_NO_CACHE", "").strip().lower() not in _OFF


def set_enabled(on: bool) -> None:
    """Turn the cache on or off for this process (the CLI's --no-cache)."""
    _switch["enabled"] = on


def require_signed() -> Callable[[], None]:
    """From now on (in this process and the workers it starts) read only entries signed with
    $SSDOCS_CACHE_KEY; without a key, read none. `ssdocs check` calls it: a verdict never rests on
    an entry this ssdocs did not write. Returns what undoes it."""
    previous = os.environ.get(_SIGNED_ONLY)
    os.environ[_SIGNED_ONLY] = "1"

    def undo() -> None:
        if previous is None:
            os.environ.pop(_SIGNED_ONLY, None)
        else:
            os.environ[_SIGNED_ONLY] = previous

    return undo


def _secret() -> bytes | None:
    key = os.environ.get(KEY_VARIABLE, "")
    return key.encode("utf-8") if key else None


def _tag(secret: bytes | None, name: str, body: bytes) -> bytes:
    if secret is None:
        return bytes(_TAG)
    return hmac.new(secret, name.encode("utf-8") + b"\0" + body, hashlib.sha256).digest()


def _inflate(body: bytes) -> bytes | None:
    """`body` decompressed, or None past MAX_CACHE_ENTRY_BYTES (never more is held in memory)."""
    inflater = zlib.decompressobj()
    data = inflater.decompress(body, MAX_CACHE_ENTRY_BYTES)
    return data if inflater.eof and not inflater.unconsumed_tail else None


def digest(*parts: str | bytes) -> str:
    """sha256 over the parts, each length-prefixed so that no two lists of parts collide."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


@functools.cache
def code_digest() -> str:
    """The ssdocs version and the package's Python source: a development build whose version did
    not change still gets fresh entries after its code changed."""
    import ssdocs  # at call time: ssdocs/__init__ imports the loaders that import this module

    h = hashlib.sha256(f"{FORMAT}\0{ssdocs.__version__}\0".encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        rel = path.relative_to(_PACKAGE).as_posix()
        if rel.startswith("_data/"):
            continue
        try:
            h.update(rel.encode("utf-8") + b"\0" + hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            h.update(rel.encode("utf-8") + b"\0unreadable")
    return h.hexdigest()


@dataclass
class Store:
    """A folder of entries, one compressed file per key; every failure is a miss or a no-op."""

    folder: Path
    writable: bool = field(default=True)

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def read(self, key: str) -> bytes | None:
        """The entry's bytes if it is there, intact, and signed as required; else None."""
        secret = _secret()
        if secret is None and os.environ.get(_SIGNED_ONLY) == "1":
            return None
        try:
            with open(self.path(key), "rb") as handle:
                raw = handle.read(MAX_CACHE_ENTRY_BYTES + len(_MAGIC) + _TAG + 1)
        except OSError:
            return None
        tag, body = raw[len(_MAGIC):len(_MAGIC) + _TAG], raw[len(_MAGIC) + _TAG:]
        if not raw.startswith(_MAGIC) or not hmac.compare_digest(tag, _tag(secret, key, body)):
            return None
        try:
            return _inflate(body)
        except zlib.error:
            return None

    def write(self, key: str, data: bytes) -> None:
        if not self.writable:
            return
        body = zlib.compress(data, 1)
        try:
            write_bytes(self.path(key), _MAGIC + _tag(_secret(), key, body) + body, cache_entry=True)
        except OSError:
            self.writable = False  # read-only or full: stop trying, the command goes on uncached


def store(kind: str) -> Store | None:
    """The store of one kind of entry ("catalogs", "results"), or None when caching is off."""
    return Store(cache_dir() / kind) if enabled() else None


# -- the catalog -------------------------------------------------------------------------------


class _CatalogEntry(pydantic.BaseModel):
    file: int  # index into the list of checklist files the key was computed from
    checklist: Checklist


class _CatalogValue(pydantic.BaseModel):
    format: str
    checklists: list[_CatalogEntry]


def catalog_key(contents: list[bytes]) -> str:
    """The key of a catalog read from these checklist files' bytes, in this order."""
    return digest(FORMAT, code_digest(), *(hashlib.sha256(c).digest() for c in contents))


_Entry = TypeVar("_Entry", "_CatalogValue", "_Scored")


def _read(where: Store, key: str, model: type[_Entry]) -> _Entry | None:
    """The entry under `key` validated again through `model`; None when absent, corrupt or of
    another cache format."""
    data = where.read(key)
    if data is None:
        return None
    try:
        value = model.model_validate_json(data)
    except pydantic.ValidationError:
        return None
    return value if value.format == FORMAT else None


def read_catalog(where: Store, key: str) -> list[tuple[int, Checklist]] | None:
    """The validated checklists (with the index of the file each came from) stored under `key`."""
    value = _read(where, key, _CatalogValue)
    return None if value is None else [(e.file, e.checklist) for e in value.checklists]


def write_catalog(where: Store, key: str, checklists: list[tuple[int, Checklist]]) -> None:
    value = _CatalogValue(format=FORMAT, checklists=[_CatalogEntry(file=i, checklist=c) for i, c in checklists])
    where.write(key, value.model_dump_json(by_alias=True).encode("utf-8"))


def catalog_digest(checklists: list[Checklist]) -> str:
    """The content of a catalog (however it was loaded), for the keys of results scored with it."""
    return digest(FORMAT, code_digest(), *(c.model_dump_json(by_alias=True) for c in checklists))


# -- scored assessments ------------------------------------------------------------------------


class _Scored(pydantic.BaseModel):
    format: str
    result: AssessmentResult


@dataclass
class ResultCache:
    """Validated and scored assessments by the sha256 of their file's bytes, for one catalog."""

    where: Store
    context: str  # catalog_digest() of the catalog the results are valid for

    @classmethod
    def for_catalog(cls, checklists: list[Checklist]) -> ResultCache | None:
        """The cache for results validated against and scored with these checklists; None when off.

        Each catalog and ssdocs build has its own folder, `results/<digest>/`: an upgrade or an
        edited checklist starts a new one, and folders unused for KEEP_DAYS are deleted then.
        """
        where = store("results")
        if where is None:
            return None
        context = catalog_digest(checklists)
        folder = where.folder / context[:16]
        _prune(where.folder, folder)
        return cls(Store(folder), context)

    def key(self, content: bytes) -> str:
        return digest(self.context, hashlib.sha256(content).digest())

    def get(self, content: bytes) -> AssessmentResult | None:
        """The scored result of a valid file with these bytes, if one was stored."""
        value = _read(self.where, self.key(content), _Scored)
        return None if value is None else value.result

    def put(self, content: bytes, result: AssessmentResult) -> None:
        """Store the result of a file with these bytes (only ever of a valid one)."""
        self.where.write(self.key(content), _Scored(format=FORMAT, result=result).model_dump_json().encode())


def _prune(root: Path, current: Path) -> None:
    """Mark `current` as used now; delete its siblings unused for KEEP_DAYS (never fails)."""
    try:
        current.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # a read-only or vanished cache: nothing to keep tidy
    mark_used(current)
    prune_unused(root, keep=current)


__all__ = [
    "FORMAT",
    "KEEP_DAYS",
    "KEY_VARIABLE",
    "ResultCache",
    "Store",
    "catalog_digest",
    "catalog_key",
    "code_digest",
    "digest",
    "enabled",
    "read_catalog",
    "require_signed",
    "set_enabled",
    "store",
    "write_catalog",
]
