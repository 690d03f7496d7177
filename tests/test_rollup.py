"""ssdocs rollup: a generated province of 40 cities × 3 years, one invalid city and one missing
year -> the context's values, the PDF's text, the CSV bytes and the exit codes."""

from __future__ import annotations

import csv
import io
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import ssdocs
from conftest import REPO
from ssdocs.cli import cli
from ssdocs.loading.checklists import load_checklists

sys.path.insert(0, str(REPO / "benchmarks"))
import synth  # noqa: E402

CITIES = 40


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`<root>/city-NN/<year>.yaml` for 40 cities × 2023-2025, then city-40 with an invalid latest
    year and city-41 assessed only in 2023-2024."""
    root = tmp_path_factory.mktemp("province")
    catalog = load_checklists()
    rng = random.Random(22)
    for year in synth.YEARS:
        base = synth.base_assessment(catalog, year)
        for i in range(CITIES + 2):
            if i == CITIES + 1 and year == 2025:
                continue
            data = synth.variant(base, catalog, f"city-{i:02d}", f"第{i}市", f"City {i}", rng)
            data["jurisdiction"]["level"] = "city"
            data["jurisdiction"]["parent"] = "province"
            text = synth.dump(data)
            if i == CITIES and year == 2025:
                text = text.replace("year: 2025", "year: 2025\nbogus: 1", 1)
            (root / f"city-{i:02d}").mkdir(exist_ok=True)
            (root / f"city-{i:02d}" / f"{year}.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def rolled(province: Path, tmp_path_factory: pytest.TempPathFactory) -> ssdocs.pipeline.rollup.RollupWritten:
    from ssdocs.pipeline.rollup import rollup

    return rollup(province, tmp_path_factory.mktemp("out"), year=2025, highlight="city-07")


def _csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data[3:].decode("utf-8"))))


def test_league_is_sorted_and_lists_every_valid_city(rolled: ssdocs.pipeline.rollup.RollupWritten) -> None:
    members = rolled.context.members
    assert len(members) == CITIES
    scores = [m.score for m in members]
    assert scores == sorted(scores, key=lambda s: -(s or 0.0))
    assert {m.code for m in members} == {f"city-{i:02d}" for i in range(CITIES)}
    assert all(m.year == 2025 and m.previous_year == 2024 and m.delta is not None for m in members)
    assert [p.year for p in rolled.context.trend] == [2023, 2024, 2025]
    assert [p.count for p in rolled.context.trend] == [CITIES] * 3


def test_invalid_and_missing_cities_are_listed_with_located_problems(
        rolled: ssdocs.pipeline.rollup.RollupWritten) -> None:
    excluded = {e.folder: e for e in rolled.context.excluded}
    assert set(excluded) == {"city-40", "city-41"}
    assert excluded["city-40"].kind == "invalid"
    assert "city-40/2025.yaml:" in excluded["city-40"].problems[0]
    assert "bogus" in excluded["city-40"].problems[0]
    assert excluded["city-41"].kind == "missing"
    assert excluded["city-41"].problems[0].endswith("no 2025.yaml (years present: 2023, 2024)")
    assert any(n.startswith("city-40: left out of the roll-up (invalid): ") for n in rolled.notes)


def test_action_list_counts_match_the_league(rolled: ssdocs.pipeline.rollup.RollupWritten) -> None:
    context = rolled.context
    for action in context.actions:
        if action.kind == "red-line":
            holders = [m.code for m in context.members if action.item in m.red_lines]
        else:
            holders = [m.code for m in context.members
                       if m.statuses.get(action.item) == "unmet" and action.item not in m.red_lines]
        assert action.count == len(holders) and action.jurisdictions == sorted(holders)
        assert action.recommendation.zh
    counts = [a.count for a in context.actions if a.kind == "unmet"]
    assert counts == sorted(counts, reverse=True) and counts[0] > 1


def test_heatmap_blocks_and_strips(rolled: ssdocs.pipeline.rollup.RollupWritten) -> None:
    blocks = rolled.context.blocks
    assert sorted({b.first for b in blocks}) == [1, 26]
    assert sum(len(b.columns) for b in blocks if b.checklist == blocks[0].checklist) == CITIES
    assert all(len(r.cells) == len(b.columns) for b in blocks for r in b.rows)
    strip = rolled.context.strips[0]
    assert len(strip.values) == CITIES
    mine = next(m for m in rolled.context.members if m.code == "city-07")
    assert strip.highlight == mine.sections[strip.key]
    parent = rolled.context.parents[0]
    assert parent.code == "province" and len(parent.children) == CITIES
    assert parent.median == rolled.context.median


def test_csv_files_bytes(rolled: ssdocs.pipeline.rollup.RollupWritten) -> None:
    league = next(p for p in rolled if p.name == "rollup-2025-league.csv")
    head = league.read_bytes().split(b"\r\n", 1)[0]
    assert head == ("\ufeffrank,code,name_zh,name_en,level,parent,year,score,grade,previous_year,change,"
                    "change_basis,red_lines,completeness").encode()
    rows = _csv(league)
    assert [r["code"] for r in rows] == [m.code for m in rolled.context.members]
    excluded = _csv(next(p for p in rolled if p.name == "rollup-2025-excluded.csv"))
    assert [r["folder"] for r in excluded] == ["city-40", "city-41"]
    heat = _csv(next(p for p in rolled if p.name == "rollup-2025-heatmap.csv"))
    assert {r["status"] for r in heat} <= {"met", "partial", "unmet", "na", "waived", "context", "missing", ""}
    assert len({r["code"] for r in heat}) == CITIES


def test_pdf_text(rolled: ssdocs.pipeline.rollup.RollupWritten) -> None:
    pdf = rolled[0]
    assert pdf.name == "rollup-2025.pdf" and pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for words in ("社会保障基金安全规范汇总报告", "排名表", "状态图", "各章节得分分布", "全省整改清单", "全省趋势",
                  "未纳入汇总的地区", "city-40", "city-41", "缺少该年度", "不加权中位数"):
        assert words in text, words
    top = rolled.context.members[0]
    assert f"{top.score:.1f}" in text


def test_workers_give_the_same_members(province: Path) -> None:
    from ssdocs.pipeline.rollup import load_members

    catalog = load_checklists()
    one = load_members(province, catalog, workers=1)
    two = load_members(province, catalog, workers=2)
    assert one == two
    members, excluded = one
    assert len(members) == CITIES + 1  # city-41's latest is 2024
    assert [(e.folder, e.kind) for e in excluded] == [("city-40", "invalid")]


def test_workers_give_the_same_members_for_a_year(province: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ssdocs.pipeline.rollup import load_members

    monkeypatch.setenv("SSDOCS_NO_CACHE", "1")  # every jurisdiction loaded, by the workers with -j 2
    catalog = load_checklists()
    one = load_members(province, catalog, 2024, workers=1)
    two = load_members(province, catalog, 2024, workers=2)
    assert one == two
    members, excluded = one
    # 2024 of every city, not its latest year: city-40 (whose 2025 is invalid) is in, city-41 too
    assert len(members) == CITIES + 2 and {m.year for m in members} == {2024}
    assert {m.previous_year for m in members} == {2023} and excluded == []
    assert all(sorted(m.years) == [2023, 2024] for m in members)
    assert load_members(province, catalog, 2023, workers=2)[1] == []


def test_cli_exit_codes(province: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli, ["rollup", str(province), "-o", str(tmp_path / "a"), "--format", "html",
                             "--lang", "both"])
    assert ok.exit_code == 0, ok.output
    assert "warning: city-40: left out of the roll-up (invalid)" in ok.stderr
    html = (tmp_path / "a" / "rollup-latest.html").read_text(encoding="utf-8")
    assert 'data-sort="num"' in html and "http" not in html.split("<script>")[1]
    # the default is each city's latest valid year: city-41 is in (2024), city-40 is not
    assert "city-41" in (tmp_path / "a" / "rollup-latest-league.csv").read_text(encoding="utf-8-sig")
    bad = runner.invoke(cli, ["rollup", str(province), "-o", str(tmp_path / "b"), "--highlight", "nowhere"])
    assert bad.exit_code == 2
    assert "--highlight: expected one of the jurisdictions rolled up, got 'nowhere'" in bad.stderr
    assert not (tmp_path / "b").exists()
    none = runner.invoke(cli, ["rollup", str(province / "city-40"), "-o", str(tmp_path / "c")])
    assert none.exit_code == 2
    assert "no jurisdiction could be rolled up" in none.stderr


@pytest.mark.parametrize("run", ["cold", "warm"])  # warm: the years come from the cache, and only the
def test_examples_roll_up(tmp_path: Path, run: str) -> None:  # jurisdiction block is read again
    written = ssdocs.rollup(REPO / "examples" / "assessments", tmp_path, fmt="html", highlight="example-county")
    context = written.context
    assert [m.code for m in context.members] == ["example-city", "example-county"]
    city, county = context.members
    assert (city.level, city.parent) == ("city", None)
    assert county.level == "county" and county.parent == "example-city" and county.red_lines
    assert context.parents[0].code == "example-city" and context.parents[0].children == ["example-county"]
    # 2024 answers 1.0.0 and 2025 2.0.0: the change is on comparable items (as `ssdocs trend` gives it),
    # not the difference of the published scores.
    assert (county.previous_year, county.basis, county.delta) == (2024, "comparable-items", 25.7)
    assert county.delta != round(county.years[2025] - county.years[2024], 1)  # type: ignore[operator]


def test_jurisdiction_block_is_validated() -> None:
    from ssdocs.pipeline.rollup import _jurisdiction_block

    found = _jurisdiction_block("# c\njurisdiction:\n  code: a-1\n  name: {zh: 甲, en: A}\n  level: county\n"
                                "  parent: b\nyear: 2025\n")
    assert found is not None and (found.code, found.level, found.parent) == ("a-1", "county", "b")
    assert _jurisdiction_block("jurisdiction:\n  code: a\n  name: {zh: 甲, en: A}\n  level: town\n") is None
    assert _jurisdiction_block("jurisdiction: &j {code: a, name: {zh: 甲, en: A}, level: city}\n") is None
    assert _jurisdiction_block("year: 2025\n") is None
