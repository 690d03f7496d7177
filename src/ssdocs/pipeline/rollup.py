"""`ssdocs rollup`, top to bottom: find the jurisdictions -> load and score each one's years (the
history's one rule for broken years, the result cache) -> roll-up context -> render -> write.

A jurisdiction whose input is invalid, or that has no file for the year asked for, is listed in
the roll-up with its located problems, never dropped silently.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import pydantic

from ssdocs.context.rollup import Excluded, Member, RollupContext, Weight, build_rollup_context
from ssdocs.core.files import write_bytes, write_text
from ssdocs.core.names import output_path
from ssdocs.errors import OutputError, Problem, SsdocsError, ValidationFailed
from ssdocs.history.compare import overall_change
from ssdocs.history.loading import (
    YEAR_FILE,
    History,
    YearEntry,
    duplicate_problems,
    jurisdiction_folders,
    year_files,
)
from ssdocs.history.tree import summarise_all
from ssdocs.loading.checklists import Catalog, load_checklists
from ssdocs.loading.yamlio import load_yaml
from ssdocs.models.assessment import Jurisdiction
from ssdocs.pipeline.members import MemberCache
from ssdocs.render.fonts import check_cjk_font

Format = Literal["pdf", "html"]
Lang = Literal["zh", "en", "both"]
Level = Literal["province", "city", "county"]


class RollupWritten(list[Path]):
    """The paths the roll-up wrote, its context and its located notes."""

    def __init__(self, paths: Sequence[Path], context: RollupContext, notes: Sequence[str]) -> None:
        super().__init__(paths)
        self.context = context
        self.notes = list(notes)


def rollup(path: Path | str, output: Path | str, *, year: int | None = None, lang: Lang = "zh",
           highlight: str | None = None, fmt: Format = "pdf", by_parent: bool = False,
           checklist_sources: Sequence[Path | str] = (), block: int = 25, workers: int | None = None,
           allow_missing_fonts: bool = False, pdfa: bool = True, weight: Weight | None = None,
           level: Level | None = None) -> RollupWritten:
    """The roll-up report over every jurisdiction under `path`, written into the folder `output`.

    `year`: that year of every jurisdiction (default: each one's latest). `weight`: the parents'
    aggregate is the mean of their children's scores weighted by that figure of their `jurisdiction:`
    block (default: the unweighted median). `level`: only the jurisdictions of that level. Writes
    `rollup-<year|latest>.pdf` (or `.html`) and one CSV per table and chart beside it. Raises
    ValidationFailed (every problem located) only when no jurisdiction at all can be rolled up.
    """
    catalog = load_checklists(list(checklist_sources)) if checklist_sources else load_checklists()
    members, excluded = load_members(path, catalog, year, workers)
    others = [m for m in members if level is not None and m.level != level]
    left_out = len(others)
    if level is not None:
        members = [m for m in members if m.level == level]
        kept = [e for e in excluded if _declared_level(Path(path), e) in (None, level)]
        left_out += len(excluded) - len(kept)
        excluded = kept
    if not members:
        why = "; ".join(p for e in excluded for p in e.problems[:1])
        if left_out:
            why = f"none of level {level} ({left_out} of other levels left out by --level)" + (
                f"; {why}" if why else "")
        raise ValidationFailed([Problem(str(path), 0, 0, "", f"no jurisdiction could be rolled up: {why}")])
    context = build_rollup_context(members, excluded, catalog, lang=lang, year=year, highlight=highlight,
                                   by_parent=by_parent, block=block, weight=weight, level=level, others=others,
                                   left_out=left_out)
    if highlight is not None and not any(m.code == highlight for m in members):
        raise ValidationFailed([Problem(str(path), 0, 0, "", f"--highlight: expected one of the jurisdictions "
                                        f"rolled up, got {highlight!r}")])
    return write_rollup(context, output, fmt=fmt, allow_missing_fonts=allow_missing_fonts, pdfa=pdfa)


def load_members(path: Path | str, catalog: Catalog, year: int | None = None,
                 workers: int | None = None) -> tuple[list[Member], list[Excluded]]:
    """Every jurisdiction under `path` summed up for the roll-up, or listed as left out.

    Each jurisdiction's latest year (with `year`, that year and the years before it): from the
    roll-up's member cache when none of its year files changed (`ssdocs.pipeline.members`: no YAML
    parsed, no result validated; always in this process, ≈ 0.2 ms per file), else loaded and scored
    in `workers` processes (default 1)."""
    root = Path(path)
    folders = jurisdiction_folders(root)
    cache = MemberCache.for_catalog(catalog)
    found: dict[Path, Member | Excluded] = {}
    sources: dict[Path, tuple[Path, str | None]] = {}  # what to load -> its folder, its member's key
    for folder in folders:
        source = folder
        if year is not None:
            files = year_files(folder) if folder.is_dir() else [folder]
            asked = next((f for f in files if (m := YEAR_FILE.match(f.name)) and int(m.group(1)) == year), None)
            if asked is None:
                years = ", ".join(f.stem for f in files) or "none"
                found[folder] = Excluded(_relative(folder, root), "missing",
                                         [f"{folder}: no {year}.yaml (years present: {years})"])
                continue
            source = asked  # that year must be valid, and no later one is read
        key = cache.key(root, folder, year) if cache is not None and folder.is_dir() else None
        member = cache.get(key) if cache is not None and key is not None else None
        if member is not None:
            found[folder] = member
        else:
            sources[source] = (folder, key)
    summarise = functools.partial(_summarised_member, root, year is not None, cache)
    for summary in summarise_all(list(sources), catalog, summarise, workers or 1, until=year) if sources else ():
        folder, key = sources[summary.source]
        if summary.value is None:
            found[folder] = Excluded(_relative(folder, root), "invalid", [str(p) for p in summary.problems])
        else:
            found[folder] = summary.value
            # Stored only if no year file changed while it was loaded: its key is of the bytes read.
            if cache is not None and key is not None and cache.key(root, folder, year) == key:
                cache.put(key, summary.value)
    outcomes = [found[f] for f in folders]
    members = [o for o in outcomes if isinstance(o, Member)]
    excluded = [o for o in outcomes if isinstance(o, Excluded)]
    for problem in duplicate_problems([(m.code, root / m.folder / "x") for m in members]):
        excluded.append(Excluded(_relative(Path(problem.file).parent, root), "invalid", [str(problem)]))
    twice = {e.folder for e in excluded if e.kind == "invalid"}
    return [m for m in members if m.folder not in twice], excluded


def _summarised_member(root: Path, year_file: bool, cache: MemberCache | None, source: Path, history: History,
                       catalog: Catalog) -> Member:
    """`_member` for `summarise_all` (module level: worker processes receive it). `year_file`: the
    source is a year's file in its jurisdiction's folder (a roll-up of one year)."""
    folder = source.parent if year_file and source != root else source
    return _member(history, _relative(folder, root), root, folder, cache)


def _relative(folder: Path, root: Path) -> str:
    try:
        return str(folder.relative_to(root)) if folder != root else folder.name
    except ValueError:
        return str(folder)


def _member(history: History, where: str, root: Path, folder: Path, cache: MemberCache | None = None) -> Member:
    """One jurisdiction's latest loaded year, its change since the year before and its series."""
    entry = history.entries[-1]
    result = entry.result
    level, parent = result.level or "", result.parent
    if parent is None and folder != root and len(Path(where).parts) > 1:
        parent = Path(where).parts[-2]  # a tree with parent folders: <city>/<county>/<year>.yaml
    changes: dict[int, tuple[float | None, str]] = {
        after.result.year: _overall_change(before, after, cache)
        for before, after in zip(history.entries, history.entries[1:], strict=False)}
    previous = history.previous_entry(result.year)
    delta, basis = changes.get(result.year, (None, "none"))
    return Member(
        code=result.jurisdiction, name=result.jurisdiction_name, level=level, parent=parent,
        folder=where, year=result.year, date=result.date, score=result.score, grade=result.grade,
        grade_label=result.grade_label, completeness=result.completeness,
        red_lines=list(result.critical_failures),
        checklists={c.id: c.version for c in result.checklists},
        statuses={i.id: i.status for i in result.items()},
        sections={f"{c.id}/{s.id}": s.score for c in result.checklists for s in c.sections},
        previous_year=previous.result.year if previous is not None else None,
        delta=delta, basis=basis,
        years={e.result.year: e.result.score for e in history.entries},
        changes={year: change for year, (change, _) in changes.items()}, notes=history.notes,
        insured=result.insured, population=result.population,
    )


