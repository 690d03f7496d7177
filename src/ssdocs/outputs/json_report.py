"""The check as JSON: the policy, and per jurisdiction-year the score, the change and the failures."""

from __future__ import annotations

import json
from typing import Any

from ssdocs.history.export import comparison_json
from ssdocs.history.gate import CheckReport
from ssdocs.outputs.files import write_text


def check_json(report: CheckReport) -> dict[str, Any]:
    """A JSON-ready document: pass/fail, the policy applied and every gated year in full."""
    return {
        "format": "ssdocs-check",
        "version": 1,
        "passed": report.passed,
        "policy": {**report.policy.as_dict(), "source": report.policy.source},
        "failures": [f.message for f in report.failures],
        "years": [{
            "jurisdiction": year.entry.result.jurisdiction,
            "name": {"zh": year.history.name.zh, "en": year.history.name.en},
            "year": year.entry.result.year,
            "file": year.entry.path.as_posix(),
            "passed": year.passed,
            "failures": [{"rule": f.rule, "message": f.message} for f in year.failures],
            "rescored": year.entry.rescored,
            "change": comparison_json(year.comparison) if year.comparison else None,
            "result": year.entry.result.model_dump(mode="json"),
        } for year in report.years],
    }


def check_json_text(report: CheckReport) -> str:
    return json.dumps(check_json(report), ensure_ascii=False, indent=2) + "\n"


def write_check_json(report: CheckReport, target: str) -> None:
    write_text(target, check_json_text(report))
