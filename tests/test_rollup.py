"""ssdocs rollup: a generated province of 40 cities × 3 years, one invalid city and one missing
year -> the context's values, the PDF's text, the CSV bytes and the exit codes."""

from __future__ import annotations

import csv
import io
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import ssdocs
from conftest import REPO
from ssdocs.cli import cli
from ssdocs.context.rollup import Member, build_rollup_context
from ssdocs.loading.checklists import load_checklists
from ssdocs.models.base import Text

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
                    "change_basis,red_lines,completeness,insured,population").encode()
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


@pytest.mark.parametrize("run", ["cold", "warm"])  # warm: the members come from the cache
def test_examples_roll_up(tmp_path: Path, run: str) -> None:
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
    assert (county.insured, county.population, city.insured) == (286000, 512000, None)


# A prefecture: two cities under `prov` (not assessed), three counties each. Every county gives its
# insured persons and population, except county-b2 (population only).
TREE = {"city-a": ("city", "prov", 2_400_000), "city-b": ("city", "prov", 1_100_000),
        "county-a1": ("county", "city-a", 900_000), "county-a2": ("county", "city-a", 150_000),
        "county-a3": ("county", "city-a", 40_000), "county-b1": ("county", "city-b", 300_000),
        "county-b2": ("county", "city-b", None), "county-b3": ("county", "city-b", 80_000)}


