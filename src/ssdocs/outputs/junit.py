"""The check as JUnit XML: one testsuite per jurisdiction-year, one testcase per item and policy rule.

The JUnit verdict agrees with the exit code: only a policy rule that fails is a <failure>, so a
green run never shows red tests. An item that is not met (partial, unmet, missing) is <skipped>
with its answer and recommendation, N/A and waived items too, a met item passes. With
`items="failures"` (`ssdocs check --junit-items failures`) partial and unmet items are failures and
missing ones errors, for teams that want every open item red whatever the policy.

Written with xml.etree to the subset of the JUnit schema CI servers read (Jenkins' junit-10.xsd,
GitLab, GitHub test reporters): required counts on every testsuite, no extras.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Literal

from ssdocs.core.files import write_bytes
from ssdocs.history.gate import CheckReport, YearCheck
from ssdocs.models.checklist import Checklist
from ssdocs.models.results import ItemResult

# Characters XML 1.0 cannot carry, even escaped; YAML text could contain them.
ItemsAs = Literal["skipped", "failures"]
ITEMS_AS: tuple[ItemsAs, ...] = ("skipped", "failures")
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def junit_xml(report: CheckReport, items: ItemsAs = "skipped") -> bytes:
    """The whole report as a JUnit XML document (UTF-8, with declaration)."""
    rules = report.policy.rules()
    return junit_document([junit_suite(year, rules, items) for year in report.years])


def junit_suite(year: YearCheck, rules: list[str], items: ItemsAs = "skipped") -> tuple[str, dict[str, int]]:
    """One jurisdiction-year's testsuite as it appears in `junit_xml` (indented for its place),
    and its counts for the totals."""
    suite = _suite(year, rules, items)
    ET.indent(suite, level=1)
    counts = {key: int(suite.get(key, "0")) for key in ("tests", "failures", "errors")}
    return ET.tostring(suite, encoding="unicode"), counts


def junit_document(suites: list[tuple[str, dict[str, int]]]) -> bytes:
    """The document of `junit_xml` from each year's `junit_suite`."""
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for _, counts in suites:
        for key in totals:
            totals[key] += counts[key]
    before, after = junit_around(totals, bool(suites))
    return (before + "".join("\n  " + text for text, _ in suites) + after).encode("utf-8")


def junit_around(totals: dict[str, int], suites: bool) -> tuple[str, str]:
    """The text of `junit_xml` before and after its testsuites, each `junit_suite`'s text preceded
    by "\n  ": a large check is written from a spool. With no suites: the whole text, and nothing."""
    root = ET.Element("testsuites", {"name": "ssdocs check"})
    for key in ("tests", "failures", "errors"):
        root.set(key, str(totals.get(key, 0)))
    root.set("time", "0")
    head = ET.tostring(root, encoding="unicode")
    if not suites:
        return _DECLARATION + head + "\n", ""
    assert head.endswith(" />")
    return _DECLARATION + head[: -len(" />")] + ">", "\n</testsuites>\n"


_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"


def write_junit(report: CheckReport, target: str, items: ItemsAs = "skipped") -> None:
    write_bytes(target, junit_xml(report, items))


def _suite(year: YearCheck, rules: list[str], items: ItemsAs = "skipped") -> ET.Element:
    result = year.entry.result
    code = result.jurisdiction
    suite = ET.Element("testsuite", {
        "name": _clean(f"{year.history.name.zh} {result.year} ({code})"),
        "tests": "0", "failures": "0", "errors": "0", "skipped": "0", "time": "0",
        "timestamp": f"{result.date}T00:00:00", "package": code,
        "file": _clean(year.entry.path.as_posix()),
    })
    properties = ET.SubElement(suite, "properties")
    props = {
        "jurisdiction": code, "year": str(result.year),
        "score": "" if result.score is None else f"{result.score:.1f}",
        "grade": result.grade or "", "completeness": f"{result.completeness:.1f}",
        "checklists": ", ".join(f"{c.id} {c.version}" for c in year.entry.checklists),
        "rescored": str(year.entry.rescored).lower(),
    }
    for name, value in props.items():
        ET.SubElement(properties, "property", {"name": name, "value": _clean(value)})
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    checklists = {c.id: c for c in year.entry.checklists}
    for item in result.items():
        case = _item_case(item, checklists[item.checklist], f"{code}.{result.year}", items)
        suite.append(case)
        counts["tests"] += 1
        for kind, key in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
            counts[key] += case.find(kind) is not None
    for rule in [*rules, *sorted({f.rule for f in year.failures} - set(rules))]:  # the always-on rules too
        case = ET.SubElement(suite, "testcase", {"classname": f"{code}.{result.year}.policy", "name": rule,
                                                 "time": "0"})
        counts["tests"] += 1
        for failure in (f for f in year.failures if f.rule == rule):
            ET.SubElement(case, "failure", {"type": "policy", "message": _clean(failure.message)})
            counts["failures"] += 1
    for key, count in counts.items():
        suite.set(key, str(count))
    return suite


def _item_case(item: ItemResult, checklist: Checklist, prefix: str, items: ItemsAs) -> ET.Element:
    question = next(i for _, i in checklist.items() if i.id == item.id)
    case = ET.Element("testcase", {
        "classname": f"{prefix}.{item.checklist}.{item.section}",
        "name": _clean(f"{item.id} {question.question.zh}"),
        "time": "0",
    })
    body = _clean("\n".join([
        f"问题 / Question: {question.question.zh} / {question.question.en}",
        f"回答 / Answer: {item.display}",
        f"建议 / Recommendation: {question.recommendation.zh} / {question.recommendation.en}",
    ]))
    red = " (红线 red line)" if item.critical_failed else ""
    if items == "skipped" and item.status in ("partial", "unmet", "missing"):
        what = "no answer" if item.status == "missing" else (
            f"{item.status} ({item.display}), score {0.0 if item.score is None else 100 * item.score:.1f}")
        element = ET.SubElement(case, "skipped", {"type": item.status, "message": _clean(
            f"{item.id}: {what}{red}; not a policy rule")})
        element.text = body
    elif item.status in ("partial", "unmet"):
        score = 0.0 if item.score is None else 100 * item.score
        element = ET.SubElement(case, "failure", {
            "type": item.status, "message": _clean(f"{item.id}: {item.status} ({item.display}), "
                                                   f"score {score:.1f}{red}")})
        element.text = body
    elif item.status == "missing":
        element = ET.SubElement(case, "error", {"type": "missing",
                                                "message": f"{item.id}: no answer{red}"})
        element.text = body
    elif item.status in ("na", "waived", "context"):
        why = {"na": "N/A", "waived": "waived", "context": "context item, not scored"}[item.status]
        ET.SubElement(case, "skipped", {"type": item.status, "message": f"{item.id}: {why}"})
    return case
