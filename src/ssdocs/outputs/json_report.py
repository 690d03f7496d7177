"""The check as JSON: the policy, and per jurisdiction-year the score, the change and the failures."""

from __future__ import annotations

from typing import Any

from ssdocs.core.files import write_text
from ssdocs.history.export import comparison_json, json_around_list, json_text, json_with_list
from ssdocs.history.gate import CheckReport, Failure, YearCheck
from ssdocs.policy import Policy


def check_json(report: CheckReport) -> dict[str, Any]:
    """A JSON-ready document: pass/fail, the policy applied and every gated year in full."""
    return {**_head(report.policy, report.failures), "years": [year_json(year) for year in report.years]}


def _head(policy: Policy, failures: list[Failure]) -> dict[str, Any]:
    return {
        "format": "ssdocs-check",
        "version": 1,
        "passed": not failures,
        "policy": {**policy.as_dict(), "source": policy.source},
        "failures": [f.message for f in failures],
    }


def year_json(year: YearCheck) -> dict[str, Any]:
    """One gated jurisdiction-year of `check_json`."""
    return {
        "jurisdiction": year.entry.result.jurisdiction,
        "name": {"zh": year.history.name.zh, "en": year.history.name.en},
        "year": year.entry.result.year,
        "file": year.entry.path.as_posix(),
        "passed": year.passed,
        "failures": [{"rule": f.rule, "message": f.message} for f in year.failures],
        "rescored": year.entry.rescored,
        "change": comparison_json(year.comparison) if year.comparison else None,
        "result": year.entry.result.model_dump(mode="json"),
    }


def check_json_text(report: CheckReport) -> str:
    return json_with_list(_head(report.policy, report.failures), "years",
                          [json_text(year_json(y)) for y in report.years]) + "\n"


def check_json_around(policy: Policy, failures: list[Failure], years: bool) -> tuple[str, str]:
    """The text of `check_json` before and after its years, each `nested(json_text(year_json(...)))`
    and separated by ",\n": a large check is written from a spool."""
    before, after = json_around_list(_head(policy, failures), "years", years)
    return before, after + "\n"


def write_check_json(report: CheckReport, target: str) -> None:
    write_text(target, check_json_text(report))
