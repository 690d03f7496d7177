"""Synthetic assessment trees for the benchmarks: seeded random variations of the example data.

The base is `examples/assessments/example-city/<year>.yaml` when it exists (its header, assessors,
evidence and notes are kept), else an assessment answering every shipped checklist. Each variant
re-draws a share of the answers from the values the item allows, so scores, red lines and
findings differ from one jurisdiction to the next; every file stays valid.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from pathlib import Path
from typing import Any

import yaml

from ssdocs.loading.checklists import Catalog, load_checklists
from ssdocs.models.checklist import ChoiceItem, GridItem, MatrixItem, NumberItem, ScaleItem, YesNoItem

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "assessments" / "example-city"
YEARS = (2023, 2024, 2025)
EVIDENCE = [{"kind": "document", "title": "示例市社会保险基金监督管理办法", "number": "示人社发〔2024〕12号",
             "date": dt.date(2024, 5, 8)}]


def _value(item: Any, rng: random.Random) -> Any:
    if isinstance(item, YesNoItem):
        return rng.choices(["yes", "partial", "no"], weights=[6, 3, 1])[0]
    if isinstance(item, ScaleItem):
        return rng.choice(item.allowed_values())
    if isinstance(item, ChoiceItem):
        return rng.choice(item.allowed_values())
    if isinstance(item, NumberItem):
        low = item.minimum if item.minimum is not None else 0.0
        high = item.maximum if item.maximum is not None else max(low + 100.0, 100.0)
        value = rng.uniform(low, high)
        return int(value) if item.integer else round(value, 1)
    if isinstance(item, GridItem):
        return {row.id: _grid_row(item, rng) for row in item.rows}
    assert isinstance(item, MatrixItem)
    return {row.id: {col.id: rng.choices(["yes", "no", "na"], weights=[7, 2, 1])[0] for col in item.columns}
            for row in item.rows}


def _grid_row(item: GridItem, rng: random.Random) -> dict[str, Any]:
    """One grid row: each column drawn within its bounds and under the column it may not exceed."""
    row: dict[str, Any] = {}
    for column in item.columns:
        low = column.minimum if column.minimum is not None else 0.0
        high = column.maximum if column.maximum is not None else low + 200.0
        if column.at_most is not None:
            high = min(high, float(row[column.at_most]))
        value = low + (high - low) * rng.choices([1.0, rng.random()], weights=[6, 4])[0]
        row[column.id] = int(value) if column.integer else round(value, 1)
    return row


def base_assessment(catalog: Catalog, year: int) -> dict[str, Any]:
    """The example's year file as plain data, or one answering every latest shipped checklist."""
    example = EXAMPLES / f"{year}.yaml"
    if example.exists():
        from ssdocs.loading import load_yaml

        return dict(load_yaml(example).data)
    rng = random.Random(year)
    latest: dict[str, Any] = {}
    for (cid, version), checklist in sorted(catalog.items()):
        latest[cid] = checklist  # sorted: the highest version wins
    answers: dict[str, Any] = {}
    for checklist in latest.values():
        for _, item in checklist.items():
            answers[item.id] = {"value": _value(item, rng), "evidence": copy.deepcopy(EVIDENCE)}
    return {
        "jurisdiction": {"code": "example-city", "name": {"zh": "示例市", "en": "Example City"}, "level": "city"},
        "year": year,
        "date": dt.date(year + 1, 3, 15),
        "assessors": [{"name": "王敏", "organisation": "示例市人社局基金监督科", "role": "组长"}],
        "checklists": [{"id": c.id, "version": c.version} for c in latest.values()],
        "answers": answers,
    }


def variant(base: dict[str, Any], catalog: Catalog, code: str, name_zh: str, name_en: str,
            rng: random.Random, share: float = 0.35) -> dict[str, Any]:
    """A copy of `base` for another jurisdiction with about `share` of the answers re-drawn."""
    data = copy.deepcopy(base)
    data["jurisdiction"] = {**data["jurisdiction"], "code": code, "name": {"zh": name_zh, "en": name_en}}
    items = {item.id: item for (cid, ver), c in catalog.items()
             if {"id": cid, "version": ver} in data["checklists"] for _, item in c.items()}
    for ident, answer in data["answers"].items():
        item = items.get(ident)
        if item is None or "value" not in answer or rng.random() > share:
            continue
        answer["value"] = _value(item, rng)
        if not answer.get("evidence"):
            answer["evidence"] = copy.deepcopy(EVIDENCE)
    return data


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


def write_tree(root: Path, jurisdictions: int, years: tuple[int, ...] = YEARS, seed: int = 2024,
               distinct: int | None = None) -> list[Path]:
    """`root/<province>/county-NNNN/<year>.yaml` for `jurisdictions` × `years` valid assessments.

    With `distinct`, only that many answer variants are drawn per year and reused (with each
    jurisdiction's own code and name): writing 30,000 files then takes seconds, not minutes.
    """
    catalog = load_checklists()
    rng = random.Random(seed)
    written: list[Path] = []
    for year in years:
        base = base_assessment(catalog, year)
        base["year"] = year
        pool: list[str] = []
        for i in range(jurisdictions):
            code = f"county-{i:04d}"
            folder = root / f"province-{i % 31:02d}" / code
            if distinct is None or len(pool) < distinct:
                text = dump(variant(base, catalog, "PLACEHOLDER-CODE", "PLACEHOLDER-ZH", "PLACEHOLDER-EN", rng))
                if distinct is not None:
                    pool.append(text)
            else:
                text = pool[i % distinct]
            text = (text.replace("PLACEHOLDER-CODE", code).replace("PLACEHOLDER-ZH", f"第{i}县")
                    .replace("PLACEHOLDER-EN", f"County {i}"))
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{year}.yaml"
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":
    import sys

    out = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    print(f"{len(write_tree(out, count))} files under {out}")
