"""The CI gate: validate and score assessments, compare each with its previous year, apply the policy."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ssdocs.errors import Problem, SsdocsError, ValidationFailed
from ssdocs.history.compare import YearComparison, compare_years
from ssdocs.history.loading import History, YearEntry, load_histories, load_history
from ssdocs.loading.cache import ResultCache
from ssdocs.loading.checklists import Catalog
from ssdocs.loading.yamlio import load_yaml
from ssdocs.policy import Policy


@dataclass(frozen=True)
class Failure:
    """One policy rule a year broke, with the one-line reason a CI log shows."""

    rule: str  # the config-file name of the rule: fail-under, max-drop, no-new-critical, min-completeness
    message: str


@dataclass(frozen=True)
class YearCheck:
    """One gated jurisdiction-year: its result, the comparison with the year before, what failed."""

    history: History
    entry: YearEntry
    comparison: YearComparison | None
    failures: list[Failure]

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def label(self) -> str:
        """How reason lines name the year: the jurisdiction's Chinese name and the year."""
        return f"{self.history.name.zh} {self.entry.result.year}"


@dataclass(frozen=True)
class CheckReport:
    policy: Policy
    years: list[YearCheck]

    @property
    def passed(self) -> bool:
        return all(y.passed for y in self.years)

    @property
    def failures(self) -> list[Failure]:
        return [f for y in self.years for f in y.failures]


def check(paths: Iterable[Path | str], catalog: Catalog, policy: Policy, all_years: bool = False,
          cache: ResultCache | None = None, changed: frozenset[Path] | None = None) -> CheckReport:
    """Validate and score every assessment under `paths`, then apply `policy`.

    A file is gated itself; a folder gates the latest year of each jurisdiction in it (every year
    with `all_years`); earlier years are still validated, and the previous year of each gated year
    is what --max-drop and --no-new-critical compare with. All input problems are reported together.
    """
    problems: list[Problem] = []
    gated: dict[tuple[Path, int], YearCheck] = {}
    for raw in paths:
        path = Path(raw)
        try:
            histories = [load_history(path, catalog, cache=cache)] if path.is_file() else \
                load_histories(path, catalog, cache, all_years)
        except ValidationFailed as exc:
            problems.extend(exc.problems)
            continue
        for history in histories:
            try:
                years = gate_history(path, history, policy, all_years, changed)
            except ValidationFailed as exc:
                problems.extend(exc.problems)
                continue
            for year in years:
                gated[(year.entry.path.resolve(), year.entry.result.year)] = year
    if problems:
        raise ValidationFailed(sorted(set(problems)))
    return CheckReport(policy, sorted(gated.values(), key=order_of))


def order_of(year: YearCheck) -> tuple[str, int]:
    """The order of the gated years in every output: by jurisdiction, then year."""
    return year.history.jurisdiction, year.entry.result.year


def gate_history(source: Path, history: History, policy: Policy, all_years: bool = False,
                 changed: frozenset[Path] | None = None, today: dt.date | None = None) -> list[YearCheck]:
    """The gated years of one jurisdiction, each compared with its previous year and checked.

    `source` is what was asked for: a file gates itself; a folder its latest year (every year
    with `all_years`), and every year whose file is in `changed` (resolved paths: `changed_since`).
    Every year of the history must be dated sensibly against `today` (the run's date; the clock by
    default): ValidationFailed, located, otherwise.
    """
    date_problems(history, today or dt.date.today())
    if source.is_file():
        wanted = source.resolve()
        entries = [next(e for e in history.entries if e.path.resolve() == wanted)]
    else:
        entries = history.entries if all_years else [
            e for e in history.entries if e is history.entries[-1] or (changed and e.path.resolve() in changed)]
    years = []
    for entry in entries:
        previous = history.previous_entry(entry.result.year)
        comparison = compare_years(previous, entry) if previous else None
        years.append(YearCheck(history, entry, comparison, apply_policy(policy, history, entry, comparison)))
    return years


