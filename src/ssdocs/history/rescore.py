"""Re-score past years with the latest checklist versions: only on explicit request, always labelled."""

from __future__ import annotations

from dataclasses import replace

from ssdocs.errors import Problem
from ssdocs.history.crosswalk import entries_between
from ssdocs.history.loading import History, YearEntry
from ssdocs.loading.assessments import check_against_checklists
from ssdocs.loading.checklists import Catalog, latest
from ssdocs.loading.yamlio import Document
from ssdocs.models.assessment import Answer, ChecklistRef
from ssdocs.models.checklist import Checklist
from ssdocs.scoring import score_assessment


def rescore_with_latest(history: History, catalog: Catalog) -> History:
    """Every year scored with the latest version of each checklist it names, answers carried over
    through the crosswalk; years that change are marked `rescored` with notes on what moved."""
    entries = [_rescore(entry, catalog) for entry in history.entries]
    return replace(history, entries=entries)


def _rescore(entry: YearEntry, catalog: Catalog) -> YearEntry:
    newest = [latest(catalog, ref.id) for ref in entry.assessment.checklists]
    targets: list[Checklist] = [n for n in newest if n is not None]
    if [c.version for c in targets] == [c.version for c in entry.checklists]:
        return entry
    notes: list[str] = []
    answers = dict(entry.assessment.answers)
    for old, new in zip(entry.checklists, targets, strict=True):
        if old.version == new.version:
            continue
        notes.append(f"{new.id} {old.version} -> {new.version}")
        answers = _carry(answers, old, new, notes)
    refs = [ChecklistRef(id=c.id, version=c.version) for c in targets]
    assessment = entry.assessment.model_copy(update={"checklists": refs, "answers": answers})
    problems = check_against_checklists(assessment, catalog, Document(str(entry.path), {}))
    dropped = sorted({key for p in problems if (key := _answer_key(p)) is not None})
    if dropped:
        notes.append("answers not valid under the latest version, left unanswered: " + ", ".join(
            str(d) for d in dropped))
        answers = {k: v for k, v in answers.items() if k not in dropped}
        assessment = assessment.model_copy(update={"answers": answers})
    unanswered = [i for c in targets for i in c.item_ids() if i not in answers]
    if unanswered:
        notes.append("no answer in this year for: " + ", ".join(unanswered))
    result = score_assessment(assessment, targets)
    return YearEntry(entry.path, assessment, targets, result, rescored=True, rescore_notes=notes)


def _carry(answers: dict[str, Answer], old: Checklist, new: Checklist, notes: list[str]) -> dict[str, Answer]:
    out = dict(answers)
    for entry in entries_between(new, old.version):
        answer = out.pop(entry.old, None)
        if answer is None:
            continue
        if entry.change == "dropped":
            notes.append(f"{entry.old} dropped")
            continue
        for target in entry.new:
            if entry.change == "merged" and target in out and out[target].value != answer.value:
                notes.append(f"{entry.old} merged into {target}: answers differ, the first one kept")
                continue
            out[target] = answer
        if entry.change != "renamed":
            notes.append(f"{entry.old} {entry.change} -> {', '.join(entry.new)}: answer carried over")
    return out


def _answer_key(problem: Problem) -> str | None:
    parts = problem.path.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "answers" else None
