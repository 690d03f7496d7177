"""Many assessments of one jurisdiction over the years -> a History of scored results."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ssdocs.errors import Problem, ValidationFailed
from ssdocs.loading.assessments import checklists_of, parse_assessment
from ssdocs.loading.cache import ResultCache
from ssdocs.loading.checklists import Catalog
from ssdocs.loading.yamlio import Document, decode_text, load_yaml, parse_yaml, read_bytes
from ssdocs.models.assessment import Assessment
from ssdocs.models.base import Text
from ssdocs.models.checklist import Checklist
from ssdocs.models.results import AssessmentResult
from ssdocs.scoring import score_assessment

YEAR_FILE = re.compile(r"^(\d{4})\.ya?ml$")


@dataclass(frozen=True, eq=False)
class YearEntry:
    """One year: the file, the assessment, the checklist versions that scored it, the result.

    `source` is the assessment, or (a year whose result came from the cache) what parses and
    validates it again on first use: most commands on a tree need only the scores. Read it as
    `entry.assessment`.
    """

    path: Path
    source: Assessment | Callable[[], Assessment]
    checklists: list[Checklist]
    result: AssessmentResult
    # Set when the year was scored with checklist versions other than those its file names
    # (only ever on an explicit request); every output must then say "re-scored".
    rescored: bool = False
    rescore_notes: list[str] = field(default_factory=list)
    # The sha256 (hex) of the file's bytes this year was loaded from, when known: what a cache of
    # facts about the year (the roll-up's changes between years) is keyed by.
    digest: str = ""

    @property
    def assessment(self) -> Assessment:
        if not isinstance(self.source, Assessment):
            object.__setattr__(self, "source", self.source())  # validated once, then kept
        assert isinstance(self.source, Assessment)
        return self.source

    def __eq__(self, other: object) -> bool:  # the assessment, however it was obtained
        if not isinstance(other, YearEntry):
            return NotImplemented
        return (self.path, self.checklists, self.result, self.rescored, self.rescore_notes) == (
            other.path, other.checklists, other.result, other.rescored, other.rescore_notes) and (
            self.assessment == other.assessment)

    __hash__ = None  # type: ignore[assignment]  # mutable lists inside, as before


@dataclass(frozen=True)
class Skipped:
    """A year left out of a history: invalid, or not fitting the year asked for (its file name,
    its jurisdiction, a second file of one year). The first problem locates it."""

    problem: Problem
    more: int = 0  # further problems of the same file

    def __str__(self) -> str:
        more = f" (+{self.more} more)" if self.more else ""
        return f"{self.problem}{more}; {Path(self.problem.file).name} is left out of the change and trend"


@dataclass(frozen=True)
class History:
    """One jurisdiction's scored years, oldest first, and the years left out of it."""

    jurisdiction: str
    name: Text
    entries: list[YearEntry]
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def notes(self) -> list[str]:
        """One located warning per year left out: every command shows these the same way."""
        return [str(s) for s in self.skipped]

    @property
    def results(self) -> list[AssessmentResult]:
        return [e.result for e in self.entries]

    @property
    def years(self) -> list[int]:
        return [e.result.year for e in self.entries]

    @property
    def rescored(self) -> bool:
        return any(e.rescored for e in self.entries)

    def entry(self, year: int) -> YearEntry | None:
        return next((e for e in self.entries if e.result.year == year), None)

    def until(self, year: int) -> History:
        """The years up to and including `year`: a report of 2024 shows no later year."""
        return replace(self, entries=[e for e in self.entries if e.result.year <= year])

    def previous(self, year: int) -> AssessmentResult | None:
        """The latest result before `year`, or None for the first year."""
        earlier = [e.result for e in self.entries if e.result.year < year]
        return earlier[-1] if earlier else None

    def previous_entry(self, year: int) -> YearEntry | None:
        earlier = [e for e in self.entries if e.result.year < year]
        return earlier[-1] if earlier else None


def year_files(folder: Path) -> list[Path]:
    """The `<year>.yaml` files directly in a folder, oldest first."""
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.is_file() and YEAR_FILE.match(p.name)),
                  key=lambda p: p.name)


