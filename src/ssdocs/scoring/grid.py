"""Score a grid answer: each row's `scored_by` ratio falls in a band; the item is their mean."""

from __future__ import annotations

from dataclasses import dataclass, field

from ssdocs.models.checklist import Band, GridItem

NOTHING_TO_CHECK = "nothing to check"


@dataclass(frozen=True)
class GridRowScore:
    """One row of a grid answer: its cells, its ratios (percent, None when undefined), its band."""

    id: str
    na: bool
    cells: dict[str, float] = field(default_factory=dict)
    ratios: dict[str, float | None] = field(default_factory=dict)
    band: Band | None = None

    @property
    def scored(self) -> bool:
        return not self.na and self.band is not None


def grid_rows(item: GridItem, value: object) -> list[GridRowScore]:
    """Every row of the item, in the checklist's order; rows not answered count as na."""
    rows = value if isinstance(value, dict) else {}
    out = []
    for row in item.rows:
        raw = rows.get(row.id)
        if not isinstance(raw, dict):
            out.append(GridRowScore(row.id, na=True))
            continue
        cells = {c.id: float(raw[c.id]) for c in item.columns
                 if isinstance(raw.get(c.id), (int, float)) and not isinstance(raw.get(c.id), bool)}
        ratios = {r.id: item.ratio_value(r, cells) for r in item.ratios}
        scoring = ratios.get(item.scored_by)
        band = item.band_for(scoring) if scoring is not None else None
        out.append(GridRowScore(row.id, na=False, cells=cells, ratios=ratios, band=band))
    return out


def grid_score(item: GridItem, value: object) -> tuple[float | None, str]:
    """The mean band score of the rows whose `scored_by` ratio is defined; None when there is none."""
    scored = [r for r in grid_rows(item, value) if r.scored]
    if not scored:
        return None, NOTHING_TO_CHECK
    score = sum(r.band.score for r in scored if r.band is not None) / len(scored)
    return score, f"{len(scored)}/{len(item.rows)} rows scored"
