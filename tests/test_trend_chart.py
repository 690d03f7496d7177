"""trend_svg: a standalone, escaped, reproducible SVG line chart."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ssdocs.history import Series
from ssdocs.models.base import Text
from ssdocs.render.trend_chart import _width, trend_svg

SVG = "{http://www.w3.org/2000/svg}"


def _series() -> list[Series]:
    return [
        Series("overall", Text(zh="总分", en="Overall"), ((2023, 61.5), (2024, 82.0), (2025, 74.5))),
        Series("recovery", Text(zh="追缴<&>", en="Recovery <&>"), ((2023, None), (2024, 70.0), (2025, 90.0))),
    ]


def test_is_well_formed_and_standalone() -> None:
    svg = trend_svg(_series(), "zh")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert "href" not in svg and "<script" not in svg and "url(" not in svg
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert texts[0] == "得分趋势"
    assert ["2023", "2024", "2025"] == [t for t in texts if len(t) == 4 and t.startswith("20")]
    assert {"优秀 ≥90", "良好 ≥75", "合格 ≥60"} <= set(texts)
    assert {"61.5", "82.0", "74.5"} <= set(texts)  # the first series carries value labels
    assert "追缴<&>" in texts  # escaped in the XML, plain text once parsed
    assert "追缴&lt;&amp;&gt;" in svg


def test_missing_points_break_the_line() -> None:
    root = ET.fromstring(trend_svg(_series(), "en"))
    groups = {g.get("data-key"): g for g in root.iter(f"{SVG}g") if g.get("data-key")}
    overall = groups["overall"].find(f"{SVG}polyline")
    recovery = groups["recovery"].findall(f"{SVG}polyline")
    assert overall is not None and len(overall.get("points", "").split()) == 3
    assert len(recovery) == 1 and len(recovery[0].get("points", "").split()) == 2


def test_is_byte_reproducible_and_language_specific() -> None:
    assert trend_svg(_series(), "en") == trend_svg(_series(), "en")
    assert "Score trend" in trend_svg(_series(), "en")
    assert "得分趋势 / Score trend" in trend_svg(_series(), "both")


def test_rescored_series_are_labelled() -> None:
    series = [Series("overall", Text(zh="总分", en="Overall"), ((2024, 50.0),), rescored=True)]
    assert "Overall (re-scored with the latest checklists)" in trend_svg(series, "en")


def test_no_scores() -> None:
    svg = trend_svg([], "en")
    ET.fromstring(svg)
    assert "No scores yet" in svg


def test_long_names_fall_back_to_one_column_and_wrap() -> None:
    long = Text(zh="制度建设：基金监督规则、包容共享发展与基金大厦监管范围", en="x" * 300)
    series = [Series("overall", Text(zh="总分", en="Overall"), ((2024, 50.0),)),
              Series("a", long, ((2024, 60.0),))]
    root = ET.fromstring(trend_svg(series, "zh"))
    legend = [g for g in root.iter(f"{SVG}g") if g.get("class") == "legend"][0]
    texts = [t for t in legend.iter(f"{SVG}text")]
    assert [t.get("x") for t in texts] == ["76.0", "76.0"]  # one column
    assert texts[1].text == long.zh  # fits the full width
    en = ET.fromstring(trend_svg(series, "en"))
    legend_en = [g for g in en.iter(f"{SVG}g") if g.get("class") == "legend"][0]
    lines = [t.text or "" for t in legend_en.iter(f"{SVG}text")][1:]
    assert "".join(lines) == "x" * 300 and len(lines) > 2  # wrapped, never cut
    assert "…" not in trend_svg(series, "en")


def test_grade_labels_fit_beside_the_plot() -> None:
    grades_both = trend_svg(_series(), "both")
    root = ET.fromstring(grades_both)
    width = float(root.get("width") or 0)
    for t in [t for g in root.iter(f"{SVG}g") if g.get("class") == "grades" for t in g.iter(f"{SVG}text")]:
        assert float(t.get("x") or 0) + _width(t.text or "", 10) <= width, t.text


def test_empty_title_draws_no_title() -> None:
    svg = trend_svg(_series(), "zh", title="")
    assert "<title>" not in svg and "得分趋势" not in svg


def test_no_transparency() -> None:
    """Reports are PDF/A: the chart draws nothing translucent."""
    assert "opacity" not in trend_svg(_series(), "zh")


def test_the_overall_value_goes_below_when_another_point_sits_above() -> None:
    close = [Series("overall", Text(zh="总分", en="Overall"), ((2024, 45.0), (2025, 83.1))),
             Series("a", Text(zh="甲", en="A"), ((2024, 60.0), (2025, 87.0)))]
    root = ET.fromstring(trend_svg(close, "en"))
    overall = [g for g in root.iter(f"{SVG}g") if g.get("data-key") == "overall"][0]
    values = {t.text: float(t.get("y") or 0) for t in overall.iter(f"{SVG}text")}
    circles = [float(c.get("cy") or 0) for c in overall.iter(f"{SVG}circle")]
    # 2024: nothing just above 45, the label sits above its point; 2025: 87 is just above, it goes below
    assert values["45.0"] < circles[0] and values["83.1"] > circles[1]
