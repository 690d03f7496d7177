"""What one batch worker process does: warm up once, then build one jurisdiction-year at a time.

A worker keeps its catalog, Jinja templates, WeasyPrint fonts and the years it has already loaded
warm across every document it renders; it never prints, and turns every failure into an Outcome.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ssdocs.batch.cache import ChecklistRef, digest_file
from ssdocs.batch.index import summary_of
from ssdocs.core.files import output_root
from ssdocs.errors import SsdocsError, ValidationFailed
from ssdocs.history import YearEntry, load_history
from ssdocs.loading.assessments import checklists_of, parse_assessment
from ssdocs.loading.checklists import Catalog, find_checklists, load_checklist, load_checklists
from ssdocs.loading.yamlio import load_yaml
from ssdocs.models.checklist import Checklist
from ssdocs.scoring import score_assessment

Status = Literal["built", "failed", "error"]
FORMATS = ("pdf", "html")
LANGS = ("zh", "en", "both")


@dataclass(frozen=True)
class RenderOptions:
    """The options every document of a batch shares (they are part of every job's cache key)."""

    fmt: str = "pdf"
    lang: str = "zh"
    questionnaires: bool = False
    pdfa: bool = True
    questionnaire_fmt: str | None = None  # pdf, html or xlsx; None: the reports' format

    def key(self) -> dict[str, Any]:
        key = {"format": self.fmt, "lang": self.lang, "questionnaires": self.questionnaires, "pdfa": self.pdfa}
        if self.questionnaire_fmt is not None:  # absent by default: earlier manifests stay valid
            key["questionnaire_format"] = self.questionnaire_fmt
        return key


@dataclass(frozen=True)
class Task:
    """One job as sent to a worker: plain paths and strings (cheap to pickle)."""

    rel: str
    jurisdiction: str
    year: int
    path: str
    siblings: tuple[str, ...]
    output: str  # the batch's output folder
    folder: str  # this jurisdiction's folder below it
    digests: dict[str, str] = field(default_factory=dict)  # file -> sha256, for the worker's cache


@dataclass(frozen=True)
class Outcome:
    """What became of one job."""

    rel: str
    jurisdiction: str
    year: int
    status: Status
    message: str = ""  # the located problems (failed) or the traceback (error)
    outputs: dict[str, str] = field(default_factory=dict)  # relative path -> sha256 of the bytes
    checklists: list[ChecklistRef] = field(default_factory=list)  # every version the job read
    summary: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)  # built, but something was left out
    seconds: float = 0.0


@dataclass
class _State:
    options: RenderOptions
    catalog: Catalog
    files: dict[ChecklistRef, Path]
    # Years loaded for the jurisdiction at hand only: jobs arrive sorted by jurisdiction, and a
    # national batch must not keep every year of every county in memory.
    years: dict[tuple[str, str], YearEntry | ValidationFailed] = field(default_factory=dict)
    jurisdiction: str = ""


_STATE: _State | None = None


def checklist_files(sources: tuple[str, ...]) -> dict[ChecklistRef, Path]:
    """Which file each (id, version) of the catalog comes from."""
    paths = [p for s in sources for p in find_checklists(s)] if sources else find_checklists()
    found: dict[ChecklistRef, Path] = {}
    for path in paths:
        checklist = load_checklist(path)
        found.setdefault((checklist.id, checklist.version), path)
    return found


def init_worker(options: RenderOptions, sources: tuple[str, ...], warm: bool = True) -> None:
    """Load the catalog once and warm Jinja and WeasyPrint's fonts, so each document pays only for
    itself (the ProcessPoolExecutor initializer; called in-process for `-j 1`)."""
    global _STATE
    catalog = load_checklists(list(sources)) if sources else load_checklists()
    _STATE = _State(options, catalog, checklist_files(sources))
    if warm:
        _warm(options)