def apply_policy(policy: Policy, history: History, entry: YearEntry,
                 comparison: YearComparison | None) -> list[Failure]:
    """Every rule `entry` breaks, each with its one-line reason."""
    result = entry.result
    label = f"{history.name.zh} {result.year}"
    failures: list[Failure] = []
    if policy.fail_under is not None and (result.score is None or result.score < policy.fail_under):
        shown = "—" if result.score is None else f"{result.score:.1f}"
        failures.append(Failure("fail-under", f"{label}: score {shown}, fail under {policy.fail_under:g}"))
    if policy.max_drop is not None and comparison is not None:
        change = comparison.overall
        if change.delta is not None and change.previous is not None and change.current is not None \
                and -change.delta > policy.max_drop:
            basis = f" on {change.items} comparable items" if change.basis == "comparable-items" else ""
            failures.append(Failure("max-drop", f"{label}: {change.previous:.1f} -> {change.current:.1f} "
                                    f"({change.delta:+.1f}){basis}, max drop {policy.max_drop:g}"))
    if policy.no_new_critical:
        if comparison is None and result.critical_failures:
            failures.append(Failure("no-new-critical", f"{label}: red lines failed: "
                                    f"{', '.join(result.critical_failures)} (no previous year), no new critical"))
        elif comparison is not None and comparison.red_lines_new:
            failures.append(Failure("no-new-critical", f"{label}: red lines newly failed since "
                                    f"{comparison.previous_year}: {', '.join(comparison.red_lines_new)}, "
                                    "no new critical"))
    if policy.min_completeness is not None and result.completeness < policy.min_completeness:
        failures.append(Failure("min-completeness", f"{label}: completeness {result.completeness:.1f}%, "
                                f"min completeness {policy.min_completeness:g}"))
    return failures + exemption_failures(policy, label, entry)


def exemption_failures(policy: Policy, label: str, entry: YearEntry) -> list[Failure]:
    """The rules that always apply: no N/A or waiver on a red line unless the policy allows it, no
    waiver longer than `max_waiver_months` past the assessment date."""
    items = entry.result.items()
    failures: list[Failure] = []
    for status, allowed, rule, what in (("na", policy.allow_red_line_na, "allow-red-line-na", "N/A"),
                                        ("waived", policy.allow_red_line_waiver, "allow-red-line-waiver", "waived")):
        ids = [i.id for i in items if i.critical and i.status == status]
        if ids and not allowed:
            failures.append(Failure(rule, f"{label}: red lines {what}: {', '.join(ids)}; a red line cannot be "
                                    f"{what} unless the policy sets {rule} = true"))
    if any(i.status == "waived" for i in items):
        assessment = entry.assessment
        limit = add_months(assessment.date, policy.max_waiver_months)
        long = [f"{item_id} (expires {answer.waiver.expires})" for item_id, answer in assessment.answers.items()
                if answer.waiver is not None and answer.waiver.expires > limit]
        if long:
            failures.append(Failure("max-waiver-months", f"{label}: waivers longer than {policy.max_waiver_months} "
                                    f"months after the assessment date {assessment.date} (until {limit}): "
                                    f"{', '.join(long)}, max waiver months {policy.max_waiver_months}"))
    return failures


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus `months` calendar months (the 31st becomes the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def date_problems(history: History, today: dt.date) -> None:
    """A year after its own assessment date, or an assessment dated after `today`, is invalid: the
    gate would otherwise look at a made-up future year (a `2099.yaml`) instead of the real ones."""
    problems: list[Problem] = []
    for entry in history.entries:
        date = dt.date.fromisoformat(entry.result.date)
        if entry.result.year > date.year:
            problems.append(load_yaml(entry.path).problem(("year",), f"year {entry.result.year} is after the "
                            f"assessment date {date}: an assessment rates a year that has begun; fix the year or "
                            "the date"))
        if date > today:
            problems.append(load_yaml(entry.path).problem(("date",), f"the assessment date {date} is after "
                            f"today ({today}); the gate accepts no assessment dated in the future"))
    if problems:
        raise ValidationFailed(problems)


def changed_since(ref: str, cwd: Path | None = None) -> frozenset[Path]:
    """The files (resolved) that differ between the git revision `ref` and the working tree, plus
    untracked ones: `git diff --name-only` with a fixed argument list, never a shell."""
    if not ref or ref.startswith("-") or any(c.isspace() or not c.isprintable() for c in ref):
        raise SsdocsError(f"--changed-since: expected a git revision, got {ref!r}")
    folder = Path(cwd or Path.cwd())
    found: set[Path] = set()
    for argv in (["git", "diff", "--name-only", "-z", "--no-renames", ref, "--"],
                 ["git", "ls-files", "-z", "--others", "--exclude-standard"]):
        try:
            done = subprocess.run(argv, cwd=folder, capture_output=True, timeout=120, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SsdocsError(f"--changed-since {ref}: cannot run git: {exc}") from None
        if done.returncode != 0:
            reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise SsdocsError(f"--changed-since {ref}: git failed: {reason[0] if reason else done.returncode}")
        top = folder
        if argv[1] == "diff":  # names relative to the repository's top folder
            top_run = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True,
                                     timeout=60, check=False)
            top = Path(top_run.stdout.decode("utf-8", "surrogateescape").strip() or folder)
        found |= {(top / name).resolve() for name in done.stdout.decode("utf-8", "surrogateescape").split("\0")
                  if name}
    return frozenset(found)
