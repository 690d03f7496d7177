"""Checklist lint: every source quote is verbatim in the paper, plus content-quality checks."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ssdocs.core.paths import checklists_dir
from ssdocs.errors import Problem, SsdocsError, ValidationFailed
from ssdocs.lint_latest import check_latest, item_path, latest_and_previous
from ssdocs.lint_map import MapCounts, check_paper_map
from ssdocs.loading.checklists import find_checklists, parse_checklist
from ssdocs.loading.registers import BASIS_FILE, PAPER_MAP_FILE, parse_basis, parse_paper_map
from ssdocs.loading.yamlio import Document, Path_, load_yaml, read_text
from ssdocs.models.checklist import Checklist, GridItem, NumberItem, ScaleItem
from ssdocs.models.registers import BasisRegister

PAPER_ENV = "SSDOCS_PAPER"
PAPER_NAME = "social-security-safety-standards.zh.txt"
_REPOSITORY = Path(__file__).resolve().parents[2]  # src/ssdocs/lint.py -> repository root

# Whitespace is ignored when matching quotes: the paper's text was extracted from a PDF, so line
# breaks and padding spaces fall anywhere. \s covers U+3000 (ideographic space); the zero-width
# characters are not whitespace to Python but are just as invisible.
_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
# Top-level part headings of the paper ("一、…" at the start of a line); they map quotes to parts.
_PART_HEADING = re.compile(r"^\s*([一二三])、", re.MULTILINE)
_SLOGANS = ("高度重视", "大力加强", "切实加强", "进一步提高认识")

MIN_GUIDANCE_ZH = 40  # characters: enough to name the evidence and how a level is recognised
MIN_GUIDANCE_EN = 80


class PaperNotFound(SsdocsError):
    """The paper's text file named by --paper or SSDOCS_PAPER does not exist."""


@dataclass(frozen=True)
class Paper:
    """The paper's text without whitespace, split into its parts (摘要, 一, 二, 三)."""

    path: Path
    text: str
    parts: dict[str, str] = field(default_factory=dict)

    def part_of(self, quote: str) -> str | None:
        """The first part whose text contains `quote`, or None (also when the paper has no parts)."""
        return next((name for name, body in self.parts.items() if quote in body), None)


@dataclass(frozen=True)
class LintReport:
    """What `lint` checked and what it found."""

    paper: Path
    files: int
    quotes: int
    problems: list[Problem]
    notes: list[str] = field(default_factory=list)  # what the registers checked (counts)
    skipped: list[str] = field(default_factory=list)  # checks skipped for want of a register, and why
    paper_map: MapCounts | None = None


def normalise(text: str) -> str:
    """Text as quotes are compared: NFC, with every whitespace and zero-width character removed."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", text))


def default_paper() -> tuple[Path | None, bool]:
    """The paper to lint against and whether the user named it (SSDOCS_PAPER) or it was guessed."""
    env = os.environ.get(PAPER_ENV)
    if env:
        return Path(env), True
    guess = _REPOSITORY.parent / "shared" / "paper" / PAPER_NAME
    return (guess if guess.is_file() else None), False


def load_paper(path: Path | str) -> Paper:
    """Read the paper's text and split it into parts at the 一、二、三、 headings."""
    path = Path(path)
    if not path.is_file():
        raise PaperNotFound(f"{path}: paper not found (expected the paper's UTF-8 text file)")
    try:
        raw = read_text(path)
    except ValidationFailed as exc:
        raise PaperNotFound(str(exc.problems[0])) from None
    headings = [(m.start(), m.group(1)) for m in _PART_HEADING.finditer(raw)]
    parts: dict[str, str] = {}
    if [name for _, name in headings[:3]] == ["一", "二", "三"]:
        starts = [0, *(start for start, _ in headings[:3]), len(raw)]
        for name, begin, end in zip(("摘要", "一", "二", "三"), starts, starts[1:], strict=False):
            parts[name] = normalise(raw[begin:end])
    return Paper(path=path, text=normalise(raw), parts=parts)


