"""The scored report, top to bottom: catalog -> load and score -> history -> context -> render -> write.

`report()` is `ssdocs.report` and `ssdocs report`; `write_report()` its second half, for the batch
worker, which loads (and keeps) the years itself. Both return the paths written and the notes on
the years left out of the history (`ssdocs.history.loading.load_history` has the one rule).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ssdocs.context.report import DRAFT_BELOW, ReportContext, build_report_context
from ssdocs.core.files import write_bytes, write_text
from ssdocs.core.names import output_path, safe_name
from ssdocs.errors import OutputError
from ssdocs.history import History, YearEntry, load_history
from ssdocs.loading.assessments import checklists_of, load_assessment
from ssdocs.loading.cache import ResultCache
from ssdocs.loading.checklists import Catalog, load_checklists
from ssdocs.models.assessment import Assessment
from ssdocs.render.fonts import check_cjk_font
from ssdocs.render.report import Format, Lang, action_plan_csv, render_report_html, report_pdf
from ssdocs.scoring import score_assessment


class Written(list[Path]):
    """The paths a document's pipeline wrote (a list, as before), and its located notes: the years
    left out of the change and trend sections, and why."""

    def __init__(self, paths: Sequence[Path] = (), notes: Sequence[str] = ()) -> None:
        super().__init__(paths)
        self.notes = list(notes)


@dataclass(frozen=True)
class Sources:
    """The catalog, read once, and the file each checklist came from (to embed it as it is)."""

    catalog: Catalog
    files: dict[tuple[str, str], Path]


def report(
    assessment: Path | str,
    output: Path | str,
    *,
    fmt: Format = "pdf",
    lang: Lang = "zh",
    history: Path | str | None = None,
    checklist_sources: Sequence[Path | str] = (),
    allow_missing_fonts: bool = False,
    pdfa: bool = True,
    csv_path: Path | str | None = None,
    tagged: bool = False,
    draft_below: float = DRAFT_BELOW,
    warn: Callable[[str], None] | None = None,
) -> Written:
    """Render the scored report of one assessment into the folder `output`; the paths written.

    Writes `<jurisdiction>-<year>.pdf` (or `.html`) and the action plan as
    `<jurisdiction>-<year>-actions.csv` (or at `csv_path`). Earlier years beside the assessment,
    or under `history`, give the change since the latest valid earlier year and the trend chart;
    an invalid earlier year is left out, with a note in `Written.notes`. Below `draft_below`
    percent completeness every page is marked 草稿 / DRAFT (see `ReportContext.draft`) and `warn`
    (if given) is called with a one-line message saying so. `tagged` adds WeasyPrint's structure
    tree (for screen readers).
    """
    sources = _catalog(checklist_sources)
    year = _load_and_score(Path(assessment), sources.catalog)
    years = _history(year, Path(history) if history is not None else None, sources.catalog)
    return write_report(year, years, sources.files, output, fmt=fmt, lang=lang,
                        allow_missing_fonts=allow_missing_fonts, pdfa=pdfa, csv_path=csv_path, tagged=tagged,
                        draft_below=draft_below, warn=warn)


def write_report(
    year: YearEntry,
    history: History | None,
    checklist_files: dict[tuple[str, str], Path],
    output: Path | str,
    *,
    fmt: Format = "pdf",
    lang: Lang = "zh",
    allow_missing_fonts: bool = False,
    pdfa: bool = True,
    csv_path: Path | str | None = None,
    tagged: bool = False,
    draft_below: float = DRAFT_BELOW,
    warn: Callable[[str], None] | None = None,
) -> Written:
    """Size check -> context -> render -> write, for a year already loaded and scored with its history."""
    check_report_size(year)
    # A report looks back, never forward: later years beside the file stay out of it.
    years = history.until(year.assessment.year) if history is not None and len(history.entries) > 1 else None
    context = build_report_context(year.assessment, year.checklists, year.result, years, lang,
                                   draft_below=draft_below)
    target = _target(Path(output), year.assessment, fmt)
    if fmt == "pdf":
        check_cjk_font(allow_missing_fonts)
    csv_target = Path(csv_path) if csv_path is not None else target.with_name(f"{target.stem}-actions.csv")
    html = render_report_html(context, csv_name=csv_target.name)
    if fmt == "pdf":
        pdf = report_pdf(html, context, _attachments(target.stem, year, checklist_files), pdfa, tagged)
        written = [write_bytes(target, pdf)]
    else:
        written = [write_text(target, html)]
    written.append(write_bytes(csv_target, action_plan_csv(context)))
    if context.draft and warn is not None:
        warn(draft_warning(context, written[0]))
    return Written(written, history.notes if history is not None else ())


def draft_warning(context: ReportContext, path: Path) -> str:
    """The one-line warning for a report marked as a draft (for stderr)."""
    return (f"{path}: marked as a DRAFT (草稿): only {context.result.completeness:.1f}% of the items are "
            f"answered, below {context.draft_below:g}%; answer the rest (the summary lists them) "
            f"or pass --draft-below to choose another threshold")


def check_report_size(year: YearEntry) -> None:
    """Refuse, before any layout, an assessment whose report would take WeasyPrint minutes."""
    from ssdocs.limits import MAX_REPORT_ITEMS, MAX_REPORT_TEXT  # read at the call (tests lower them)

    items = sum(1 for c in year.checklists for _ in c.items())
    text = 0
    for answer in year.assessment.answers.values():
        text += len(answer.note or "") + len(answer.na or "") + len(answer.owner or "")
        text += sum(len(e.title) + len(e.number or "") for e in answer.evidence)
        if answer.waiver is not None:
            text += len(answer.waiver.justification) + len(answer.waiver.approved_by)
    name = year.path
    if items > MAX_REPORT_ITEMS:
        raise OutputError(f"{name}: its checklists have {items:,} items; a report covers at most "
                          f"{MAX_REPORT_ITEMS:,} (MAX_REPORT_ITEMS), so that it is laid out in about a minute")
    if text > MAX_REPORT_TEXT:
        raise OutputError(f"{name}: its notes, N/A reasons, evidence and waivers hold {text:,} characters; a "
                          f"report renders at most {MAX_REPORT_TEXT:,} (MAX_REPORT_TEXT), so that it is laid out "
                          "in about a minute: shorten them, or cite long texts as evidence documents")


def _catalog(sources: Sequence[Path | str]) -> Sources:
    files: dict[tuple[str, str], Path] = {}
    return Sources(load_checklists(list(sources) if sources else None, files=files), files)


def _load_and_score(path: Path, catalog: Catalog) -> YearEntry:
    """The year asked for: it must be valid (its problems are raised, located)."""
    assessment = load_assessment(path, catalog)
    checklists = checklists_of(assessment, catalog)
    return YearEntry(path, assessment, checklists, score_assessment(assessment, checklists))


def _history(year: YearEntry, folder: Path | None, catalog: Catalog) -> History:
    """The other years of the jurisdiction (under `folder`, or beside the file), up to this one."""
    return load_history(year.path, catalog, until=year.assessment.year, current=year, history=folder,
                        cache=ResultCache.for_catalog(list(catalog.values())))


def _target(output: Path, assessment: Assessment, fmt: Format) -> Path:
    """`<jurisdiction>-<year>.<fmt>` inside `output`, the name sanitised by `safe_name`."""
    if output.exists() and not output.is_dir():
        raise OutputError(f"{output}: expected a folder for the report, got a file")
    stem = f"{safe_name(assessment.jurisdiction.code.lower(), fallback='report')}-{assessment.year}"
    return output_path(output, f"{stem}.{fmt}")


def _attachments(stem: str, year: YearEntry,
                 checklist_files: dict[tuple[str, str], Path]) -> list[tuple[str, bytes, str]]:
    """The assessment and every checklist file that scored it, embedded as they are."""
    found = [(f"{stem}.yaml", year.path.read_bytes(), "Source assessment / 评估答案原文件")]
    for checklist in year.checklists:
        source = checklist_files.get((checklist.id, checklist.version))
        if source is not None:
            found.append((f"checklist-{checklist.id}-{checklist.version}.yaml", source.read_bytes(),
                          f"Checklist / 检查表 {checklist.id} {checklist.version}"))
    return found


__all__ = ["Sources", "Written", "check_report_size", "draft_warning", "report", "write_report"]
