"""`batch()`: every report of a tree of assessments, in parallel and incrementally, then the index.

Reads top to bottom, one private helper per step: check the output, find the jobs, take this
shard (and only the latest years, if asked), key every job, skip what is unchanged, build the rest
in worker processes, record the manifest, write the index.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ssdocs import __version__
from ssdocs.batch.cache import Entry, Fingerprint, Manifest, digest_file, digest_tree, job_key, outputs_intact
from ssdocs.batch.index import FailedJob, index_rows, write_index
from ssdocs.batch.jobs import Job, find_jobs, latest_only, select_shard
from ssdocs.batch.merge import write_shard_record
from ssdocs.batch.worker import Outcome, RenderOptions, Task, checklist_files, init_worker, run_task
from ssdocs.core.files import locked, output_root
from ssdocs.core.paths import templates_dir
from ssdocs.core.process import cores, tune_gc, worker_pool
from ssdocs.errors import OutputError, Problem, ValidationFailed
from ssdocs.loading.cache import code_digest
from ssdocs.loading.checklists import load_checklists
from ssdocs.render.fonts import check_cjk_font


@dataclass(frozen=True)
class Planned:
    """Sent to the progress callback once, before the first document is built."""

    jobs: int
    to_build: int
    skipped: int
    workers: int


Progress = Callable[[Planned | Outcome], None]


@dataclass
class BatchResult:
    """What a batch did: built, skipped and failed jobs, the index it wrote, how long it took."""

    output: Path
    discovered: int  # jurisdiction-years in the whole tree
    jobs: int  # in this shard (only the latest years with `latest`)
    shard: tuple[int, int] | None
    workers: int
    latest: bool = False
    built: list[Outcome] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)  # invalid input: located problems
    errors: list[Outcome] = field(default_factory=list)  # unexpected: a bug, with its traceback
    index: tuple[Path, Path] | None = None
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """3 if a document failed unexpectedly (a bug), else 2 if an input was invalid, else 0."""
        return 3 if self.errors else 2 if self.failed else 0


def batch(
    root: Path | str,
    output: Path | str,
    *,
    workers: int | None = None,
    shard: tuple[int, int] | None = None,
    options: RenderOptions = RenderOptions(),
    force: bool = False,
    latest: bool = False,
    checklist_sources: Sequence[Path | str] = (),
    allow_missing_fonts: bool = False,
    progress: Progress | None = None,
) -> BatchResult:
    """Build the report of every `<jurisdiction>/<year>.yaml` under `root` into `output`.

    An invalid assessment fails alone (its problems are in the result); unchanged jobs are skipped
    by content hash unless `force`; `shard=(k, n)` builds only the k-th of n shards; `latest`
    only each jurisdiction's latest year (the earlier years' reports already in `output` are kept,
    and indexed).
    """
    started = time.perf_counter()
    root, output = Path(root), Path(output)
    with output_root(output):  # no write through a link planted inside `output`
        return _batch(root, output, started, workers, shard, options, force, latest, checklist_sources,
                      allow_missing_fonts, progress)


def _batch(root: Path, output: Path, started: float, workers: int | None, shard: tuple[int, int] | None,
           options: RenderOptions, force: bool, latest: bool, checklist_sources: Sequence[Path | str],
           allow_missing_fonts: bool, progress: Progress | None) -> BatchResult:
    _check_output(output)
    if options.fmt == "pdf":
        check_cjk_font(allow_missing_fonts)
    sources = tuple(str(s) for s in checklist_sources)
    _check_catalog(sources)
    checklist_digests = {key: digest_file(path) for key, path in checklist_files(sources).items()}
    discovered = find_jobs(root, exclude=output)
    if not discovered:
        raise ValidationFailed([Problem(str(root), 0, 0, "", "no assessment files found: expected "
                                        "<jurisdiction>/<year>.yaml, e.g. example-city/2024.yaml")])
    jobs = select_shard(discovered, *shard) if shard else discovered
    if latest:
        jobs = latest_only(jobs)
    fingerprint = Fingerprint(digest_tree(templates_dir(), exclude=("index/",)), __version__, options.key(),
                              code=code_digest())
    manifest = Manifest.load(output)
    digests = _digests(jobs)
    to_build, skipped = _plan(jobs, digests, fingerprint, checklist_digests, manifest, output, force)
    count = max(1, min(workers or cores(), len(to_build) or 1))
    result = BatchResult(output, len(discovered), len(jobs), shard, count, latest, skipped=[j.rel for j in skipped])
    if manifest.discarded:
        result.notes.append(manifest.discarded)
    if progress:
        progress(Planned(len(jobs), len(to_build), len(skipped), count))
    by_rel = {job.rel: job for job in to_build}
    tasks = [_task(job, output, digests) for job in to_build]

    def record(outcome: Outcome) -> None:
        job = by_rel[outcome.rel]
        if outcome.status == "built":
            used = {ref: checklist_digests.get(ref, "missing") for ref in outcome.checklists}
            key = job_key(fingerprint, digests[job.path], _sibling_digests(job, digests), used)
            manifest.put(job.rel, Entry(key, outcome.outputs, outcome.checklists, outcome.summary or {}))
            result.built.append(outcome)
        else:
            manifest.drop(job.rel)
            (result.failed if outcome.status == "failed" else result.errors).append(outcome)
        if progress:
            progress(outcome)

    try:
        _run(tasks, count, options, sources, record)
    finally:
        # Shards built into one folder at the same time: each merges its entries into the manifest
        # on disk and indexes the merged manifest, one run at a time.
        with locked(output):
            _prune(manifest, discovered)
            manifest.save(output, __version__)
    for outcomes in (result.built, result.failed, result.errors):
        outcomes.sort(key=lambda o: o.rel)
    with locked(output):
        result.index = _write_index(output, discovered, Manifest.load(output), result, options.lang)
    # What this run built, for `ssdocs batch --merge` (ssdocs.batch.merge).
    write_shard_record(output, shard, discovered, jobs, [
        (o.rel, by_rel[o.rel].jurisdiction, o.year, _index_message(o)) for o in (*result.failed, *result.errors)])
    result.seconds = time.perf_counter() - started
    return result


def _check_output(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise OutputError(f"{output}: expected a folder for the reports, got a file")
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{output}: cannot create the output folder ({exc.strerror})") from None


def _check_catalog(sources: tuple[str, ...]) -> None:
    """A broken checklist stops the whole batch (ValidationFailed): every report would fail."""
    load_checklists(list(sources)) if sources else load_checklists()


def _digests(jobs: list[Job]) -> dict[Path, str]:
    """sha256 of every job's file and of the years beside it (each file read once)."""
    digests: dict[Path, str] = {}
    for job in jobs:
        for path in (job.path, *job.siblings):
            if path not in digests:
                digests[path] = digest_file(path)
    return digests