def lint(paths: Iterable[Path | str] | None, paper: Path | str) -> LintReport:
    """Lint checklist files (or folders of them) against the paper; every problem found, together.

    Files that do not load as checklists contribute their validation problems.
    """
    text = load_paper(paper)
    sources = [Path(p) for p in (paths or [checklists_dir()])]
    files = [p for source in sources for p in find_checklists(source)]
    problems: list[Problem] = []
    loaded: list[tuple[Document, Checklist]] = []
    for path in files:
        try:
            doc = load_yaml(Path(path))
            if isinstance(doc.data, dict) and "answers" in doc.data:
                problems.append(doc.problem((), "this is an assessment, expected a checklist "
                                                "(lint checks checklists only)"))
                continue
            loaded.append((doc, parse_checklist(doc)))
        except ValidationFailed as exc:
            problems.extend(exc.problems)
    quotes = 0
    for doc, checklist in loaded:
        quotes += sum(len(item.sources) for _, item in checklist.items())
        problems.extend(check_quotes(doc, checklist, text))
        problems.extend(check_quality(doc, checklist))
    notes: list[str] = []
    skipped: list[str] = []
    register = _register(sources, problems, notes, skipped)
    latest = latest_and_previous(loaded)
    problems.extend(check_duplicates([(doc, c) for doc, c, _ in latest]))  # earlier versions repeat them
    for doc, checklist, previous in latest:
        problems.extend(check_latest(doc, checklist, previous, register))
    counts = _paper_map(sources, text, [i for _, c, _ in latest for i in c.item_ids()], problems, notes, skipped)
    problems.sort(key=lambda p: (p.file, p.line, p.column, p.path))
    return LintReport(paper=Path(paper), files=len(files), quotes=quotes, problems=problems, notes=notes,
                      skipped=skipped, paper_map=counts)


def _beside(sources: list[Path], name: str) -> Path | None:
    """A register file in the first folder linted (or the folder of the first file) that has one."""
    for source in sources:
        folder = source if source.is_dir() else source.parent
        if (folder / name).is_file():
            return folder / name
    return None


def _register(sources: list[Path], problems: list[Problem], notes: list[str],
              skipped: list[str]) -> BasisRegister | None:
    path = _beside(sources, BASIS_FILE)
    if path is None:
        skipped.append(f"basis not checked: no {BASIS_FILE} beside the checklists")
        return None
    try:
        register = parse_basis(load_yaml(path))
    except ValidationFailed as exc:
        problems.extend(exc.problems)
        return None
    notes.append(f"basis: {len(register.instruments)} instruments in {path}")
    return register


def _paper_map(sources: list[Path], paper: Paper, latest_ids: list[str], problems: list[Problem],
               notes: list[str], skipped: list[str]) -> MapCounts | None:
    path = _beside(sources, PAPER_MAP_FILE)
    if path is None:
        skipped.append(f"paper map not checked: no {PAPER_MAP_FILE} beside the checklists")
        return None
    try:
        doc = load_yaml(path)
        paper_map = parse_paper_map(doc)
    except ValidationFailed as exc:
        problems.extend(exc.problems)
        return None
    found, counts = check_paper_map(doc, paper_map, paper, latest_ids)
    problems.extend(found)
    notes.append(counts.line())
    return counts


def _source_paths(doc: Document, where: Path_, count: int) -> list[Path_]:
    """The document path of each source of an item: `source` (one mapping) or `source[k]` (a list)."""
    node = doc.data
    for step in where:
        node = node[step]
    raw = node.get("source") if isinstance(node, dict) else None
    if isinstance(raw, list):
        return [(*where, "source", k) for k in range(count)]
    return [(*where, "source")] * count


def check_quotes(doc: Document, checklist: Checklist, paper: Paper) -> list[Problem]:
    """Every source quote must occur in the paper, in the part its `section` names."""
    problems = []
    for _, item in checklist.items():
        where = item_path(doc, item.id)
        for source, at in zip(item.sources, _source_paths(doc, where, len(item.sources)), strict=True):
            quote = normalise(source.quote)
            if quote not in paper.text:
                problems.append(doc.problem((*at, "quote"), f"quote not found in the paper: '{source.quote}'"))
                continue
            if quote in paper.parts.get(source.section, quote):
                continue  # in the part named (or the paper has no parts to tell)
            part = paper.part_of(quote)
            if part is not None:
                problems.append(doc.problem((*at, "section"),
                                            f"the quote is in part {part} of the paper, "
                                            f"not {source.section}; set section: {part}"))
    return problems


