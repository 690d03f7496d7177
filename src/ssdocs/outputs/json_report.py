"""The check as JSON: the policy, and per jurisdiction-year the score, the change and the failures."""

from __future__ import annotations

from typing import Any

from ssdocs.history.export import comparison_json, json_text, json_with_list
from ssdocs.history.gate import CheckReport, Failure, YearCheck
from ssdocs.outputs.files import write_text
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
    return check_json_document(report.policy, report.failures, [json_text(year_json(y)) for y in report.years])


def check_json_document(policy: Policy, failures: list[Failure], years: list[str]) -> str:
    """The text of `check_json` from each year's `json_text(year_json(...))`."""
    return json_with_list(_head(policy, failures), "years", years) + "\n"


def write_check_json(report: CheckReport, target: str) -> None:
    write_text(target, check_json_text(report))
