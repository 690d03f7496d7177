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
from ssdocs.loading.checklists import find_checklists, parse_checklist
from ssdocs.loading.yamlio import Document, Path_, load_yaml, read_text
from ssdocs.models.checklist import Checklist, NumberItem, ScaleItem

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
    files = [p for source in (paths or [checklists_dir()]) for p in find_checklists(source)]
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
        quotes += len(checklist.items())
        problems.extend(check_quotes(doc, checklist, text))
        problems.extend(check_quality(doc, checklist))
    problems.extend(check_duplicates(loaded))
    problems.sort(key=lambda p: (p.file, p.line, p.column, p.path))
    return LintReport(paper=Path(paper), files=len(files), quotes=quotes, problems=problems)


def _item_path(doc: Document, item_id: str) -> Path_:
    """The document path of the item with this id (sections[i].items[j])."""
    for i, section in enumerate(doc.data.get("sections", [])):
        for j, item in enumerate(section.get("items", [])):
            if isinstance(item, dict) and item.get("id") == item_id:
                return ("sections", i, "items", j)
    return ()


def check_quotes(doc: Document, checklist: Checklist, paper: Paper) -> list[Problem]:
    """Every `source.quote` must occur in the paper, in the part `source.section` names."""
    problems = []
    for _, item in checklist.items():
        where = _item_path(doc, item.id)
        quote = normalise(item.source.quote)
        if quote not in paper.text:
            problems.append(doc.problem((*where, "source", "quote"),
                                        f"quote not found in the paper: '{item.source.quote}'"))
            continue
        if quote in paper.parts.get(item.source.section, quote):
            continue  # in the part named (or the paper has no parts to tell)
        part = paper.part_of(quote)
        if part is not None:
            problems.append(doc.problem((*where, "source", "section"),
                                        f"the quote is in part {part} of the paper, "
                                        f"not {item.source.section}; set section: {part}"))
    return problems


def check_quality(doc: Document, checklist: Checklist) -> list[Problem]:
    """Checks the schema cannot express: substantive guidance, real levels, gap-free bands."""
    problems = []
    for _, item in checklist.items():
        where = _item_path(doc, item.id)
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
        if isinstance(item, NumberItem):
            problems.extend(doc.problem((*where, "bands"), message) for message in band_gaps(item))
    return problems


def band_gaps(item: NumberItem) -> list[str]:
    """Values in [minimum, maximum] that no band covers, or that two bands both cover."""
    bands = sorted(item.bands, key=lambda b: -float("inf") if b.min is None else b.min)
    messages = []
    low = item.minimum if item.minimum is not None else None
    first = bands[0].min
    if first is not None and (low is None or first > low):
        messages.append(f"values below {first:g} fall in no band (they would score 0 silently)")
    for a, b in zip(bands, bands[1:], strict=False):
        if a.max is None or b.min is None or a.max > b.min:
            messages.append(f"bands overlap around {b.min if b.min is not None else a.max}")
        elif a.max < b.min:
            messages.append(f"values from {a.max:g} to {b.min:g} fall in no band")
    last = bands[-1].max
    if last is not None and (item.maximum is None or last <= item.maximum):
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
                where = (*_item_path(doc, item.id), "question", lang)
                if key in seen:
                    other, other_file = seen[key]
                    problems.append(doc.problem(where,
                        f"the same question as item {other} ({other_file}); merge them or ask differently"))
                else:
                    seen[key] = (item.id, doc.file)
    return problems
