"""A tree of jurisdictions, one at a time: each one loaded and summed up, in worker processes or not.

`ssdocs trend` and `ssdocs check` on a national tree must not hold every History at once (about
300 KB per assessment): each jurisdiction is loaded, handed to a function that keeps only what the
outputs need (text, a few numbers), and dropped. With several workers, jurisdictions are spread
over processes and the summaries still come back in the tree's order, so the outputs are the same
as in one process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar, cast

from ssdocs.core.process import cores, quiet_gc, tune_gc, worker_pool
from ssdocs.errors import Problem, ValidationFailed
from ssdocs.history.loading import History, duplicate_problems, jurisdiction_folders, load_history
from ssdocs.loading import cache as cache_module
from ssdocs.loading.cache import ResultCache
from ssdocs.loading.checklists import Catalog

T = TypeVar("T")
# What a summing-up function gets: the path it was given (a file or a jurisdiction's folder), the
# loaded history and the catalog (for re-scoring).
Summarise = Callable[[Path, History, Catalog], T]
SMALL_TREE = 32  # below this many jurisdictions, worker processes cost more than they save
# The collector while a tree loads, in one process or in each worker: rarer collections than the
# CLI's (ssdocs.core.process), since a tree allocates far more and keeps little.
TREE_GC = (20_000, 20, 50)


@dataclass(frozen=True)
class Summary(Generic[T]):
    """One jurisdiction summed up, or the problems that stopped it from loading."""

    source: Path
    value: T | None
    problems: list[Problem]
    jurisdiction: str = ""
    first: Path | None = None  # its first year's file: where a duplicate jurisdiction is reported
    notes: list[str] = field(default_factory=list)  # the years left out of it (History.notes)


def summarise(source: Path, catalog: Catalog, cache: ResultCache | None, fn: Summarise[T],
              all_years: bool = False, until: int | None = None) -> Summary[T]:
    """Load one jurisdiction (no year after `until`) and sum it up; a user's error becomes the
    Summary's problems."""
    try:
        history = load_history(source, catalog, until, cache=cache, all_years=all_years)
    except ValidationFailed as exc:
        return Summary(source, None, exc.problems)
    try:
        value = fn(source, history, catalog)
    except ValidationFailed as exc:  # the gate's checks of dates
        return Summary(source, None, exc.problems, history.jurisdiction, history.entries[0].path, history.notes)
    return Summary(source, value, [], history.jurisdiction, history.entries[0].path, history.notes)


def summarise_all(sources: Sequence[Path], catalog: Catalog, fn: Summarise[T],
                  workers: int = 1, all_years: bool = False, until: int | None = None) -> Iterator[Summary[T]]:
    """Every source summed up, in order; with `workers` > 1 in that many processes. `fn` must be a
    module-level function (or a functools.partial of one) for the workers to receive it. `until`:
    as `load_history`'s (a source that is a year file is that year, its earlier siblings with it)."""
    cache = ResultCache.for_catalog(list(catalog.values()))
    if workers <= 1 or len(sources) < 2:
        with quiet_gc(TREE_GC):
            for source in sources:
                yield summarise(source, catalog, cache, fn, all_years, until)
        return
    workers = min(workers, len(sources))
    chunk = max(1, min(64, len(sources) // (workers * 8)))
    with worker_pool(workers, _init_worker, (catalog, cache is not None, fn, all_years, until)) as pool:
        for summary in pool.map(_work, sources, chunksize=chunk):
            yield cast(Summary[T], summary)


def problems_of(summaries: Sequence[Summary[T]]) -> list[Problem]:
    """Every problem of the summaries, then the jurisdictions assessed in two folders."""
    problems = [p for s in summaries for p in s.problems]
    return problems + duplicate_problems([(s.jurisdiction, s.first) for s in summaries if s.first is not None])


def default_workers(sources: int, asked: int | None) -> int:
    """`-j N` as given, else the number of cores; a small tree stays in one process unless asked."""
    if asked is not None:
        return asked
    return cores() if sources >= SMALL_TREE else 1


_WORKER: dict[str, object] = {}


def _init_worker(catalog: Catalog, cached: bool, fn: Summarise[object], all_years: bool,
                 until: int | None = None) -> None:
    cache_module.set_enabled(cached)
    _WORKER.update(catalog=catalog, fn=fn, cache=ResultCache.for_catalog(list(catalog.values())),
                   all_years=all_years, until=until)
    # A worker lives for the whole tree: freeze what it has loaded, collect less often (see
    # ssdocs.core.process.quiet_gc); it exits with the pool, so nothing needs undoing.
    tune_gc(TREE_GC, freeze=True)


def _work(source: Path) -> Summary[object]:
    return summarise(source, _WORKER["catalog"], _WORKER["cache"], _WORKER["fn"],  # type: ignore[arg-type]
                     bool(_WORKER["all_years"]), _WORKER["until"])  # type: ignore[arg-type]


__all__ = [
    "SMALL_TREE",
    "Summary",
    "default_workers",
    "duplicate_problems",
    "jurisdiction_folders",
    "problems_of",
    "summarise",
    "summarise_all",
]
