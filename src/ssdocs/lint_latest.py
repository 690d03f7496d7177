"""Lint rules for the latest version of each checklist: legal basis, evidence, context weights, crosswalk."""

from __future__ import annotations

import difflib
import re

from ssdocs.errors import Problem
from ssdocs.history.crosswalk import entries_between, version_key
from ssdocs.loading.yamlio import Document, Path_
from ssdocs.models.checklist import Checklist, GridItem, NumberItem, ScaleItem
from ssdocs.models.registers import BasisRegister

Loaded = list[tuple[Document, Checklist]]
CHANGES = "kept, renamed, split, merged, rescaled or dropped"
# The lowest scale level must say that no evidence (or only verbal assurance) means this level.
_NO_EVIDENCE_ZH = re.compile(r"无|没有|未提供|口头")
_NO_EVIDENCE_EN = re.compile(r"\bno\b|\bnone\b|\bverbal|\bwithout\b|\bnot\b", re.IGNORECASE)


def item_path(doc: Document, item_id: str) -> Path_:
    """The document path of the item with this id (sections[i].items[j])."""
    for i, section in enumerate(doc.data.get("sections", [])):
        for j, item in enumerate(section.get("items", [])):
            if isinstance(item, dict) and item.get("id") == item_id:
                return ("sections", i, "items", j)
    return ()


def latest_and_previous(loaded: Loaded) -> list[tuple[Document, Checklist, Checklist | None]]:
    """For each checklist id: its latest version (with its document) and the version before it, if loaded."""
    by_id: dict[str, list[tuple[Document, Checklist]]] = {}
    for doc, checklist in loaded:
        by_id.setdefault(checklist.id, []).append((doc, checklist))
    out = []
    for versions in by_id.values():
        versions.sort(key=lambda dc: version_key(dc[1].version))
        doc, newest = versions[-1]
        out.append((doc, newest, versions[-2][1] if len(versions) > 1 else None))
    return out


def check_latest(doc: Document, checklist: Checklist, previous: Checklist | None,
                 register: BasisRegister | None) -> list[Problem]:
    """What the latest version of a checklist must have (older versions are frozen history)."""
    problems = [*check_items(doc, checklist, register)]
    if previous is not None:
        problems.extend(check_crosswalk(doc, checklist, previous))
    return problems


def check_items(doc: Document, checklist: Checklist, register: BasisRegister | None) -> list[Problem]:
    problems = []
    known = register.ids() if register is not None else []
    for _, item in checklist.items():
        where = item_path(doc, item.id)
        if item.basis is None and register is not None:  # user checklists elsewhere: no register, no rule
            problems.append(doc.problem(where, f"item {item.id} has no basis: cite the instruments it enforces "
                                        "(basis: [{ref: …, article: …}]) or say basis: paper-only"))
        for k, ref in enumerate(item.basis_refs):
            if register is not None and ref.ref not in known:
                hint = difflib.get_close_matches(ref.ref, known, n=1, cutoff=0.6)
                problems.append(doc.problem((*where, "basis", k, "ref"), f"unknown basis ref {ref.ref!r}"
                                            + (f"; did you mean {hint[0]!r}?" if hint else "")
                                            + " (expected an id of the register basis.yaml)"))
        if isinstance(item, (NumberItem, GridItem)) and not item.evidence_required:
            problems.append(doc.problem(where, f"a {item.type} item must require evidence: "
                                        "set evidence_required: true"))
        if item.context and "weight" in item.model_fields_set:
            problems.append(doc.problem((*where, "weight"),
                                        "a context item is never scored: remove its weight"))
        if isinstance(item, ScaleItem):
            for k, level in enumerate(item.levels):
                if level.evidence is None:
                    problems.append(doc.problem((*where, "levels", k), f"level {level.value} has no evidence: "
                                                "state the minimum evidence to claim it (evidence: {zh, en})"))
                elif k == 0 and not (_NO_EVIDENCE_ZH.search(level.evidence.zh)
                                     and _NO_EVIDENCE_EN.search(level.evidence.en)):
                    problems.append(doc.problem((*where, "levels", 0, "evidence"),
                                                "the lowest level's evidence must say that no evidence "
                                                "(or only verbal assurance) means this level"))
    return problems


def check_crosswalk(doc: Document, checklist: Checklist, previous: Checklist) -> list[Problem]:
    """Every item of the previous version has an entry saying what became of it, naming real items."""
    problems = []
    entries = entries_between(checklist, previous.version)
    old_ids = previous.item_ids()
    new_ids = checklist.item_ids()
    covered = {e.old for e in entries}
    for k, entry in enumerate(checklist.crosswalk):
        if entry not in entries:
            continue
        at: Path_ = ("crosswalk", k)
        if entry.old not in old_ids and not any(entry.old in e.new for e in entries):
            problems.append(doc.problem((*at, "old"), f"{entry.old} is not an item of {previous.version}"))
        for j, new in enumerate(entry.new):
            if new not in new_ids:
                problems.append(doc.problem((*at, "new", j), f"{new} is not an item of {checklist.version}"))
        if entry.change == "kept" and entry.old not in new_ids:
            problems.append(doc.problem((*at, "old"), f"{entry.old} is kept but not an item of {checklist.version}"))
        if entry.change != "kept" and entry.old not in entry.new and entry.old in new_ids:
            problems.append(doc.problem((*at, "old"), f"{entry.old} is {entry.change}, yet {checklist.version} "
                                        "uses the id again: a new item takes a new id"))
    missing = [i for i in old_ids if i not in covered]
    if missing:
        where: Path_ = ("crosswalk",) if "crosswalk" in doc.data else ()
        problems.append(doc.problem(where, f"the crosswalk has no entry for {len(missing)} item"
                                    f"{'s' if len(missing) != 1 else ''} of {previous.version}: "
                                    f"{', '.join(missing)}; say for each whether it is {CHANGES} "
                                    f"(since: {checklist.version})"))
    return problems