def check_quality(doc: Document, checklist: Checklist) -> list[Problem]:
    """Checks the schema cannot express: substantive guidance, real levels, gap-free bands."""
    problems = []
    for _, item in checklist.items():
        where = item_path(doc, item.id)
        for lang, minimum in (("zh", MIN_GUIDANCE_ZH), ("en", MIN_GUIDANCE_EN)):
            size = len(getattr(item.guidance, lang))
            if size < minimum:
                problems.append(doc.problem((*where, "guidance", lang),
                    f"guidance is {size} characters, expected at least {minimum} "
                    "saying which evidence answers the item and how each answer is recognised"))
        for name in ("question", "guidance", "recommendation"):
            zh = getattr(item, name).zh
            if not _CJK.search(zh):
                problems.append(doc.problem((*where, name, "zh"),
                                            "expected Chinese text in zh, got no Chinese characters"))
        if any(word in item.question.zh for word in _SLOGANS):
            problems.append(doc.problem((*where, "question", "zh"),
                "the question is a slogan, expected something an auditor can check with evidence"))
        if normalise(item.recommendation.zh) == normalise(item.question.zh):
            problems.append(doc.problem((*where, "recommendation", "zh"),
                                        "the recommendation repeats the question; say what to do"))
        if isinstance(item, ScaleItem):
            for k, level in enumerate(item.levels):
                if normalise(level.description.zh) == normalise(level.label.zh):
                    problems.append(doc.problem((*where, "levels", k, "description"),
                        "the level's description repeats its label; say how an auditor recognises it"))
        if isinstance(item, (NumberItem, GridItem)):
            problems.extend(doc.problem((*where, "bands"), message) for message in band_gaps(item))
    return problems


def _ratio_cap(item: GridItem) -> float | None:
    """100 when the scored ratio's numerator is bounded by its denominator through `at_most`, else None."""
    ratio = item.ratio(item.scored_by)
    column = item.column(ratio.numerator) if ratio is not None else None
    while column is not None and ratio is not None:
        if column.at_most == ratio.denominator:
            return 100.0
        column = item.column(column.at_most) if column.at_most is not None else None
    return None


def band_gaps(item: NumberItem | GridItem) -> list[str]:
    """Values in [minimum, maximum] that no band covers, or that two bands both cover (a grid's
    ratios run from 0 up: a percentage, above 100 only when a numerator may exceed its denominator)."""
    bands = sorted(item.bands, key=lambda b: -float("inf") if b.min is None else b.min)
    messages = []
    minimum, maximum = (item.minimum, item.maximum) if isinstance(item, NumberItem) else (0.0, _ratio_cap(item))
    low = minimum
    first = bands[0].min
    if first is not None and (low is None or first > low):
        messages.append(f"values below {first:g} fall in no band (they would score 0 silently)")
    for a, b in zip(bands, bands[1:], strict=False):
        if a.max is None or b.min is None or a.max > b.min:
            messages.append(f"bands overlap around {b.min if b.min is not None else a.max}")
        elif a.max < b.min:
            messages.append(f"values from {a.max:g} to {b.min:g} fall in no band")
    last = bands[-1].max
    if last is not None and (maximum is None or last <= maximum):
        messages.append(f"values from {last:g} up fall in no band (they would score 0 silently)")
    return messages


def check_duplicates(loaded: list[tuple[Document, Checklist]]) -> list[Problem]:
    """The same question (either language) asked twice, in one checklist or across checklists."""
    problems = []
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    for doc, checklist in loaded:
        for _, item in checklist.items():
            for lang in ("zh", "en"):
                key = (lang, normalise(getattr(item.question, lang)).casefold())
                where = (*item_path(doc, item.id), "question", lang)
                if key in seen:
                    other, other_file = seen[key]
                    problems.append(doc.problem(where,
                        f"the same question as item {other} ({other_file}); merge them or ask differently"))
                else:
                    seen[key] = (item.id, doc.file)
    return problems
