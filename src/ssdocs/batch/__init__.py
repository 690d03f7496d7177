"""Batch generation: every jurisdiction-year report of a tree, in parallel, incrementally, indexed.

`jobs` finds and shards the work, `cache` keys it and keeps the manifest, `worker` builds one
document in a warm process, `index` writes the overview, `build.batch()` runs it all.
"""

from ssdocs.batch.build import BatchResult, Planned, batch
from ssdocs.batch.jobs import Job, find_jobs, parse_shard, select_shard, shard_of
from ssdocs.batch.worker import Outcome, RenderOptions

__all__ = [
    "BatchResult",
    "Job",
    "Outcome",
    "Planned",
    "RenderOptions",
    "batch",
    "find_jobs",
    "parse_shard",
    "select_shard",
    "shard_of",
]