def load_history(path: Path | str, catalog: Catalog, until: int | None = None, *,
                 cache: ResultCache | None = None, current: YearEntry | None = None,
                 all_years: bool = False, history: Path | str | None = None,
                 read: Callable[[Path], YearEntry] | None = None) -> History:
    """Load and score the years of one jurisdiction, with one rule for years that are broken.

    `path` is an assessment file (its folder's `<year>.yaml` siblings, or those in `history`, come
    with it) or a jurisdiction folder of `<year>.yaml` files. The years asked for must be valid:
    the file named, else the folder's latest year (every year with `all_years`); their problems are
    raised together. Every other year is optional: one that is invalid, says another year than its
    file name, is of another jurisdiction or repeats a year is left out, with a located note in
    `History.skipped`, and comparisons use the latest valid year before. Each year is scored with
    the checklist versions its file names. Later years than `until` are not even read. `cache`
    gives results of files whose bytes were scored before; `current` is a year the caller has
    already loaded (the report's own), `read` a reader of its own (the batch worker's memory).
    """
    path = Path(path)
    if path.is_file():
        folder = Path(history) if history is not None else path.parent
        named = YEAR_FILE.match(path.name)
        # A file not named <year>.yaml (and given no history folder) is a history of its own.
        others = [] if not named and history is None else year_files(folder)
        itself = path.resolve()
        files = [f for f in others if f.resolve() != itself] + [path]  # the file given, once
        wanted = {path}
    elif path.is_dir():
        files = year_files(path)
        if not files:
            raise ValidationFailed([Problem(str(path), 0, 0, "",
                "no assessment files found: expected files named <year>.yaml, e.g. 2024.yaml")])
        wanted = set(files if all_years else files[-1:])
    else:
        raise ValidationFailed([Problem(str(path), 0, 0, "", "file or folder not found")])
    if until is not None:
        # Later years are not even read: a report of 2024 must not fail on a broken 2025.
        # The years asked for are always read (a file named after another year than it says is
        # then reported as such).
        files = [f for f in files if f in wanted or not (m := YEAR_FILE.match(f.name)) or int(m.group(1)) <= until]
    known = {current.path.resolve(): current} if current is not None else {}
    return _history_of(files, wanted, catalog, cache, known, read)


def load_histories(path: Path | str, catalog: Catalog, cache: ResultCache | None = None,
                   all_years: bool = False) -> list[History]:
    """One History per jurisdiction: `path` is a jurisdiction folder, a file, or a tree of them.

    A tree is `<root>/<jurisdiction>/<year>.yaml` (any depth); every problem is reported together.
    Every History is kept: for a large tree, `ssdocs.history.tree` sums each one up instead.
    """
    histories: list[History] = []
    problems: list[Problem] = []
    for folder in jurisdiction_folders(path):
        try:
            histories.append(load_history(folder, catalog, cache=cache, all_years=all_years))
        except ValidationFailed as exc:
            problems.extend(exc.problems)
    problems.extend(duplicate_problems([(h.jurisdiction, h.entries[0].path) for h in histories]))
    if problems:
        raise ValidationFailed(problems)
    return sorted(histories, key=lambda h: h.jurisdiction)


def jurisdiction_folders(path: Path | str) -> list[Path]:
    """What to load from `path`: itself when it is a file or a jurisdiction's folder, else every
    folder below it holding `<year>.yaml` files (any depth, hidden folders skipped), sorted."""
    path = Path(path)
    if path.is_file() or year_files(path):
        return [path]
    if not path.is_dir():
        raise ValidationFailed([Problem(str(path), 0, 0, "", "file or folder not found")])
    # The batch's rule (batch/jobs.py): a folder whose name starts with "." (.git, .venv, .cache)
    # is not a jurisdiction, nor is anything below it; both commands see the same jurisdictions.
    folders = sorted({p.parent for p in path.rglob("*.y*ml") if YEAR_FILE.match(p.name)
                      and not any(part.startswith(".") for part in p.parent.relative_to(path).parts)})
    if not folders:
        raise ValidationFailed([Problem(str(path), 0, 0, "",
            "no assessment files found: expected <jurisdiction>/<year>.yaml, e.g. example-city/2024.yaml")])
    return folders


def duplicate_problems(found: Iterable[tuple[str, Path]]) -> list[Problem]:
    """One problem per jurisdiction (code, its first year's file) found in a second folder."""
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for jurisdiction, first in found:
        other = seen.setdefault(jurisdiction, first.parent)
        if other != first.parent:
            problems.append(Problem(str(first), 0, 0, "jurisdiction.code",
                f"jurisdiction {jurisdiction!r} is also assessed in {other}; "
                "keep one folder per jurisdiction"))
    return problems


@dataclass
class _Year:
    """One file read for a history: its document only when it was parsed here (not cached), its
    assessment when validated here, its result when it came from the cache (or a caller)."""

    path: Path
    doc: Document | None
    assessment: Assessment | Callable[[], Assessment]
    result: AssessmentResult | None = None
    content: bytes = b""
    digest: str = ""  # YearEntry.digest

    @property
    def year(self) -> int:
        return self.result.year if self.result is not None else self._validated().year

    @property
    def code(self) -> str:
        return self.result.jurisdiction if self.result is not None else self._validated().jurisdiction.code

    def _validated(self) -> Assessment:
        assert isinstance(self.assessment, Assessment)  # no result: parsed and validated here
        return self.assessment

    def document(self) -> Document:
        """The parsed file, for locating a problem (read again when it came from a cache)."""
        if self.doc is None:
            self.doc = load_yaml(self.path)
        return self.doc


