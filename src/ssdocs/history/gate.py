"""The CI gate: validate and score assessments, compare each with its previous year, apply the policy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ssdocs.errors import Problem, ValidationFailed
from ssdocs.history.compare import YearComparison, compare_years
from ssdocs.history.loading import History, YearEntry, load_histories, load_history
from ssdocs.loading.cache import ResultCache
from ssdocs.loading.checklists import Catalog
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
          cache: ResultCache | None = None) -> CheckReport:
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
            for year in gate_history(path, history, policy, all_years):
                gated[(year.entry.path.resolve(), year.entry.result.year)] = year
    if problems:
        raise ValidationFailed(sorted(set(problems)))
    return CheckReport(policy, sorted(gated.values(), key=order_of))


def order_of(year: YearCheck) -> tuple[str, int]:
    """The order of the gated years in every output: by jurisdiction, then year."""
    return year.history.jurisdiction, year.entry.result.year


def gate_history(source: Path, history: History, policy: Policy, all_years: bool = False) -> list[YearCheck]:
    """The gated years of one jurisdiction, each compared with its previous year and checked.

    `source` is what was asked for: a file gates itself; a folder its latest year (every year
    with `all_years`).
    """
    if source.is_file():
        wanted = source.resolve()
        entries = [next(e for e in history.entries if e.path.resolve() == wanted)]
    else:
        entries = history.entries if all_years else history.entries[-1:]
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
    return failures
