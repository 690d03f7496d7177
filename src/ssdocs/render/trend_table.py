"""The terminal table of one jurisdiction's trend: scores per year, deltas, what changed (rich markup)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ssdocs.history.compare import ScoreChange, YearComparison
from ssdocs.history.loading import History, YearEntry
from ssdocs.history.series import OVERALL
from ssdocs.models.base import Text
from ssdocs.models.checklist import DEFAULT_GRADES
from ssdocs.scoring.aggregate import label_of

NOT_COMPARABLE = Text(zh="不可比", en="n/c")
STAR_NOTE = Text(zh="* 仅比较两年共有的可比检查项（检查表版本不同）",
                 en="* compared on the items both years share (checklist versions differ)")



def print_history(console: Console, history: History, comparisons: list[YearComparison], lang: str) -> None:
    """One jurisdiction's table of scores and deltas, then what changed."""
    years = history.years
    by_year = {c.year: c for c in comparisons}
    title = f"{history.name.get(lang)} ({history.jurisdiction})"
    if history.rescored:
        console.print(f"{title}: " + ("已按最新检查表重新评分" if lang == "zh"
                                      else "RE-SCORED with the latest checklists"), style="bold yellow")
    table = Table(title=title, title_justify="left")
    table.add_column("")
    for year in years:
        table.add_column(str(year), justify="right")
        if year in by_year:
            table.add_column("Δ", justify="right")
    starred = False
    for key, name, style in _rows(history, lang):
        cells: list[str] = []
        for entry in history.entries:
            cells.append(_score_cell(entry, key, lang))
            comparison = by_year.get(entry.result.year)
            if comparison is not None:
                cell, star = _delta_cell(comparison, key, lang)
                starred |= star
                cells.append(cell)
        table.add_row(name, *cells, style=style)
    console.print(table)
    if starred:
        console.print(STAR_NOTE.get(lang))
    for comparison in comparisons:
        _print_changes(console, comparison, lang)
    for entry in history.entries:
        for note in entry.rescore_notes:
            console.print(f"{entry.result.year} re-scored: {note}")


def _rows(history: History, lang: str) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = [("overall", OVERALL.get(lang), "bold")]
    seen: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for result in history.results:
        for checklist in result.checklists:
            sections = seen.setdefault(checklist.id, (checklist.title.get(lang), []))[1]
            for section in checklist.sections:
                key = f"{checklist.id}/{section.id}"
                if key not in [k for k, _ in sections]:
                    sections.append((key, section.title.get(lang)))
    for ident, (title, sections) in seen.items():
        rows.append((ident, title, "bold"))
        rows += [(key, "  " + name, "") for key, name in sections]
    return rows


def _score_cell(entry: YearEntry, key: str, lang: str) -> str:
    result = entry.result
    score: float | None = None
    grade: str | None = None
    if key == "overall":
        score, grade = result.score, result.grade_label.get(lang) if result.grade_label else None
    else:
        ident, _, section = key.partition("/")
        checklist = next((c for c in result.checklists if c.id == ident), None)
        if checklist is not None and not section:
            score, grade = checklist.score, checklist.grade
        elif checklist is not None:
            found = next((s for s in checklist.sections if s.id == section), None)
            score, grade = (found.score, found.grade) if found else (None, None)
        rules = next((c for c in entry.checklists if c.id == ident), None)
        label = label_of(rules.scoring.grades if rules else list(DEFAULT_GRADES), grade)
        grade = label.get(lang) if label else grade
    if score is None:
        return "—"
    return f"{score:.1f} {grade or ''}".strip()


def _delta_cell(comparison: YearComparison, key: str, lang: str) -> tuple[str, bool]:
    changes = {c.key: c for c in [comparison.overall, *comparison.checklists, *comparison.sections]}
    change: ScoreChange | None = changes.get(key)
    if change is None:
        return "", False
    if change.delta is None:
        return (NOT_COMPARABLE.get(lang) if change.current is not None or change.previous is not None else ""), False
    star = change.basis == "comparable-items"
    colour = "red" if change.delta < 0 else "green" if change.delta > 0 else ""
    text = f"{change.delta:+.1f}" + ("*" if star else "")
    return (f"[{colour}]{text}[/{colour}]" if colour else text), star


def _print_changes(console: Console, comparison: YearComparison, lang: str) -> None:
    head = f"{comparison.previous_year} → {comparison.year}"
    zh = lang == "zh"
    if comparison.worse:
        console.print(f"{head} " + ("变差的检查项：" if zh else "items that got worse:"))
        for item in comparison.worse:
            renamed = f" (← {item.previous_id})" if item.previous_id and item.previous_id != item.id else ""
            if item.delta is not None and item.previous_score is not None and item.score is not None:
                console.print(f"  {item.id}{renamed}: {item.previous_status} → {item.status} "
                              f"({item.previous_score:.1f} → {item.score:.1f}, {item.delta:+.1f})")
                continue
            expired = (" (豁免已过期)" if zh else " (waiver expired)") if item.waiver_expired else ""
            now = "—" if item.score is None else f"{item.score:.1f}"
            console.print(f"  {item.id}{renamed}: {item.previous_status} → {item.status}{expired} (— → {now})")
    if comparison.red_lines_new:
        console.print(f"{head} " + ("新增未达标红线：" if zh else "red lines newly failed: ")
                      + ", ".join(comparison.red_lines_new), style="red")
    if comparison.red_lines_fixed:
        console.print(f"{head} " + ("已纠正的红线：" if zh else "red lines fixed: ")
                      + ", ".join(comparison.red_lines_fixed), style="green")
    for change in [comparison.overall, *comparison.checklists, *comparison.sections]:
        if change.basis == "comparable-items" and change.previous is not None and change.current is not None:
            reason = f" — {change.reason.get(lang)}" if change.reason else ""
            console.print(f"{head} * {_name(change, lang)}: {change.previous:.1f} → {change.current:.1f} "
                          f"({change.delta:+.1f}){reason}")
    missing = comparison.not_comparable
    if missing:
        console.print(f"{head} " + ("不可比的检查项：" if zh else "items not comparable:"))
        for item in missing:
            console.print(f"  {item.id}: {item.reason.get(lang) if item.reason else ''}")



def _name(change: ScoreChange, lang: str) -> str:
    return change.key if "/" in change.key else change.name.get(lang)

