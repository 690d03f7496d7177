"""Shards put back together: the output folders of `ssdocs batch --shard K/N` (built on N
machines) -> one folder with every report, one manifest and one index.

Each batch run leaves `.ssdocs-shard.json` beside its manifest: which shard it built, of which
tree (a digest of every job the tree holds), its jobs and its failures. The merge refuses shards
that overlap (a shard given twice, a job in two folders), are missing, or come from another tree.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ssdocs import __version__
from ssdocs.batch.cache import Manifest, digest_file
from ssdocs.batch.index import FailedJob, index_rows, write_index
from ssdocs.batch.jobs import Job
from ssdocs.core.files import write_text
from ssdocs.errors import SsdocsError

SHARD_RECORD = ".ssdocs-shard.json"
RECORD_FORMAT = 1


class MergeRefused(SsdocsError):
    """The shard folders do not make up one whole batch (exit 2)."""


@dataclass(frozen=True)
class ShardRecord:
    """What one batch run built: shard (k, n) or None for the whole tree, the tree's digest, the
    jobs (relative file -> jurisdiction folder) and the failures of this run."""

    shard: tuple[int, int] | None
    tree: str
    jobs: dict[str, str]
    failed: list[dict[str, Any]] = field(default_factory=list)


def tree_digest(discovered: Sequence[Job]) -> str:
    """Which tree a shard was cut from: every job's name, in order."""
    return hashlib.sha256("\n".join(sorted(j.rel for j in discovered)).encode("utf-8")).hexdigest()


def write_shard_record(output: Path, shard: tuple[int, int] | None, discovered: Sequence[Job],
                       jobs: Sequence[Job], failed: Sequence[tuple[str, str, int, str]]) -> Path:
    """`output/.ssdocs-shard.json` for this run; `failed` is (rel, jurisdiction, year, message)."""
    data = {"format": RECORD_FORMAT, "ssdocs": __version__, "shard": list(shard) if shard else None,
            "tree": tree_digest(discovered), "jobs": {j.rel: j.jurisdiction for j in sorted(jobs, key=lambda j: j.rel)},
            "failed": [{"rel": r, "jurisdiction": j, "year": y, "message": m} for r, j, y, m in failed]}
    return write_text(output / SHARD_RECORD, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def read_shard_record(folder: Path) -> ShardRecord:
    path = folder / SHARD_RECORD
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        shard = data["shard"]
        return ShardRecord(None if shard is None else (int(shard[0]), int(shard[1])), str(data["tree"]),
                           {str(k): str(v) for k, v in data["jobs"].items()}, list(data.get("failed") or []))
    except FileNotFoundError:
        raise MergeRefused(f"{folder}: expected the output folder of `ssdocs batch --shard K/N`, "
                           f"got no {SHARD_RECORD} in it") from None
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise MergeRefused(f"{path}: unreadable shard record ({exc}); build the shard again") from None


@dataclass(frozen=True)
class Merged:
    """What the merge wrote: the folder, how many shards and jobs, the index."""

    output: Path
    shards: int
    jobs: int
    failed: int
    index: tuple[Path, Path]


def merge_shards(folders: Sequence[Path | str], output: Path | str, lang: str = "zh") -> Merged:
    """Put the shard folders back together into `output` (reports copied, one manifest, one index),
    or refuse (MergeRefused) before writing anything."""
    paths = [Path(f) for f in folders]
    output = Path(output)
    if not paths:
        raise MergeRefused("--merge: expected the output folders of every shard, got none")
    records = [read_shard_record(p) for p in paths]
    _check_whole(paths, records)
    manifests = [Manifest.load(p) for p in paths]
    copies: list[tuple[Path, Path]] = []
    merged = Manifest()
    for folder, record, manifest in zip(paths, records, manifests, strict=True):
        for rel in sorted(set(manifest.entries) & set(record.jobs)):
            entry = manifest.entries[rel]
            for name, digest in entry.outputs.items():
                source = folder / name
                if not source.is_file() or digest_file(source) != digest:
                    raise MergeRefused(f"{source}: expected the report its manifest records for {rel}, "
                                       "got a missing or changed file; download the shard's artifact again")
                copies.append((source, output / name))
            merged.put(rel, entry)
    output.mkdir(parents=True, exist_ok=True)
    for source, target in copies:
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.resolve() != target.resolve():
            shutil.copyfile(source, target)
    merged.save(output, __version__)
    summaries: dict[str, list[dict[str, object]]] = {}
    failures: dict[str, list[FailedJob]] = {}
    all_jobs: dict[str, str] = {}
    failed = [f for r in records for f in r.failed]
    for record in records:
        all_jobs.update(record.jobs)
    for rel, jurisdiction in all_jobs.items():
        built = merged.entries.get(rel)
        if built is not None and built.summary:
            summaries.setdefault(jurisdiction, []).append(built.summary)
    for f in failed:
        failures.setdefault(str(f["jurisdiction"]), []).append(FailedJob(int(f["year"]), str(f["rel"]),
                                                                         str(f["message"])))
    write_text(output / SHARD_RECORD, json.dumps({
        "format": RECORD_FORMAT, "ssdocs": __version__, "shard": None, "tree": records[0].tree,
        "jobs": dict(sorted(all_jobs.items())), "failed": failed}, ensure_ascii=False, indent=1) + "\n")
    index = write_index(output, index_rows(summaries, failures), lang, __version__)
    return Merged(output, len(paths), len(all_jobs), len(failed), index)


def _check_whole(paths: Sequence[Path], records: Sequence[ShardRecord]) -> None:
    """Every shard of one tree exactly once, no job in two folders."""
    unsharded = [str(p) for p, r in zip(paths, records, strict=True) if r.shard is None]
    if unsharded:
        raise MergeRefused(f"{unsharded[0]}: expected a shard (built with --shard K/N), got a whole batch")
    counts = {r.shard[1] for r in records if r.shard}
    if len(counts) > 1:
        raise MergeRefused(f"shards of different splits: expected one N, got {sorted(counts)}")
    n = counts.pop()
    if len({r.tree for r in records}) > 1:
        raise MergeRefused("shards of different trees (or of one tree at different times): "
                           "build every shard from the same commit")
    seen: dict[int, Path] = {}
    for path, record in zip(paths, records, strict=True):
        assert record.shard is not None
        k = record.shard[0]
        if k in seen:
            raise MergeRefused(f"overlapping shards: {seen[k]} and {path} are both shard {k}/{n}")
        seen[k] = path
    missing = [f"{k}/{n}" for k in range(1, n + 1) if k not in seen]
    if missing:
        raise MergeRefused(f"missing shard{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                           f"(given {', '.join(f'{k}/{n}' for k in sorted(seen))}); "
                           "download every shard's artifact before merging")
    owner: dict[str, Path] = {}
    for path, record in zip(paths, records, strict=True):
        for rel in record.jobs:
            if rel in owner:
                raise MergeRefused(f"overlapping shards: {rel} is in {owner[rel]} and {path}")
            owner[rel] = path


__all__ = ["SHARD_RECORD", "MergeRefused", "Merged", "ShardRecord", "merge_shards", "read_shard_record",
           "tree_digest", "write_shard_record"]
