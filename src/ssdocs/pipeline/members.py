"""The roll-up's members, cached one entry per jurisdiction: a warm roll-up reads that entry and
neither parses a YAML file nor validates a result again.

Why one entry per jurisdiction (and not faster year entries): a roll-up keeps of each jurisdiction
only its `Member` (its year's scores and statuses, its change since the year before, its series,
its notes). Building one from the result cache needed every year's result validated again through
pydantic and, when two years answer different checklist versions, both years' answers parsed again
from YAML to score the items they share: 10-20 ms per file warm on a tree whose years differ in
versions. A member entry is read with one small decompression and `json.loads`: ≈ 0.2 ms per file.
A cached comparison per pair of years would still leave the results to validate (or to build
without validation, `model_construct`, for every nested model), for less gain.

Key: a sha256 over the result cache's context (the catalog's content, the ssdocs version and source
code, the cache format), the roll-up's root and the jurisdiction's folder as given (the member's
folder, parent and notes name them), the year asked for, and the name and bytes of every
`<year>.yaml` in the folder: a year added, removed, renamed or edited, valid or not, is a miss, and
the history's rule for broken years then runs again as in a cold roll-up. A folder with a file that
cannot be read as an answer file (a link, too large) gets no key and is loaded as always.

Trust: entries are signed like the result cache's (HMAC under `$SSDOCS_CACHE_KEY`; a tag that does
not verify is a miss) and validated through a pydantic TypeAdapter of `Member` when read: a member
is small and flat, and validating it measured no slower than building it from `json.loads` without
validation (0.22 against 0.23-0.26 ms per file warm, `benchmarks/RESULTS.md`), so signed entries
are not trusted further. Entries are JSON, never pickle. `ssdocs check` never reads these entries.

Every field of `Member` is stored and read back by the TypeAdapter, so a field added to it is cached too.

A second, tiny kind of entry serves the roll-ups that are not warm, when a year was added or edited:
the overall change between two years whose checklist versions differ (delta and basis), keyed by
both years' file bytes. Without it, each such pair of unchanged years was parsed again from YAML to
score the items they share (two thirds of the time of a roll-up after a new year was added).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import pydantic

from ssdocs.context.rollup import Member
from ssdocs.errors import ValidationFailed
from ssdocs.history.loading import year_files
from ssdocs.loading.cache import FORMAT, ResultCache, digest
from ssdocs.loading.checklists import Catalog
from ssdocs.loading.yamlio import read_bytes

_KIND = "rollup-member"
_CHANGE = "rollup-change"
_BASES = ("same", "comparable-items", "none")


@dataclass(frozen=True)
class _Entry:
    format: str
    member: Member


@functools.cache
def _adapter() -> pydantic.TypeAdapter[_Entry]:
    return pydantic.TypeAdapter(_Entry)  # built on first use (4 ms): a warm, signed roll-up needs none


@dataclass
class MemberCache:
    """The roll-up's members by their jurisdiction's year files, beside the results of one catalog."""

    results: ResultCache

    @classmethod
    def for_catalog(cls, catalog: Catalog) -> MemberCache | None:
        """The member cache for roll-ups with this catalog; None when caching is off."""
        results = ResultCache.for_catalog(list(catalog.values()))
        return None if results is None else cls(results)

    def key(self, root: Path, folder: Path, year: int | None) -> str | None:
        """The key of the member of `folder` (a jurisdiction's folder under `root`) for `year`
        (None: its latest), or None when one of its year files cannot be read as an answer file."""
        parts: list[str | bytes] = [_KIND, self.results.context, str(root), str(folder), str(year)]
        for file in year_files(folder):
            try:
                content = read_bytes(file)
            except ValidationFailed:
                return None
            parts += [file.name, content]
        return digest(*parts)

    def get(self, key: str) -> Member | None:
        """The member stored under `key`, validated; None if absent, not signed as required, or
        not valid."""
        data = self.results.where.read(key)
        if data is None:
            return None
        try:
            entry = _adapter().validate_json(data)
        except pydantic.ValidationError:
            return None
        return entry.member if entry.format == FORMAT else None

    def put(self, key: str, member: Member) -> None:
        self.results.where.write(key, _adapter().dump_json(_Entry(FORMAT, member)))

    def change_key(self, before: str, after: str) -> str:
        """The key of the overall change between two years' files (their sha256, `YearEntry.digest`)."""
        return digest(_CHANGE, self.results.context, before, after)

    def get_change(self, key: str) -> tuple[float | None, str] | None:
        """The overall change (delta, basis) stored under `key`, checked field by field (signed or
        not: two values), or None."""
        data = self.results.where.read(key)
        if data is None:
            return None
        try:
            value = json.loads(data)
        except ValueError:
            return None
        if not isinstance(value, dict) or value.get("format") != FORMAT or value.get("basis") not in _BASES:
            return None
        delta = value.get("delta")
        if delta is not None and (isinstance(delta, bool) or not isinstance(delta, int | float)):
            return None
        return (None if delta is None else float(delta)), value["basis"]

    def put_change(self, key: str, change: tuple[float | None, str]) -> None:
        delta, basis = change
        self.results.where.write(key, json.dumps({"format": FORMAT, "delta": delta, "basis": basis}).encode())


__all__ = ["MemberCache"]