def _history_of(files: list[Path], wanted: set[Path], catalog: Catalog, cache: ResultCache | None,
                known: dict[Path, YearEntry], read: Callable[[Path], YearEntry] | None) -> History:
    """The years asked for (`wanted`, among `files`) must be valid; any other is left out with a note."""
    problems: list[Problem] = []
    skipped: list[Skipped] = []
    read_in: list[_Year] = []
    for file in files:  # in the folder's order, every one read before any is judged
        try:
            read_in.append(_obtain(file, catalog, cache, known, read))
        except ValidationFailed as exc:
            if file in wanted:
                problems.extend(exc.problems)
            elif exc.problems:
                skipped.append(Skipped(exc.problems[0], len(exc.problems) - 1))
    # The years asked for first (the latest first): they set the jurisdiction the others must match.
    loaded: list[_Year] = []
    for year in sorted(read_in, key=lambda y: (y.path not in wanted, _name_order(y.path))):
        problem = _misfit(year, loaded)
        if problem is None:
            loaded.append(year)
        elif year.path in wanted:
            problems.append(problem)
        else:
            skipped.append(Skipped(problem))
    if problems:
        raise ValidationFailed(problems)
    entries = []
    for year in sorted(loaded, key=lambda y: y.year):
        result = year.result
        if result is None:
            assessment = year._validated()
            checklists = checklists_of(assessment, catalog)
            result = score_assessment(assessment, checklists)
            if cache is not None:
                cache.put(year.content, result)
        else:  # the versions it was scored with, in the file's order (as the result lists them)
            checklists = [catalog[(c.id, c.version)] for c in result.checklists]
        entries.append(YearEntry(year.path, year.assessment, checklists, result, digest=year.digest))
    first = entries[0].result
    skipped.sort(key=lambda s: (s.problem.file, s.problem.line))
    return History(jurisdiction=first.jurisdiction, name=first.jurisdiction_name, entries=entries, skipped=skipped)


def _name_order(file: Path) -> int:
    """Latest first by file name (a file not named <year>.yaml, given alone, comes first)."""
    match = YEAR_FILE.match(file.name)
    return -int(match.group(1)) if match else -10_000


def _obtain(file: Path, catalog: Catalog, cache: ResultCache | None, known: dict[Path, YearEntry],
            read: Callable[[Path], YearEntry] | None) -> _Year:
    reuse = known.get(file.resolve()) if known else None
    if reuse is None and read is not None:
        reuse = read(file)
    if reuse is not None:
        return _Year(file, None, reuse.source, reuse.result, digest=reuse.digest)
    return _read_year(file, catalog, cache)


def _misfit(year: _Year, before: list[_Year]) -> Problem | None:
    """Why `year` does not belong with the years kept `before` it, or None: its file says another
    year than its name, it is of another jurisdiction, or its year is already assessed."""
    file, number = year.path, year.year
    match = YEAR_FILE.match(file.name)
    if match and int(match.group(1)) != number:
        return year.document().problem(("year",), f"the file is named {file.name} but says year {number}; "
                                       f"rename it {number}.yaml or fix the year")
    if before and year.code != before[0].code:
        return year.document().problem(("jurisdiction", "code"),
            f"expected {before[0].code!r} like {before[0].path} (one jurisdiction per folder), got {year.code!r}")
    same = next((b for b in before if b.year == number), None)
    if same is not None:
        return year.document().problem(("year",), f"year {number} is also assessed in {same.path}")
    return None


def _read_year(file: Path, catalog: Catalog, cache: ResultCache | None) -> _Year:
    """One year's file: validated and scored from the cache when its bytes are known, else parsed
    and validated here (scored by the caller once the whole history is known to be valid)."""
    name = str(file)
    content = read_bytes(file, name)
    sha = hashlib.sha256(content).hexdigest()
    hit = cache.get(content) if cache is not None else None
    if hit is not None:
        return _Year(file, None, _Reread(content, name, catalog), hit, digest=sha)
    doc = parse_yaml(decode_text(content, name), name)
    return _Year(file, doc, parse_assessment(doc, catalog), None, content, sha)


@dataclass(frozen=True)
class _Reread:
    """The assessment of a year whose result came from the cache, parsed and validated again from
    the bytes the cache key was computed from (so the same document), when something needs it."""

    content: bytes
    name: str
    catalog: Catalog

    def __call__(self) -> Assessment:
        return parse_assessment(parse_yaml(decode_text(self.content, self.name), self.name), self.catalog)
