"""Lint the map of the paper (checklists/paper-map.yaml): verbatim quotes, real item ids, a status each."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ssdocs.errors import Problem
from ssdocs.loading.yamlio import Document
from ssdocs.models.registers import PaperMap

if TYPE_CHECKING:
    from ssdocs.lint import Paper


@dataclass(frozen=True)
class MapCounts:
    recommendations: int
    mapped: int
    out_of_scope: int
    unmapped: int

    def line(self) -> str:
        return (f"paper map: {self.recommendations} recommendations, {self.mapped} mapped to items, "
                f"{self.out_of_scope} out of scope, {self.unmapped} unmapped")


def check_paper_map(doc: Document, paper_map: PaperMap, paper: Paper,
                    latest_ids: list[str]) -> tuple[list[Problem], MapCounts]:
    """Every quote verbatim and in its part, every item id in a latest version, items xor out_of_scope."""
    from ssdocs.lint import normalise

    problems = []
    for i, entry in enumerate(paper_map.entries):
        at = ("entries", i)
        quote = normalise(entry.quote)
        if quote not in paper.text:
            problems.append(doc.problem((*at, "quote"), f"quote not found in the paper: '{entry.quote}'"))
        elif quote not in paper.parts.get(entry.section, quote):
            part = paper.part_of(quote)
            if part is not None:
                problems.append(doc.problem((*at, "section"), f"the quote is in part {part} of the paper, "
                                            f"not {entry.section}; set section: {part}"))
        for k, ident in enumerate(entry.items):
            if ident not in latest_ids:
                hint = difflib.get_close_matches(ident, latest_ids, n=1, cutoff=0.6)
                problems.append(doc.problem((*at, "items", k), f"{ident} is not an item of the latest checklist "
                                            "versions" + (f"; did you mean {hint[0]!r}?" if hint else "")))
        if entry.status == "both":
            problems.append(doc.problem(at, f"{entry.id} has both items and out_of_scope: give one of them"))
        elif entry.status == "unmapped":
            problems.append(doc.problem(at, f"{entry.id} is unmapped: give the items that check it, "
                                        "or out_of_scope with the reason"))
    statuses = [e.status for e in paper_map.entries]
    counts = MapCounts(len(statuses), statuses.count("mapped"), statuses.count("out-of-scope"),
                       statuses.count("unmapped"))
    return problems, counts
