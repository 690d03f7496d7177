"""Process policy, in one place: Python's garbage collector as ssdocs runs it, and its worker pools.

Only a program that owns its process tunes the collector: the `ssdocs` command (`cli.main`) and
the worker processes it starts. A library function (`ssdocs.report`, `ssdocs.check`, …) never
changes process-wide state behind its caller's back: `quiet_gc` does nothing in a process that
did not call `tune_gc`.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

# Young objects collected every 10,000 allocations instead of 700, older ones less often too
# (Python's defaults: 700, 10, 10).
THRESHOLD = (10_000, 50, 100)
_TUNED = {"process": False}


def tune_gc(threshold: tuple[int, int, int] = THRESHOLD, *, freeze: bool = False) -> None:
    """Collect young objects every 10,000 allocations instead of 700, for the whole process.

    One command is one short-lived process allocating many small objects (YAML nodes, models,
    WeasyPrint boxes); with Python's default thresholds the collector takes ~18 % of the CPU of
    validating and scoring an assessment (measured: 11.7 -> 9.5 ms each), and memory is unchanged.
    `freeze` also moves what is alive now out of the collector's reach, for a worker that keeps
    its warm-up (catalog, imports) for its whole life. Called by the CLI and the worker processes
    it starts, never by the library; it lets `quiet_gc` act in this process.
    """
    if freeze:
        gc.freeze()
    gc.set_threshold(*threshold)
    _TUNED["process"] = True


@contextmanager
def quiet_gc(threshold: tuple[int, int, int] = THRESHOLD) -> Iterator[None]:
    """The collector tuned for one heavy step (a render, loading a tree), restored afterwards;
    nothing at all in a process that did not opt in with `tune_gc` (a library caller's).

    Such a step allocates millions of short-lived objects, and with the default thresholds every
    full collection re-scans each object alive before it began (~80,000: the imports, the catalog,
    what the caller keeps): 15-25 % of the step's time, growing with what is kept. Those objects
    are frozen out of the collector (after collecting what is garbage now, so a batch worker leaks
    nothing from one document to the next) and young objects are collected less often. A caller
    that froze objects itself keeps them frozen.
    """
    if not _TUNED["process"]:
        yield
        return
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.collect()
        gc.freeze()
    previous = gc.get_threshold()
    gc.set_threshold(*threshold)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        if freeze:
            gc.unfreeze()


def worker_pool(workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...] = ()) -> ProcessPoolExecutor:
    """The pool of worker processes every parallel command uses (batch, trend and check on a tree).

    Workers start as fresh interpreters (spawn), never as forks of the caller: a fork would copy
    the caller's threads' locks (rich's refresh thread, a server's pool), and spawn behaves the
    same on every system. Each worker pays its imports and warm-up once (`initializer`), not per
    task; being the command's own children, their CPU time and memory show in its resource usage.
    """
    import multiprocessing  # here: every command imports this module, few start workers
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=initializer, initargs=initargs)


def cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


__all__ = ["THRESHOLD", "cores", "quiet_gc", "tune_gc", "worker_pool"]
