"""The batch's job list: every `<jurisdiction>/<year>.yaml` under a tree, output names, shards."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ssdocs.core.names import safe_name
from ssdocs.errors import SsdocsError

YEAR_FILE = re.compile(r"^(\d{4})\.ya?ml$")
SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True, order=True)
class Job:
    """One jurisdiction-year: its file and the sibling years that feed its trend section."""

    jurisdiction: str  # the jurisdiction folder relative to the tree's root, posix ("gd/shenzhen")
    year: int
    path: Path
    rel: str  # the file relative to the root, posix: the job's name in messages and the manifest
    # The earlier `<year>.yaml` files of the folder, oldest first: a report's change and trend
    # sections read them (a report looks back, never forward), so they are inputs too. Later
    # years are not: editing 2025 leaves the 2023 and 2024 reports as they are.
    siblings: tuple[Path, ...] = ()

    @property
    def output_folder(self) -> str:
        """Where this job's outputs go, relative to the output folder: the jurisdiction's folders,
        each made file-name-safe."""
        return "/".join(slug(p) for p in self.jurisdiction.split("/"))


def slug(name: str) -> str:
    """A folder name made safe for the output tree (`safe_name`: letters of any script stay, so
    `广东` stays `广东`); a name that had to change gets a hash suffix, so two different folders
    (`a b` and `a-b`) never share an output folder."""
    safe = safe_name(name, fallback="jurisdiction")
    if safe == name:
        return name
    return f"{safe}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"


def find_jobs(root: Path | str, exclude: Path | str | None = None) -> list[Job]:
    """Every `<year>.yaml` under `root` (any depth), sorted by jurisdiction then year.

    Hidden folders and `exclude` (the output folder, when it lies inside the tree) are skipped;
    symbolic links to folders are not followed. A `root` that itself holds year files is one
    jurisdiction, named after the folder.
    """
    root = Path(root)
    if root.is_file():
        raise SsdocsError(f"{root}: expected a folder of <jurisdiction>/<year>.yaml files, got a file")
    if not root.is_dir():
        raise SsdocsError(f"{root}: folder not found")
    skip = Path(exclude).resolve() if exclude is not None else None
    jobs: list[Job] = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and (skip is None or (here / d).resolve() != skip))
        years = sorted((int(m.group(1)), name) for name in files
                       if (m := YEAR_FILE.match(name)) and (here / name).is_file())
        if not years:
            continue
        rel_folder = here.relative_to(root).as_posix()
        jurisdiction = root.resolve().name if rel_folder == "." else rel_folder
        prefix = "" if rel_folder == "." else rel_folder + "/"
        for year, name in years:
            others = tuple(here / n for y, n in years if y < year)
            jobs.append(Job(jurisdiction, year, here / name, prefix + name, others))
    return sorted(jobs)


def latest_only(jobs: list[Job]) -> list[Job]:
    """The latest year of each jurisdiction (its report still reads the earlier years beside it)."""
    latest: dict[str, Job] = {}
    for job in jobs:
        if job.jurisdiction not in latest or job.year > latest[job.jurisdiction].year:
            latest[job.jurisdiction] = job
    return sorted(latest.values())


def parse_shard(text: str) -> tuple[int, int]:
    """`"2/8"` -> (2, 8): the second of eight shards (1-based, as CI matrices count)."""
    match = SHARD.match(text)
    if not match:
        raise SsdocsError(f"--shard: expected K/N with whole numbers, e.g. 1/4, got {text!r}")
    k, n = int(match.group(1)), int(match.group(2))
    if n < 1 or not 1 <= k <= n:
        raise SsdocsError(f"--shard: expected 1 <= K <= N, got {k}/{n}")
    return k, n


def shard_of(jurisdiction: str, shards: int) -> int:
    """The 1-based shard a jurisdiction falls in: a stable hash of its folder, so all its years
    stay together and the split never depends on the machine, the Python version or the order."""
    digest = hashlib.sha256(jurisdiction.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % shards + 1


def select_shard(jobs: list[Job], k: int, n: int) -> list[Job]:
    """The jobs of shard k of n; the n shards partition the job list."""
    return [job for job in jobs if shard_of(job.jurisdiction, n) == k]


__all__ = ["Job", "find_jobs", "latest_only", "parse_shard", "select_shard", "shard_of", "slug"]
