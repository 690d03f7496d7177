"""Load an assessment and check every answer against the checklists it names."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from pathlib import Path
from typing import Any

import pydantic

from ssdocs.errors import Problem, ValidationFailed
from ssdocs.loading.checklists import Catalog
from ssdocs.loading.grid_answers import check_grid
from ssdocs.loading.problems import _show as show
from ssdocs.loading.problems import problems_from
from ssdocs.loading.yamlio import Document, load_yaml
from ssdocs.models.assessment import MAX_ANSWERS, Answer, Assessment, ChecklistRef
from ssdocs.models.checklist import (
    ITEM_ID,
    AnyItem,
    Checklist,
    ChoiceItem,
    GridItem,
    MatrixItem,
    NumberItem,
    ScaleItem,
    YesNoItem,
)

MAX_NUMBER = 10**15  # larger integers would lose precision (or overflow) as floats when scored



def load_assessment(path: Path | str, catalog: Catalog, display: str | None = None) -> Assessment:
    """Load an assessment file and validate it, including against `catalog`."""
    return parse_assessment(load_yaml(Path(path), display), catalog)


def parse_assessment(doc: Document, catalog: Catalog) -> Assessment:
    """Validate a parsed document as an assessment; all problems are reported together."""
    if not isinstance(doc.data, dict):
        raise ValidationFailed([doc.problem((), "expected a mapping at the top of an assessment")])
    try:
        assessment = Assessment.model_validate(doc.data)
    except pydantic.ValidationError as exc:
        # Report the answers' problems too, as far as the broken parts allow.
        partial = _best_effort(doc.data, catalog, doc)
        raise ValidationFailed([*doc.problems, *problems_from(exc, doc, Assessment), *partial]) from None
    problems = [*doc.problems, *check_against_checklists(assessment, catalog, doc)]
    if problems:
        raise ValidationFailed(problems)
    return assessment


def _best_effort(data: dict[str, Any], catalog: Catalog, doc: Document) -> list[Problem]:
    """Check answers against the checklists even when other parts of the file are invalid."""
    refs = data.get("checklists")
    answers = data.get("answers")
    if not isinstance(refs, list) or not isinstance(answers, dict) or len(answers) > MAX_ANSWERS:
        return []
    try:
        shell = Assessment.model_construct(
            checklists=[ChecklistRef.model_validate(r) for r in refs],
            answers={},
            date=dt.date.min,
        )
    except pydantic.ValidationError:
        return []
    good: dict[str, Answer] = {}
    for key, raw in answers.items():
        if not isinstance(key, str) or len(key) > 64 or not re.match(ITEM_ID, key):
            continue  # already reported by the full validation
        try:
            good[key] = Answer.model_validate(raw)
        except pydantic.ValidationError:
            continue  # already reported by the full validation
    shell = shell.model_copy(update={"answers": good})
    return check_against_checklists(shell, catalog, doc)


def checklists_of(assessment: Assessment, catalog: Catalog) -> list[Checklist]:
    """The checklist versions an assessment answers, in its order (all must be in the catalog)."""
    return [catalog[(ref.id, ref.version)] for ref in assessment.checklists]


def check_against_checklists(assessment: Assessment, catalog: Catalog, doc: Document) -> list[Problem]:
    """Every reference and answer checked against the named checklist versions."""
    problems: list[Problem] = []
    items: dict[str, AnyItem] = {}
    seen: set[str] = set()
    for i, ref in enumerate(assessment.checklists):
        where = ("checklists", i)
        if ref.id in seen:
            problems.append(doc.problem((*where, "id"), f"checklist {ref.id!r} is listed twice"))
            continue
        seen.add(ref.id)
        checklist = catalog.get((ref.id, ref.version))
        if checklist is None:
            versions = sorted(v for (cid, v) in catalog if cid == ref.id)
            if versions:
                problems.append(doc.problem((*where, "version"),
                    f"checklist {ref.id} has no version {ref.version}, expected one of {', '.join(versions)}"))
            else:
                ids = sorted({cid for cid, _ in catalog})
                hint = difflib.get_close_matches(ref.id, ids, n=1)
                problems.append(doc.problem((*where, "id"),
                    f"unknown checklist {ref.id!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")
                    + f" (expected one of: {', '.join(ids)})"))
            continue
        for _, item in checklist.items():
            items[item.id] = item
    if problems:
        return problems
    other_items = {i.id: cid for (cid, _), c in catalog.items() for _, i in c.items()}
    for key, answer in assessment.answers.items():
        path = ("answers", key)
        found = items.get(key)
        if found is None:
            if key in other_items:
                msg = (f"item {key} belongs to checklist {other_items[key]!r}, "
                       "which this assessment does not list under checklists")
            else:
                hint = difflib.get_close_matches(key, list(items), n=1, cutoff=0.6)
                msg = f"unknown item id {key!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")
            problems.append(doc.problem(path, msg, at_key=True))
            continue
        problems.extend(_check_answer(found, answer, path, doc, assessment))
    return problems


def _check_answer(item: AnyItem, answer: Answer, path: tuple[str, ...], doc: Document,
                  assessment: Assessment) -> list[Problem]:
    problems: list[Problem] = []
    if answer.na is not None and answer.waiver is not None:
        problems.append(doc.problem((*path, "waiver"), "an item is either N/A or waived, not both"))
    value = answer.value
    if value is None:
        return problems
    vpath = (*path, "value")
    if isinstance(item, MatrixItem):
        problems.extend(_check_matrix(item, value, vpath, doc))
    elif isinstance(item, GridItem):
        problems.extend(check_grid(item, value, vpath, doc))
    elif isinstance(item, NumberItem):
        if isinstance(value, str) or isinstance(value, dict):
            problems.append(doc.problem(vpath, f"expected a number in {item.unit.en}, got {show(value)}"
                                        if not isinstance(value, dict) else
                                        f"expected a number in {item.unit.en}, got a mapping"))
        elif isinstance(value, float) and not math.isfinite(value):
            pass  # .inf / .nan: already reported by the reader
        elif isinstance(value, int) and abs(value) > MAX_NUMBER:
            problems.append(doc.problem(vpath, f"expected a number of at most {MAX_NUMBER:.0e}, "
                                        f"got one with {len(str(abs(value)))} digits"))
        else:
            if item.integer and float(value) != int(value):
                problems.append(doc.problem(vpath, f"expected a whole number, got {value!r}"))
            if item.minimum is not None and value < item.minimum:
                problems.append(doc.problem(vpath, f"expected at least {item.minimum:g}, got {value!r}"))
            if item.maximum is not None and value > item.maximum:
                problems.append(doc.problem(vpath, f"expected at most {item.maximum:g}, got {value!r}"))
    else:
        allowed = item.allowed_values()
        text = str(value) if not isinstance(value, dict) else None
        if text not in allowed:
            got = show(value)
            problems.append(doc.problem(vpath, f"expected one of {'/'.join(allowed)}, got {got}"))
    if not problems and item.evidence_required and not answer.evidence and earns_credit(item, value):
        problems.append(doc.problem(path, at_key=True, message=
            f"item {item.id} requires evidence for this answer: add at least one entry under evidence"))
    return problems


def _check_matrix(item: MatrixItem, value: Any, path: tuple[str, ...], doc: Document) -> list[Problem]:
    if not isinstance(value, dict):
        return [doc.problem(path, f"expected a matrix (row: {{column: yes/no/na}}), got {show(value)}")]
    problems = []
    rows = {r.id for r in item.rows}
    columns = [c.id for c in item.columns]
    for row, cells in value.items():
        if row not in rows:
            hint = difflib.get_close_matches(row, sorted(rows), n=1, cutoff=0.6)
            problems.append(doc.problem((*path, row), at_key=True, message=f"unknown row {row!r}"
                            + (f"; did you mean {hint[0]!r}?" if hint else "")
                            + f" (expected one of: {', '.join(r.id for r in item.rows)})"))
            continue
        if not isinstance(cells, dict):
            problems.append(doc.problem((*path, row), f"expected a mapping of columns to yes/no/na, got {show(cells)}"))
            continue
        for column, cell in cells.items():
            if column not in columns:
                hint = difflib.get_close_matches(column, columns, n=1, cutoff=0.6)
                problems.append(doc.problem((*path, row, column), at_key=True, message=f"unknown column {column!r}"
                                + (f"; did you mean {hint[0]!r}?" if hint else "")
                                + f" (expected one of: {', '.join(columns)})"))
            elif cell not in ("yes", "no", "na"):
                problems.append(doc.problem((*path, row, column), f"expected one of yes/no/na, got {show(cell)}"))
    return problems


def earns_credit(item: AnyItem, value: Any) -> bool:
    """Whether an answer claims any credit (and so must be backed by evidence when required)."""
    if isinstance(item, YesNoItem):
        return bool(value != "no")
    if isinstance(item, ScaleItem):
        index = item.allowed_values().index(str(value))
        return item.level_score(index) > 0
    if isinstance(item, ChoiceItem):
        option = item.option(str(value))
        return option is not None and option.score > 0
    if isinstance(item, NumberItem):
        band = item.band_for(float(value))
        return band is not None and band.score > 0
    if isinstance(item, GridItem):  # numbers are claims: any row given needs its evidence
        return any(isinstance(cells, dict) for cells in value.values())
    return bool(any(cell == "yes" for cells in value.values() for cell in cells.values()))