def _warm(options: RenderOptions) -> None:
    from ssdocs.render.environment import environment

    env = environment()
    for name in ("report/report.html.j2", "report/report.css.j2"):
        env.get_template(name)
    if options.fmt == "pdf":
        from ssdocs.render.fontsubset import CJK_STACK
        from ssdocs.render.pdf import render_pdf

        # Loads fontconfig's font set and every CJK subset (declared by render_pdf) into the shared
        # FontConfiguration.
        render_pdf(f"<p style=\"font-family: {CJK_STACK}, sans-serif\">社保 Fund 123</p>", pdf_variant=None)


def run_task(task: Task) -> Outcome:
    """Build one jurisdiction-year; never raises for a user's error (the Outcome says it)."""
    start = time.perf_counter()

    def outcome(status: Status, message: str = "", **built: Any) -> Outcome:
        return Outcome(task.rel, task.jurisdiction, task.year, status, message,
                       seconds=time.perf_counter() - start, **built)

    try:
        with output_root(task.output):  # no write through a link planted inside the output folder
            outputs, refs, summary, notes = _build(task)
    except ValidationFailed as exc:
        return outcome("failed", "\n".join(str(p) for p in exc.problems))
    except SsdocsError as exc:
        return outcome("failed", f"{task.path}: {exc}")
    except Exception:
        return outcome("error", traceback.format_exc())
    return outcome("built", outputs=outputs, checklists=refs, summary=summary, notes=notes)


def _state() -> _State:
    if _STATE is None:
        raise RuntimeError("init_worker() was not called in this process")
    return _STATE


def _build(task: Task) -> tuple[dict[str, str], list[ChecklistRef], dict[str, Any], list[str]]:
    from ssdocs.pipeline.questionnaire import year_questionnaire
    from ssdocs.pipeline.report import write_report

    state = _state()
    if state.jurisdiction != task.jurisdiction:
        state.years.clear()
        state.jurisdiction = task.jurisdiction

    def read(path: Path) -> YearEntry:
        found = _year(str(path), task.digests.get(str(path), ""), state)
        if isinstance(found, ValidationFailed):
            raise found
        return found

    # The same rule as `ssdocs report`: this year must be valid, an invalid earlier one is left out.
    history = load_history(Path(task.path), state.catalog, until=task.year, read=read)
    entry = history.entry(task.year)
    assert entry is not None  # the year asked for is in its history, or load_history raised
    refs = {(c.id, c.version) for e in history.entries for c in e.checklists}
    out = Path(task.output)
    folder = out / task.folder
    opts = state.options
    written = write_report(entry, history, {k: state.files[k] for k in refs if k in state.files}, folder,
                           fmt=opts.fmt, lang=opts.lang,  # type: ignore[arg-type]
                           allow_missing_fonts=True, pdfa=opts.pdfa)
    paths = list(written)
    if opts.questionnaires:
        paths.append(year_questionnaire(entry, folder, opts.questionnaire_fmt or opts.fmt,
                                        opts.lang))  # type: ignore[arg-type]
    outputs = {p.relative_to(out).as_posix(): digest_file(p) for p in paths}
    previous = history.previous(entry.result.year)
    summary = summary_of(entry.result, entry.assessment.jurisdiction.level, paths[0].relative_to(out).as_posix(),
                         previous=previous)
    return outputs, sorted(refs), summary, written.notes


def _year(path: str, digest: str, state: _State) -> YearEntry | ValidationFailed:
    """One year loaded, validated and scored; cached by content, so the years a worker already
    read for one report's trend are not read again for the next."""
    key = (path, digest)
    if digest and key in state.years:
        return state.years[key]
    try:
        doc = load_yaml(Path(path))
        assessment = parse_assessment(doc, state.catalog)
        checklists: list[Checklist] = checklists_of(assessment, state.catalog)
        found: YearEntry | ValidationFailed = YearEntry(
            Path(path), assessment, checklists, score_assessment(assessment, checklists))
    except ValidationFailed as exc:
        found = exc
    if digest:
        state.years[key] = found
    return found


__all__ = ["FORMATS", "LANGS", "Outcome", "RenderOptions", "Task", "checklist_files", "init_worker", "run_task"]
