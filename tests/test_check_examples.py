"""trend and check on the shipped example assessments (示例市, 示例县) with the shipped policy."""

from __future__ import annotations

import json
from pathlib import Path

import click.testing
import lxml.etree
from click.testing import CliRunner

from ssdocs.api import score
from ssdocs.cli import (
    cli,
    commands,  # noqa: F401  (registers every command)
)

REPO = Path(__file__).parent.parent
EXAMPLES = REPO / "examples" / "assessments"
POLICY = REPO / "examples" / "ci" / "ssdocs.toml"
SCHEMA = lxml.etree.XMLSchema(lxml.etree.parse(str(Path(__file__).parent / "fixtures" / "junit" / "junit.xsd")))


def invoke(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_trend_of_the_examples_matches_the_scores() -> None:
    result = invoke("trend", str(EXAMPLES), "--json", "-")
    assert result.exit_code == 0
    data = json.loads(result.output)
    codes = [j["code"] for j in data["jurisdictions"]]
    assert codes == sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir())
    city = data["jurisdictions"][codes.index("example-city")]
    assert [y["year"] for y in city["years"]] == [2023, 2024, 2025]
    scores = [score(EXAMPLES / "example-city" / f"{y}.yaml").score for y in (2023, 2024, 2025)]
    assert [y["score"] for y in city["years"]] == scores
    # 2023 -> 2024: both on checklists 1.0.0, the delta is the difference of the published scores.
    before, after = scores[0], scores[1]
    assert before is not None and after is not None
    change = city["years"][1]["change"]
    assert (change["previous_year"], change["overall"]["basis"]) == (2023, "same")
    assert change["overall"]["delta"] == round(after - before, 1)
    # 2024 (1.0.0) -> 2025 (2.0.0): both years re-computed on the comparable items only, so the delta is not
    # the difference of the published scores (69.1 -> 80.5) but of the comparable-item ones.
    change = city["years"][2]["change"]["overall"]
    assert (city["years"][2]["change"]["previous_year"], change["basis"]) == (2024, "comparable-items")
    assert (change["previous"], change["current"], change["delta"]) == (71.3, 82.9, 11.6)
    assert change["delta"] != round((scores[2] or 0.0) - (scores[1] or 0.0), 1)


def test_check_of_the_examples_with_the_shipped_policy(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    result = invoke("check", str(EXAMPLES), "--config", str(POLICY), "--json", str(tmp_path / "c.json"),
                    "--junit", str(junit))
    data = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert result.exit_code == (0 if data["passed"] else 1)
    lines = result.output.splitlines()
    for year in data["years"]:
        latest = max(int(p.stem) for p in (EXAMPLES / year["jurisdiction"]).glob("*.yaml"))
        assert year["year"] == latest  # a folder gates each jurisdiction's latest year
        expected = score(EXAMPLES / year["jurisdiction"] / f"{latest}.yaml").score
        assert year["result"]["score"] == expected
        verdict = "PASS" if year["passed"] else "FAIL"
        assert any(line.startswith(f"{verdict} {year['name']['zh']} {latest}: {expected:.1f} ") for line in lines)
        for failure in year["failures"]:
            assert failure["message"] in lines
            assert failure["message"].startswith(f"{year['name']['zh']} {latest}: ")
    SCHEMA.assertValid(lxml.etree.parse(str(junit)))
    root = lxml.etree.parse(str(junit)).getroot()
    assert len(root.findall("testsuite")) == len(data["years"])
    assert int(root.get("failures")) >= len(data["failures"])
