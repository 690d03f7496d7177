"""The incremental cache: content-hash keys of a job's inputs, and the manifest that records them.

A job's key is a sha256 over everything its outputs depend on: the assessment's bytes, the bytes
of every checklist file it (or an earlier year in its trend) names, the templates, the ssdocs
version, the options, and the earlier years' files. Which checklists a job names is only known
after loading it, so the manifest records them (like a compiler's dependency file): an unchanged
assessment names the same checklists, a changed one is rebuilt anyway.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ssdocs.core.files import write_text

BATCH_MANIFEST = ".ssdocs-manifest.json"
MANIFEST_FORMAT = 1
ChecklistRef = tuple[str, str]


def digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest_file(path: Path) -> str:
    """sha256 of a file's bytes, read in blocks (reports can be large)."""
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def digest_tree(folder: Path, exclude: Iterable[str] = ()) -> str:
    """sha256 over every file's relative path and bytes below `folder` (sorted, so stable)."""
    skipped = tuple(exclude)
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel.startswith(skipped) or "__pycache__" in rel:
            continue
        h.update(rel.encode("utf-8") + b"\0" + digest_file(path).encode("ascii") + b"\n")
    return h.hexdigest()


@dataclass(frozen=True)
class Fingerprint:
    """What every job of one batch run shares: templates, version, options. `code` digests the
    package's own source too, so a development build whose version did not change still rebuilds."""

    templates: str
    version: str
    options: Mapping[str, Any]
    code: str = ""

    def text(self) -> str:
        return json.dumps({"templates": self.templates, "version": self.version, "code": self.code,
                           "options": dict(self.options)}, sort_keys=True)


def job_key(fingerprint: Fingerprint, assessment: str, history: Mapping[str, str],
            checklists: Mapping[ChecklistRef, str]) -> str:
    """The key of one job: `assessment` and `history` (file name -> digest) are file digests,
    `checklists` maps each (id, version) the job used to its file's digest."""
    payload = {
        "run": fingerprint.text(),
        "assessment": assessment,
        "history": sorted(history.items()),
        "checklists": sorted([f"{cid}@{ver}", d] for (cid, ver), d in checklists.items()),
    }
    return digest_bytes(json.dumps(payload, sort_keys=True).encode("utf-8"))


@dataclass
class Entry:
    """What one built job left: its key, its outputs (relative path -> sha256), what it used, and
    the figures the index needs (so a skipped job is not loaded again)."""

    key: str
    outputs: dict[str, str]
    checklists: list[ChecklistRef]
    summary: dict[str, Any]

    @classmethod
    def from_json(cls, data: Any) -> Entry | None:
        try:
            return cls(
                key=str(data["key"]),
                outputs={str(k): str(v) for k, v in data["outputs"].items()},
                checklists=[(str(c), str(v)) for c, v in data["checklists"]],
                summary=dict(data["summary"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return None


@dataclass
class Manifest:
    """`output/.ssdocs-manifest.json`: one Entry per job (keyed by the job's relative file)."""

    entries: dict[str, Entry] = field(default_factory=dict)
    # Why an existing manifest was ignored (unreadable, other format); everything is rebuilt then.
    discarded: str | None = None
    touched: set[str] = field(default_factory=set, repr=False)
    removed: set[str] = field(default_factory=set, repr=False)

    @classmethod
    def load(cls, output: Path) -> Manifest:
        path = output / BATCH_MANIFEST
        if not path.exists():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            return cls(discarded=f"{path}: unreadable ({exc}); rebuilding everything")
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
            return cls(discarded=f"{path}: written by another ssdocs version; rebuilding everything")
        entries = {}
        for name, raw in dict(data.get("entries") or {}).items():
            entry = Entry.from_json(raw)
            if entry is not None:
                entries[str(name)] = entry
        return cls(entries=entries)

    def save(self, output: Path, version: str) -> Path:
        """Write atomically. Only the entries this run changed are written over what is on disk
        just before, so shards built into one folder (one after another) share one manifest."""
        merged = dict(Manifest.load(output).entries)
        merged.update({name: self.entries[name] for name in self.touched})
        for name in self.removed:
            merged.pop(name, None)
        data = {"format": MANIFEST_FORMAT, "ssdocs": version,
                "entries": {name: _entry_json(merged[name]) for name in sorted(merged)}}
        return write_text(output / BATCH_MANIFEST, json.dumps(data, ensure_ascii=False, indent=1) + "\n")

    def put(self, name: str, entry: Entry) -> None:
        self.entries[name] = entry
        self.touched.add(name)
        self.removed.discard(name)

    def drop(self, name: str) -> None:
        self.entries.pop(name, None)
        self.touched.discard(name)
        self.removed.add(name)


def _entry_json(entry: Entry) -> dict[str, Any]:
    data = asdict(entry)
    data["checklists"] = [list(ref) for ref in entry.checklists]
    return data


def outputs_intact(output: Path, outputs: Mapping[str, str]) -> bool:
    """Every recorded output still exists with the bytes it was written with."""
    for rel, recorded in outputs.items():
        path = output / rel
        try:
            if not path.is_file() or digest_file(path) != recorded:
                return False
        except OSError:
            return False
    return bool(outputs)


__all__ = [
    "BATCH_MANIFEST",
    "Entry",
    "Fingerprint",
    "Manifest",
    "digest_bytes",
    "digest_file",
    "digest_tree",
    "job_key",
    "outputs_intact",
]