def _overall_change(before: YearEntry, after: YearEntry, cache: MemberCache | None = None) -> tuple[float | None, str]:
    """The overall change between two years, as `compare_years` says it: with the same checklist
    versions the difference of the scores shown (compared without building every item's change),
    else on the comparable items only (through the crosswalk; kept in `cache` by both files' bytes,
    since that needs both years' answers)."""
    if [(c.id, c.version) for c in before.checklists] == [(c.id, c.version) for c in after.checklists]:
        a, b = before.result.score, after.result.score
        return (None if a is None or b is None else round(b - a, 1)), "same"
    known = not (before.rescored or after.rescored) and before.digest and after.digest
    key = cache.change_key(before.digest, after.digest) if cache is not None and known else None
    found = cache.get_change(key) if cache is not None and key is not None else None
    if found is not None:
        return found
    overall = overall_change(before, after)
    if cache is not None and key is not None:
        cache.put_change(key, (overall.delta, overall.basis))
    return overall.delta, overall.basis


def _declared_level(root: Path, excluded: Excluded) -> str | None:
    """The level a jurisdiction left out (invalid, or without the year asked for) declares in its latest
    file, read with every limit of the YAML loader; None when that cannot be read (it stays listed)."""
    folder = root / excluded.folder
    if not folder.exists():
        folder = root if root.name == excluded.folder else Path(excluded.folder)
    files = year_files(folder) if folder.is_dir() else [folder]
    if not files:
        return None
    try:
        data = load_yaml(files[-1]).data
        return Jurisdiction.model_validate(data["jurisdiction"]).level if isinstance(data, dict) else None
    except (SsdocsError, KeyError, pydantic.ValidationError):
        return None


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
    if context.left_out_by_level:
        out.append(f"--level {context.level}: {context.left_out_by_level} jurisdiction(s) of other levels "
                   "left out of the roll-up")
    fallbacks = [g for g in context.parents if g.weight is not None and g.unweighted]
    out += [f"{g.code}: unweighted median of its children (no {g.weight} figure for "
            f"{', '.join(g.unweighted)}), not the weighted mean" for g in fallbacks]
    return out + context.notes


__all__ = ["RollupWritten", "load_members", "rollup", "write_rollup"]
