"""Load checklists: one file each, or a whole folder as a catalog of ids and versions."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ssdocs.core.paths import checklists_dir
from ssdocs.errors import Problem, ValidationFailed
from ssdocs.loading import cache as _cache
from ssdocs.loading.problems import validate_document
from ssdocs.loading.yamlio import Document, load_yaml, read_bytes
from ssdocs.models.checklist import Checklist

Catalog = dict[tuple[str, str], Checklist]

# Data files that live among the checklists but are not checklists: the register of legal
# instruments that items cite, and the map of the paper's recommendations to items.
REGISTERS = frozenset({"basis.yaml", "paper-map.yaml"})
# A register may be kept in parts while it is written (paper-map.part-b.yaml): those are not checklists.
_REGISTER_PARTS = ("basis.", "paper-map.")


def is_register(path: Path) -> bool:
    """Whether a file among the checklists is a register (or a part of one), not a checklist."""
    return path.name in REGISTERS or path.name.startswith(_REGISTER_PARTS)


def parse_checklist(doc: Document) -> Checklist:
    """Validate a parsed YAML document as a checklist."""
    return validate_document(doc, Checklist, "a checklist")


def load_checklist(path: Path | str) -> Checklist:
    """Load and validate one checklist file."""
    return parse_checklist(load_yaml(Path(path)))


def find_checklists(where: Path | str | None = None) -> list[Path]:
    """Every checklist file in a folder (recursively), sorted; the shipped folder by default."""
    folder = Path(where) if where is not None else checklists_dir()
    if folder.is_file():
        return [folder]
    return sorted(p for p in folder.rglob("*.yaml") if p.is_file() and not is_register(p))


def load_checklists(
    sources: Path | str | Iterable[Path | str] | None = None,
    files: dict[tuple[str, str], Path] | None = None,
    cache: bool | None = None,
) -> Catalog:
    """Load checklists into a catalog keyed by (id, version); every problem of every file together.

    When `files` is given, it receives the file each checklist came from (reports embed them).
    A valid catalog is kept in ssdocs' cache by the checklist files' bytes and read from there
    next time (`cache`: None = unless caching is turned off, see `ssdocs.loading.cache`).

    Item ids must be unique across different checklists, because an assessment's answers are
    keyed by item id alone; two versions of one checklist naturally share ids.
    """
    if sources is None or isinstance(sources, (str, Path)):
        paths = find_checklists(sources)
    else:
        paths = [p for s in sources for p in find_checklists(s)]
    where = _cache.store("catalogs") if cache is None or cache else None
    key = None
    if where is not None:
        try:
            key = _cache.catalog_key([read_bytes(p) for p in paths])
        except ValidationFailed:
            key = None  # reported with its location by the uncached load below
        found = _cache.read_catalog(where, key) if key is not None else None
        if found is not None and all(0 <= i < len(paths) for i, _ in found):
            if files is not None:
                files.update({(c.id, c.version): paths[i] for i, c in found})
            return {(c.id, c.version): c for _, c in found}
    catalog, origin = _load_catalog(paths)
    if files is not None:
        files.update(origin)
    if where is not None and key is not None:
        index = {path: i for i, path in enumerate(paths)}
        _cache.write_catalog(where, key, [(index[origin[k]], c) for k, c in catalog.items()])
    return catalog


def _load_catalog(paths: list[Path]) -> tuple[Catalog, dict[tuple[str, str], Path]]:
    catalog: Catalog = {}
    docs: dict[tuple[str, str], Path] = {}
    problems: list[Problem] = []
    owner: dict[str, str] = {}
    for path in paths:
        try:
            checklist = load_checklist(path)
        except ValidationFailed as exc:
            problems.extend(exc.problems)
            continue
        key = (checklist.id, checklist.version)
        if key in catalog:
            problems.append(
                Problem(str(path), 1, 1, "version",
                        f"checklist {checklist.id} {checklist.version} is also defined in {docs[key]}")
            )
            continue
        for ident in checklist.item_ids():
            other = owner.setdefault(ident, checklist.id)
            if other != checklist.id:
                problems.append(
                    Problem(str(path), 1, 1, "sections",
                            f"item id {ident} is already used by checklist {other!r}; item ids are global")
                )
        catalog[key] = checklist
        docs[key] = path
    if problems:
        raise ValidationFailed(problems)
    return catalog, docs


def latest(catalog: Catalog, checklist_id: str) -> Checklist | None:
    """The highest version of a checklist in the catalog."""
    versions = [c for (cid, _), c in catalog.items() if cid == checklist_id]
    return max(versions, key=lambda c: tuple(int(x) for x in c.version.split(".")), default=None)
