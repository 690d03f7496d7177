"""The JUnit reporter: item statuses -> outcomes, counts, policy testcases, schema validity."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import lxml.etree
import pytest

from ssdocs.history.gate import check
from ssdocs.loading import load_checklists
from ssdocs.loading.checklists import Catalog
from ssdocs.models.base import Text
from ssdocs.outputs.junit import junit_xml
from ssdocs.policy import Policy

FIXTURES = Path(__file__).parent / "fixtures"
DEMO = FIXTURES / "history" / "demo"
SCHEMA = lxml.etree.XMLSchema(lxml.etree.parse(str(FIXTURES / "junit" / "junit.xsd")))

# One answer of each kind: met, partial, unmet, N/A, waived, missing (MIN-03 left out).
MIXED = """\
jurisdiction: {code: mixed, name: {zh: 混合县, en: Mixed County}, level: county}
year: 2025
date: 2026-03-01
assessors: [{name: 王五}]
checklists: [{id: mini, version: 1.0.0}]
answers:
  MIN-01: {value: "no"}
  MIN-02: {na: 本县无此职能}
  MIN-04:
    value: none
    waiver: {justification: 系统建设中, approved_by: 市人社局, expires: 2026-12-31}
  MIN-05:
    value:
      audit: {functions: yes, staffing: yes}
      tax: {functions: yes, staffing: yes}
"""


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_checklists(FIXTURES / "mini-checklist.yaml")


def _parse(data: bytes) -> ET.Element:
    SCHEMA.assertValid(lxml.etree.fromstring(data))
    return ET.fromstring(data)


def _outcomes(suite: ET.Element) -> dict[str, tuple[str, str | None]]:
    outcomes = {}
    for case in suite.findall("testcase"):
        kinds = [child.tag for child in case]
        outcomes[case.get("name", "").split()[0]] = (kinds[0] if kinds else "passed",
                                                    case[0].get("type") if kinds else None)
    return outcomes


def test_by_default_only_policy_rules_fail(tmp_path: Path, catalog: Catalog) -> None:
    """A CI user reads red as 'the gate failed': open items are skipped, failed rules are failures."""
    (tmp_path / "2025.yaml").write_text(MIXED, encoding="utf-8")
    report = check([tmp_path / "2025.yaml"], catalog, Policy(fail_under=60, max_drop=5))
    root = _parse(junit_xml(report))
    (suite,) = root.findall("testsuite")
    assert _outcomes(suite) == {
        "MIN-01": ("skipped", "unmet"),
        "MIN-02": ("skipped", "na"),
        "MIN-03": ("skipped", "missing"),
        "MIN-04": ("skipped", "waived"),
        "MIN-05": ("passed", None),
        "fail-under": ("failure", "policy"),
        "max-drop": ("passed", None),
    }
    assert {k: suite.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "7", "failures": "1", "errors": "0", "skipped": "4"}
    skipped = suite.find("testcase/skipped")
    assert skipped is not None
    assert skipped.get("message") == "MIN-01: unmet (no), score 0.0 (红线 red line); not a policy rule"
    assert skipped.text is not None and skipped.text.startswith("问题 / Question: 是否制定社保基金追缴办法？")


def test_no_policy_no_red_tests(tmp_path: Path, catalog: Catalog) -> None:
    """`ssdocs check` without a policy exits 0: its JUnit file has no failure and no error either."""
    (tmp_path / "2025.yaml").write_text(MIXED, encoding="utf-8")
    root = _parse(junit_xml(check([tmp_path / "2025.yaml"], catalog, Policy())))
    assert (root.get("failures"), root.get("errors")) == ("0", "0")
    assert root.find(".//failure") is None and root.find(".//error") is None


def test_outcomes_per_status_as_failures(tmp_path: Path, catalog: Catalog) -> None:
    (tmp_path / "2025.yaml").write_text(MIXED, encoding="utf-8")
    report = check([tmp_path / "2025.yaml"], catalog, Policy(fail_under=60, max_drop=5))
    root = _parse(junit_xml(report, "failures"))
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "混合县 2025 (mixed)"
    outcomes = {}
    for case in suite.findall("testcase"):
        kinds = [child.tag for child in case]
        outcomes[case.get("name", "").split()[0]] = (kinds[0] if kinds else "passed",
                                                    case[0].get("type") if kinds else None)
    assert outcomes == {
        "MIN-01": ("failure", "unmet"),
        "MIN-02": ("skipped", "na"),
        "MIN-03": ("error", "missing"),
        "MIN-04": ("skipped", "waived"),
        "MIN-05": ("passed", None),
        "fail-under": ("failure", "policy"),
        "max-drop": ("passed", None),
    }
    assert {k: suite.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "7", "failures": "2", "errors": "1", "skipped": "2"}
    assert {k: root.get(k) for k in ("tests", "failures", "errors")} == {"tests": "7", "failures": "2", "errors": "1"}
    first = suite.find("testcase")
    assert first is not None and first.get("classname") == "mixed.2025.mini.MIN-A"
    failure = first.find("failure")
    assert failure is not None
    assert failure.get("message") == "MIN-01: unmet (no), score 0.0 (红线 red line)"
    assert failure.text == ("问题 / Question: 是否制定社保基金追缴办法？ / Is there a recovery measure?\n"
                            "回答 / Answer: no\n"
                            "建议 / Recommendation: 制定追缴办法。 / Adopt a recovery measure.")
    policy_case = suite.findall("testcase")[-2]
    assert policy_case.find("failure").get("message") == "混合县 2025: score 0.0, fail under 60"  # type: ignore[union-attr]
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props == {"jurisdiction": "mixed", "year": "2025", "score": "0.0", "grade": "fail",
                     "completeness": "80.0", "checklists": "mini 1.0.0", "rescored": "false"}


def test_one_suite_per_jurisdiction_year(catalog: Catalog) -> None:
    report = check([DEMO], catalog, Policy(max_drop=5), all_years=True)
    root = _parse(junit_xml(report, "failures"))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["示例市 2023 (demo)", "示例市 2024 (demo)", "示例市 2025 (demo)"]
    assert [(s.get("tests"), s.get("failures")) for s in suites] == [("6", "5"), ("6", "0"), ("6", "3")]
    last = suites[-1].findall("testcase")[-1]
    assert (last.get("name"), last.find("failure").get("message")) == (  # type: ignore[union-attr]
        "max-drop", "示例市 2025: 100.0 -> 48.1 (-51.9), max drop 5")


def test_control_characters_cannot_break_the_xml(tmp_path: Path, catalog: Catalog) -> None:
    """The loader refuses control characters; the writer still never emits XML that cannot parse."""
    (tmp_path / "2025.yaml").write_text(MIXED, encoding="utf-8")
    report = check([tmp_path / "2025.yaml"], catalog, Policy())
    (year,) = report.years
    odd = replace(year.history, name=Text.model_construct(zh="混合\x0b县", en="Mixed"))
    root = _parse(junit_xml(replace(report, years=[replace(year, history=odd)])))
    assert root.find("testsuite").get("name") == "混合\ufffd县 2025 (mixed)"  # type: ignore[union-attr]


def test_schema_rejects_what_ci_servers_reject() -> None:
    """The schema itself can fail: a suite without counts is not valid."""
    with pytest.raises(lxml.etree.DocumentInvalid):
        SCHEMA.assertValid(lxml.etree.fromstring(b'<testsuites><testsuite name="x"/></testsuites>'))