def write_tree(root: Path, tree: dict[str, tuple[str, str, int | None]], seed: int = 7) -> Path:
    """`root/<code>/2025.yaml` for every jurisdiction of `tree` (code -> level, parent, insured)."""
    catalog = load_checklists()
    rng = random.Random(seed)
    base = synth.base_assessment(catalog, 2025)
    for i, (code, (level, parent, insured)) in enumerate(tree.items()):
        data = synth.variant(base, catalog, code, f"第{i}地", f"Place {i}", rng, share=0.6)
        block = {k: v for k, v in data["jurisdiction"].items() if k in ("code", "name")}
        block.update(level=level, parent=parent, population=2 * (insured or 500_000))
        if insured is not None:
            block["insured"] = insured
        data["jurisdiction"] = block
        (root / code).mkdir(parents=True, exist_ok=True)
        (root / code / "2025.yaml").write_text(synth.dump(data), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def prefecture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tree(tmp_path_factory.mktemp("prefecture"), TREE)


def _member(code: str, score: float | None, parent: str, insured: int | None) -> Member:
    return Member(code=code, name=Text(zh=code, en=code), level="county", parent=parent, folder=code, year=2025,
                  date="2026-03-01", score=score, grade=None, grade_label=None, completeness=100.0, red_lines=[],
                  checklists={}, statuses={}, sections={}, insured=insured)


def test_weighted_mean_and_its_fallback_without_files() -> None:
    members = [_member("a1", 50.0, "a", 100), _member("a2", 70.0, "a", 100), _member("a3", 90.0, "a", 800),
               _member("b1", 40.0, "b", 500), _member("b2", 60.0, "b", None), _member("b3", 95.0, "b", 10),
               _member("c1", None, "c", None), _member("c2", 66.0, "c", 1_000)]
    plain = {g.code: g for g in build_rollup_context(members, [], {}).parents}
    assert [(g.method, g.value, g.weighted) for g in plain.values()] == [
        ("median", 70.0, None), ("median", 60.0, None), ("median", 66.0, None)]
    assert plain["a"].method_label == Text(zh="不加权中位数", en="unweighted median")
    context = build_rollup_context(members, [], {}, weight="insured")
    a, b, c = context.parents
    assert (a.method, a.value, a.weighted, a.median, a.weight_total) == ("weighted-mean", 84.0, 84.0, 70.0, 1_000)
    assert a.method_label == Text(zh="参保人数加权平均", en="mean weighted by insured persons")
    # b2 has no figure: the whole parent falls back to the median of all three, never a mean of two
    assert (b.method, b.value, b.weighted, b.unweighted) == ("median", 60.0, None, ["b2"])
    assert b.method_label == Text(zh="不加权中位数（b2 未填参保人数）", en="unweighted median (b2: no insured persons)")
    # c1 has no score: it weighs nothing, and its missing figure is no reason to fall back
    assert (c.method, c.value, c.weight_total, c.unweighted) == ("weighted-mean", 66.0, 1_000, [])
    assert context.median == 66.0  # the province's median is never weighted


def test_rollup_weighted_by_insured(prefecture: Path, tmp_path: Path) -> None:
    from ssdocs.pipeline.rollup import rollup

    written = rollup(prefecture, tmp_path, year=2025, by_parent=True, weight="insured")
    context = written.context
    by_code = {m.code: m for m in context.members}
    assert by_code["county-a1"].insured == 900_000 and by_code["county-b2"].insured is None
    assert by_code["county-b2"].population == 1_000_000
    parents = {g.code: g for g in context.parents}
    assert set(parents) == {"city-a", "city-b", "prov"}
    kids = [by_code[c] for c in ("county-a1", "county-a2", "county-a3")]
    expected = sum(k.score * k.insured for k in kids) / sum(k.insured for k in kids)  # type: ignore[operator]
    assert parents["city-a"].weighted == round(expected, 1) and parents["city-a"].weight_total == 1_090_000
    assert parents["city-a"].own_score == by_code["city-a"].score
    assert parents["city-b"].method == "median" and parents["city-b"].unweighted == ["county-b2"]
    assert "city-b: unweighted median of its children (no insured figure for county-b2), not the weighted mean" \
        in written.notes
    rows = {r["parent"]: r for r in _csv(tmp_path / "rollup-2025-parents.csv")}
    assert rows["city-a"]["aggregation"] == "参保人数加权平均 / mean weighted by insured persons"
    assert rows["city-a"]["aggregate"] == f"{round(expected, 1):.1f}" == rows["city-a"]["weighted_mean"]
    assert (rows["city-a"]["weight"], rows["city-a"]["weight_total"]) == ("insured", "1090000")
    assert rows["city-b"]["aggregation"] == ("不加权中位数（county-b2 未填参保人数） / "
                                             "unweighted median (county-b2: no insured persons)")
    assert rows["city-b"]["weighted_mean"] == "" and rows["city-b"]["children_without_weight"] == "county-b2"
    league = {r["code"]: r for r in _csv(tmp_path / "rollup-2025-league.csv")}
    assert (league["county-a1"]["insured"], league["county-b2"]["insured"]) == ("900000", "")
    text = subprocess.run(["pdftotext", str(tmp_path / "rollup-2025.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout.replace("\n", "")
    for words in ("下级地区总分按参保人数加权平均", "改用不加权中位数的上级", "缺参保人数：county-b2"):
        assert words in text, words


def test_rollup_weighted_by_population_has_no_fallback(prefecture: Path, tmp_path: Path) -> None:
    from ssdocs.pipeline.rollup import rollup

    context = rollup(prefecture, tmp_path, fmt="html", weight="population").context
    assert [(g.code, g.method) for g in context.parents] == [
        ("city-a", "weighted-mean"), ("city-b", "weighted-mean"), ("prov", "weighted-mean")]
    html = (tmp_path / "rollup-latest.html").read_text(encoding="utf-8")
    assert "常住人口加权平均" in html and "改用不加权中位数的上级" not in html


def test_level_rolls_up_one_level_only(prefecture: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    counties = runner.invoke(cli, ["rollup", str(prefecture), "-o", str(tmp_path / "c"), "--level", "county",
                                   "--format", "html", "--lang", "both"])
    assert counties.exit_code == 0, counties.output
    assert "warning: --level county: 2 jurisdiction(s) of other levels left out of the roll-up" in counties.stderr
    league = _csv(tmp_path / "c" / "rollup-latest-league.csv")
    assert sorted(r["code"] for r in league) == sorted(c for c in TREE if c.startswith("county"))
    assert _csv(tmp_path / "c" / "rollup-latest-excluded.csv") == []  # left out by the filter is not invalid
    parents = {r["parent"]: r for r in _csv(tmp_path / "c" / "rollup-latest-parents.csv")}
    assert set(parents) == {"city-a", "city-b"} and parents["city-a"]["own_score"] != ""
    html = (tmp_path / "c" / "rollup-latest.html").read_text(encoding="utf-8")
    assert "仅汇总县级地区；其他层级的 2 个地区按层级筛选未纳入（不计为无效或缺失）。" in html
    cities = runner.invoke(cli, ["rollup", str(prefecture), "-o", str(tmp_path / "m"), "--level", "city",
                                 "--format", "html"])
    assert cities.exit_code == 0, cities.output
    assert [r["parent"] for r in _csv(tmp_path / "m" / "rollup-latest-parents.csv")] == ["prov"]
    none = runner.invoke(cli, ["rollup", str(prefecture), "-o", str(tmp_path / "p"), "--level", "province"])
    assert none.exit_code == 2
    assert ("no jurisdiction could be rolled up: none of level province (8 of other levels left out by "
            "--level)") in none.stderr
    assert not (tmp_path / "p").exists()
    bad = runner.invoke(cli, ["rollup", str(prefecture), "-o", str(tmp_path / "w"), "--weight", "people"])
    assert bad.exit_code == 2 and "'people' is not one of 'insured', 'population'" in bad.stderr


def test_level_leaves_out_invalid_jurisdictions_of_other_levels(prefecture: Path, tmp_path: Path) -> None:
    """An invalid file whose `jurisdiction:` block names another level is left out by the filter, not
    listed as invalid; one of the level asked for (or whose level cannot be read) is listed."""
    from ssdocs.pipeline.rollup import rollup

    tree = tmp_path / "tree"
    shutil.copytree(prefecture, tree)
    for code, level in (("county-c9", "county"), ("city-z", "city")):
        text = (tree / "county-a1" / "2025.yaml").read_text(encoding="utf-8").replace("county-a1", code)
        (tree / code).mkdir()
        (tree / code / "2025.yaml").write_text(text.replace("level: county", f"level: {level}")
                                               .replace("year: 2025", "year: 2025\nbogus: 1"), encoding="utf-8")
    (tree / "broken").mkdir()
    (tree / "broken" / "2025.yaml").write_text("jurisdiction: [unclosed\n", encoding="utf-8")
    counties = rollup(tree, tmp_path / "c", fmt="html", level="county").context
    assert [(e.folder, e.kind) for e in counties.excluded] == [("broken", "invalid"), ("county-c9", "invalid")]
    assert counties.left_out_by_level == 3 and len(counties.members) == 6
    cities = rollup(tree, tmp_path / "m", fmt="html", level="city").context
    assert [(e.folder, e.kind) for e in cities.excluded] == [("broken", "invalid"), ("city-z", "invalid")]
    assert cities.left_out_by_level == 7 and len(cities.members) == 2