def _sibling_digests(job: Job, digests: dict[Path, str]) -> dict[str, str]:
    return {path.name: digests[path] for path in job.siblings}


def _plan(jobs: list[Job], digests: dict[Path, str], fingerprint: Fingerprint,
          checklist_digests: dict[tuple[str, str], str], manifest: Manifest, output: Path,
          force: bool) -> tuple[list[Job], list[Job]]:
    """(to build, to skip): a job is skipped when its key is the one recorded and its outputs are
    still there with the bytes recorded."""
    to_build: list[Job] = []
    skipped: list[Job] = []
    for job in jobs:
        entry = manifest.entries.get(job.rel)
        if force or entry is None or any(ref not in checklist_digests for ref in entry.checklists):
            to_build.append(job)
            continue
        used = {ref: checklist_digests[ref] for ref in entry.checklists}
        key = job_key(fingerprint, digests[job.path], _sibling_digests(job, digests), used)
        (skipped if key == entry.key and outputs_intact(output, entry.outputs) else to_build).append(job)
    return to_build, skipped


def _task(job: Job, output: Path, digests: dict[Path, str]) -> Task:
    return Task(
        rel=job.rel, jurisdiction=job.jurisdiction, year=job.year, path=str(job.path),
        siblings=tuple(str(p) for p in job.siblings), output=str(output), folder=job.output_folder,
        digests={str(p): digests[p] for p in (job.path, *job.siblings)},
    )


def _run(tasks: list[Task], workers: int, options: RenderOptions, sources: tuple[str, ...],
         record: Callable[[Outcome], None]) -> None:
    """Build every task: in this process for one worker, else one document per worker at a time."""
    if not tasks:
        return
    if workers == 1:
        init_worker(options, sources)
        for task in tasks:
            record(run_task(task))
        return
    if options.fmt == "pdf":
        _prepare_fonts()
    with worker_pool(workers, _init_process, (options, sources)) as pool:
        futures: dict[Future[Outcome], Task] = {pool.submit(run_task, task): task for task in tasks}
        try:
            for future in as_completed(futures):
                record(_outcome(future, futures[future]))
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _init_process(options: RenderOptions, sources: tuple[str, ...]) -> None:
    """A worker process's initializer: the CLI's process settings, then the worker's warm-up."""
    tune_gc()
    init_worker(options, sources)


def _prepare_fonts() -> None:
    """Make the cached CJK subsets once here, not in every worker at the same time."""
    from ssdocs.render.fontsubset import prepare_subsets

    prepare_subsets()


def _outcome(future: Future[Outcome], task: Task) -> Outcome:
    """The worker's Outcome, or an error one when the worker process itself died."""
    try:
        return future.result()
    except Exception as exc:  # BrokenProcessPool, a pickling error: a bug or a crash, not the input
        return Outcome(task.rel, task.jurisdiction, task.year, "error",
                       message=f"{task.path}: the worker process failed: {type(exc).__name__}: {exc}")


def _prune(manifest: Manifest, discovered: list[Job]) -> None:
    """Forget jobs whose assessment file is gone."""
    present = {job.rel for job in discovered}
    for name in [n for n in manifest.entries if n not in present]:
        manifest.drop(name)


def _write_index(output: Path, discovered: list[Job], manifest: Manifest, result: BatchResult,
                 lang: str) -> tuple[Path, Path]:
    """Index every jurisdiction the output folder holds a report of (this shard's and any other
    shard's built into the same folder), with this run's failures."""
    summaries: dict[str, list[dict[str, object]]] = {}
    failures: dict[str, list[FailedJob]] = {}
    for job in discovered:
        entry = manifest.entries.get(job.rel)
        if entry is not None and entry.summary:
            summaries.setdefault(job.jurisdiction, []).append(entry.summary)
    for outcome in (*result.failed, *result.errors):
        failures.setdefault(outcome.jurisdiction, []).append(
            FailedJob(outcome.year, outcome.rel, _index_message(outcome)))
    return write_index(output, index_rows(summaries, failures), lang, __version__)


def _index_message(outcome: Outcome) -> str:
    """The first problem, located in the file named relative to the tree, and how many follow."""
    if outcome.status != "failed":
        return "internal error (a bug in ssdocs): see the batch's output"
    lines = outcome.message.strip().splitlines() or ["invalid"]
    where, _, what = lines[0].partition(": ")
    position = re.search(r"(:\d+:\d+)$", where)
    first = f"{outcome.rel}{position.group(1) if position else ''}: {what}" if what else lines[0]
    return first + (f" (+{len(lines) - 1} more)" if len(lines) > 1 else "")


__all__ = ["BatchResult", "Planned", "Progress", "batch"]
