"""The library functions behind the CLI commands, one per command, same names; never print or exit."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ssdocs.errors import Problem, ValidationFailed
from ssdocs.loading import load_yaml, parse_assessment, parse_checklist
from ssdocs.loading.assessments import checklists_of
from ssdocs.loading.checklists import Catalog, load_checklists
from ssdocs.models.assessment import Assessment
from ssdocs.models.checklist import Checklist
from ssdocs.models.results import AssessmentResult
from ssdocs.scoring import score_assessment


def load_checklist(path: Path | str) -> Checklist:
    """Load and validate one checklist file."""
    return parse_checklist(load_yaml(Path(path)))


def load_assessment(path: Path | str, catalog: Catalog | None = None) -> Assessment:
    """Load an assessment and validate it against `catalog` (the shipped checklists by default)."""
    return parse_assessment(load_yaml(Path(path)), catalog if catalog is not None else load_checklists())


def kind_of(data: Any) -> str:
    """'checklist' or 'assessment', guessed from the top-level keys."""
    if isinstance(data, dict) and "sections" in data and "answers" not in data:
        return "checklist"
    return "assessment"


def validate(paths: Iterable[Path | str], catalog: Catalog | None = None) -> list[Problem]:
    """Validate checklist and assessment files; every problem of every file, empty when all valid.

    Checklist files given here join the catalog that the assessments are checked against.
    """
    problems: list[Problem] = []
    docs = []
    extra: list[Checklist] = []
    for path in paths:
        try:
            doc = load_yaml(Path(path))
        except ValidationFailed as exc:
            problems.extend(exc.problems)
            continue
        if kind_of(doc.data) == "checklist":
            try:
                extra.append(parse_checklist(doc))
            except ValidationFailed as exc:
                problems.extend(exc.problems)
        else:
            docs.append(doc)
    if docs:
        base = dict(catalog) if catalog is not None else load_checklists()
        base.update({(c.id, c.version): c for c in extra})
        for doc in docs:
            try:
                parse_assessment(doc, base)
            except ValidationFailed as exc:
                problems.extend(exc.problems)
    return sorted(problems, key=lambda p: (p.file, p.line, p.column, p.path))


def score(path: Path | str, catalog: Catalog | None = None) -> AssessmentResult:
    """Load, validate and score one assessment."""
    catalog = catalog if catalog is not None else load_checklists()
    assessment = load_assessment(path, catalog)
    return score_assessment(assessment, checklists_of(assessment, catalog))


def load_checklists_from(sources: Iterable[Path | str] | None) -> Catalog:
    """The shipped checklists, or those in the given files/folders."""
    sources = list(sources or [])
    return load_checklists(sources) if sources else load_checklists()


__all__ = ["kind_of", "load_assessment", "load_checklist", "load_checklists", "score", "validate"]
