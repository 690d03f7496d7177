"""`ssdocs rollup`, top to bottom: find the jurisdictions -> load and score each one's years (the
history's one rule for broken years, the result cache) -> roll-up context -> render -> write.

A jurisdiction whose input is invalid, or that has no file for the year asked for, is listed in
the roll-up with its located problems, never dropped silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from ssdocs.context.rollup import Excluded, Member, RollupContext, build_rollup_context
from ssdocs.core.files import write_bytes, write_text
from ssdocs.core.names import output_path
from ssdocs.errors import OutputError, Problem, ValidationFailed
from ssdocs.history.compare import compare_years
from ssdocs.history.loading import (
    YEAR_FILE,
    History,
    duplicate_problems,
    jurisdiction_folders,
    load_history,
    year_files,
)
from ssdocs.loading.cache import ResultCache
from ssdocs.loading.checklists import Catalog, load_checklists
from ssdocs.render.fonts import check_cjk_font

Format = Literal["pdf", "html"]
Lang = Literal["zh", "en", "both"]


class RollupWritten(list[Path]):
    """The paths the roll-up wrote, its context and its located notes."""

    def __init__(self, paths: Sequence[Path], context: RollupContext, notes: Sequence[str]) -> None:
        super().__init__(paths)
        self.context = context
        self.notes = list(notes)


def rollup(path: Path | str, output: Path | str, *, year: int | None = None, lang: Lang = "zh",
           highlight: str | None = None, fmt: Format = "pdf", by_parent: bool = False,
           checklist_sources: Sequence[Path | str] = (), block: int = 25,
           allow_missing_fonts: bool = False, pdfa: bool = True) -> RollupWritten:
    """The roll-up report over every jurisdiction under `path`, written into the folder `output`.

    `year`: that year of every jurisdiction (default: each one's latest). Writes
    `rollup-<year|latest>.pdf` (or `.html`) and one CSV per table and chart beside it. Raises
    ValidationFailed (every problem located) only when no jurisdiction at all can be rolled up.
    """
    catalog = load_checklists(list(checklist_sources)) if checklist_sources else load_checklists()
    members, excluded = load_members(path, catalog, year)
    if not members:
        raise ValidationFailed([Problem(str(path), 0, 0, "", "no jurisdiction could be rolled up: "
                                        + "; ".join(p for e in excluded for p in e.problems[:1]))])
    context = build_rollup_context(members, excluded, catalog, lang=lang, year=year, highlight=highlight,
                                   by_parent=by_parent, block=block)
    if highlight is not None and not any(m.code == highlight for m in members):
        raise ValidationFailed([Problem(str(path), 0, 0, "", f"--highlight: expected one of the jurisdictions "
                                        f"rolled up, got {highlight!r}")])
    return write_rollup(context, output, fmt=fmt, allow_missing_fonts=allow_missing_fonts, pdfa=pdfa)


def load_members(path: Path | str, catalog: Catalog, year: int | None = None) -> tuple[list[Member], list[Excluded]]:
    """Every jurisdiction under `path` summed up for the roll-up, or listed as left out."""
    root = Path(path)
    cache = ResultCache.for_catalog(list(catalog.values()))
    members: list[Member] = []
    excluded: list[Excluded] = []
    for folder in jurisdiction_folders(root):
        where = _relative(folder, root)
        files = year_files(folder) if folder.is_dir() else [folder]
        if year is not None and not any((m := YEAR_FILE.match(f.name)) and int(m.group(1)) == year
                                        for f in files):
            years = ", ".join(f.stem for f in files) or "none"
            excluded.append(Excluded(where, "missing", [f"{folder}: no {year}.yaml (years present: {years})"]))
            continue
        try:
            history = load_history(folder, catalog, until=year, cache=cache)
        except ValidationFailed as exc:
            excluded.append(Excluded(where, "invalid", [str(p) for p in exc.problems]))
            continue
        members.append(_member(history, where, root, folder))
    for problem in duplicate_problems([(m.code, root / m.folder / "x") for m in members]):
        excluded.append(Excluded(_relative(Path(problem.file).parent, root), "invalid", [str(problem)]))
    twice = {e.folder for e in excluded if e.kind == "invalid"}
    return [m for m in members if m.folder not in twice], excluded


def _relative(folder: Path, root: Path) -> str:
    try:
        return str(folder.relative_to(root)) if folder != root else folder.name
    except ValueError:
        return str(folder)


def _member(history: History, where: str, root: Path, folder: Path) -> Member:
    """One jurisdiction's latest loaded year, its change since the year before and its series."""
    entry = history.entries[-1]
    result = entry.result
    jurisdiction = entry.assessment.jurisdiction
    parent = jurisdiction.parent
    if parent is None and folder != root and len(Path(where).parts) > 1:
        parent = Path(where).parts[-2]  # a tree with parent folders: <city>/<county>/<year>.yaml
    previous = history.previous_entry(result.year)
    comparison = compare_years(previous, entry) if previous is not None else None
    changes: dict[int, float | None] = {}
    for before, after in zip(history.entries, history.entries[1:], strict=False):
        changes[after.result.year] = (comparison.overall.delta if comparison is not None and after is entry
                                      else compare_years(before, after).overall.delta)
    return Member(
        code=result.jurisdiction, name=result.jurisdiction_name, level=jurisdiction.level, parent=parent,
        folder=where, year=result.year, date=result.date, score=result.score, grade=result.grade,
        grade_label=result.grade_label, completeness=result.completeness,
        red_lines=list(result.critical_failures),
        checklists={c.id: c.version for c in result.checklists},
        statuses={i.id: i.status for i in result.items()},
        sections={f"{c.id}/{s.id}": s.score for c in result.checklists for s in c.sections},
        previous_year=previous.result.year if previous is not None else None,
        delta=comparison.overall.delta if comparison is not None else None,
        basis=comparison.overall.basis if comparison is not None else "none",
        years={e.result.year: e.result.score for e in history.entries},
        changes=changes, notes=history.notes,
    )


def write_rollup(context: RollupContext, output: Path | str, *, fmt: Format = "pdf",
                 allow_missing_fonts: bool = False, pdfa: bool = True) -> RollupWritten:
    """Render -> write: the report and its CSV files (the data behind every table and chart)."""
    from ssdocs.render.rollup import render_rollup_html, rollup_csvs, rollup_pdf

    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: expected a folder for the roll-up, got a file")
    stem = f"rollup-{context.year if context.year is not None else 'latest'}"
    if fmt == "pdf":
        check_cjk_font(allow_missing_fonts)
    csvs = {f"{stem}-{name}.csv": data for name, data in rollup_csvs(context).items()}
    html = render_rollup_html(context, csv_names=sorted(csvs))
    written = [write_bytes(output_path(folder, name), data) for name, data in csvs.items()]
    target = output_path(folder, f"{stem}.{fmt}")
    if fmt == "pdf":
        written.insert(0, write_bytes(target, rollup_pdf(html, context, csvs, pdfa)))
    else:
        written.insert(0, write_text(target, html))
    return RollupWritten(written, context, _notes(context))


def _notes(context: RollupContext) -> list[str]:
    out = [f"{e.folder}: left out of the roll-up ({e.kind}): {e.problems[0]}"
           + (f" (+{len(e.problems) - 1} more)" if len(e.problems) > 1 else "") for e in context.excluded]
    return out + context.notes


__all__ = ["RollupWritten", "load_members", "rollup", "write_rollup"]
