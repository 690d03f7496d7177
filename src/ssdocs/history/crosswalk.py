"""Which items of two checklist versions are the same item, through the newer one's crosswalk."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ssdocs.models.base import Text
from ssdocs.models.checklist import Checklist, CrosswalkEntry


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@dataclass(frozen=True)
class ItemLink:
    """How one item of the current version relates to the previous version."""

    id: str
    previous_id: str | None  # the same item in the previous version, when there is one
    comparable: bool
    reason: Text | None  # why not comparable, or a note such as "renamed from X"


@dataclass(frozen=True)
class Mapping:
    """Current items linked to previous ones, and previous items with no successor."""

    links: dict[str, ItemLink]
    gone: dict[str, Text]  # previous item id -> why it has no comparable successor

    def comparable_pairs(self) -> dict[str, str]:
        """Current id -> previous id, for the comparable items only."""
        return {i: link.previous_id for i, link in self.links.items()
                if link.comparable and link.previous_id is not None}


def entries_between(newer: Checklist, old_version: str) -> list[CrosswalkEntry]:
    """The crosswalk entries of `newer` that apply after `old_version`, oldest first.

    A checklist's crosswalk lists every change since its earlier versions, so the newer
    version alone says how to walk from any older one.
    """
    low, high = version_key(old_version), version_key(newer.version)
    return sorted((e for e in newer.crosswalk if low < version_key(e.since) <= high),
                  key=lambda e: version_key(e.since))


def map_items(previous: Checklist, current: Checklist) -> Mapping:
    """Link every item of `current` to `previous` (same version: every item is itself)."""
    prev_items = {item.id: item for _, item in previous.items()}
    cur_items = {item.id: item for _, item in current.items()}
    if previous.version == current.version:
        return Mapping({i: ItemLink(i, i, True, None) for i in cur_items}, {})
    backwards = version_key(current.version) < version_key(previous.version)
    newer, older = (previous, current) if backwards else (current, previous)
    # Follow each older item through the changes, in order: where does it end up, is it intact?
    track: dict[str, tuple[list[str], Text | None, bool]] = {
        i.id: ([i.id], None, True) for _, i in older.items()}
    for entry in entries_between(newer, older.version):
        for old_id, (ids, reason, intact) in list(track.items()):
            if entry.old not in ids:
                continue
            at = ids.index(entry.old)
            new_ids = ids[:at] + list(entry.new or ([entry.old] if entry.change == "kept" else [])) + ids[at + 1:]
            if entry.change == "kept":  # the same item, comparable: as if no entry were there
                track[old_id] = (new_ids, reason, intact)
            elif entry.change == "renamed":
                note = reason if not intact else Text(zh=f"{entry.since} 版由 {old_id} 更名",
                                                      en=f"renamed from {old_id} in {entry.since}")
                track[old_id] = (new_ids, note, intact)
            else:
                track[old_id] = (new_ids, _why(entry), False)
    # Invert: which older items land on each newer item.
    landing: dict[str, list[str]] = {}
    for old_id, (ids, _, _) in track.items():
        for new_id in ids:
            landing.setdefault(new_id, []).append(old_id)
    new_items = cur_items if not backwards else prev_items
    links: dict[str, ItemLink] = {}
    for new_id in new_items:
        sources = landing.get(new_id, [])
        if not sources:
            links[new_id] = ItemLink(new_id, None, False, Text(
                zh=f"{newer.version} 版新增，{older.version} 版无此项",
                en=f"new in {newer.version}, not in {older.version}"))
            continue
        if len(sources) > 1:
            joined = ", ".join(sources)
            links[new_id] = ItemLink(new_id, None, False, Text(
                zh=f"由 {joined} 合并而来", en=f"merged from {joined}"))
            continue
        ids, reason, intact = track[sources[0]]
        if not intact or len(ids) != 1:
            links[new_id] = ItemLink(new_id, sources[0], False, reason)
            continue
        old_type = (prev_items if not backwards else cur_items)[sources[0]].type
        if new_items[new_id].type != old_type:
            links[new_id] = ItemLink(new_id, sources[0], False, Text(
                zh=f"题型由 {old_type} 改为 {new_items[new_id].type}，但检查表未声明对照关系",
                en=f"type changed from {old_type} to {new_items[new_id].type} without a crosswalk entry"))
            continue
        links[new_id] = ItemLink(new_id, sources[0], True, reason)
    gone: dict[str, Text] = {}
    for old_id, (ids, reason, _) in track.items():
        if not any(i in new_items for i in ids):
            gone[old_id] = reason or Text(
                zh=f"{newer.version} 版已无此项，且检查表未声明对照关系",
                en=f"not in {newer.version} and no crosswalk entry says why")
    if backwards:
        return _reverse(links, gone, cur_items)
    return Mapping(links, gone)


def _reverse(links: dict[str, ItemLink], gone: dict[str, Text], cur_items: Iterable[str]) -> Mapping:
    """A mapping computed newer-to-older, turned around (the previous year used a newer version)."""
    out: dict[str, ItemLink] = {}
    covered: set[str] = set()
    for prev_id, link in links.items():
        if link.previous_id is not None and link.comparable:
            out[link.previous_id] = ItemLink(link.previous_id, prev_id, True, link.reason)
            covered.add(link.previous_id)
    for cur_id in cur_items:
        if cur_id not in covered:
            out[cur_id] = ItemLink(cur_id, None, False, gone.get(cur_id, Text(
                zh="与上一年所用版本不可比", en="not comparable with the previous year's version")))
    back_gone = {prev_id: link.reason or Text(zh="不可比", en="not comparable")
                 for prev_id, link in links.items() if not link.comparable}
    return Mapping(out, back_gone)


def _why(entry: CrosswalkEntry) -> Text:
    new = ", ".join(entry.new)
    if entry.change == "split":
        return Text(zh=f"{entry.since} 版将 {entry.old} 拆分为 {new}",
                    en=f"{entry.old} split into {new} in {entry.since}")
    if entry.change == "merged":
        return Text(zh=f"{entry.since} 版将 {entry.old} 并入 {new}",
                    en=f"{entry.old} merged into {new} in {entry.since}")
    if entry.change == "rescaled":
        return Text(zh=f"{entry.since} 版调整了 {entry.old} 的计分尺度",
                    en=f"{entry.old} rescaled in {entry.since}")
    return Text(zh=f"{entry.since} 版删除了 {entry.old}", en=f"{entry.old} dropped in {entry.since}")
