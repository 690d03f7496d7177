"""The report's SVG charts: geometry, escaping, reproducibility."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ssdocs.models.base import Text
from ssdocs.render.charts import Datum, bar_svg, fit, radar_svg, text_width

DATA = [
    Datum(Text(zh="追缴制度", en="Recovery rules"), 75.0, "good"),
    Datum(Text(zh="<信用>", en="Credit & trust"), None, None),
    Datum(Text(zh="信息平台", en="Platform"), 100.0, "excellent"),
]


def test_bar_chart_geometry_and_text() -> None:
    svg = str(bar_svg(DATA, "zh"))
    root = ET.fromstring(svg)  # well-formed XML, so inline in HTML and in WeasyPrint alike
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    widths = [r.get("width") for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    # plot width = 640 - 250 - 44 = 346 units: 75 % -> 259.5, unscored -> 0, 100 % -> 346
    assert widths == ["259.5", "0.0", "346.0"]
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "追缴制度" in texts and "<信用>" in texts and "—" in texts and "75.0" in texts
    assert "&lt;信用&gt;" in svg
    assert [t for t in texts if t in ("合格", "良好", "优秀")] == ["优秀", "良好", "合格"]
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_bar_labels_start_at_the_left_edge() -> None:
    """Start-anchored: WeasyPrint draws each `text-anchor` end or middle SVG text as a group of its
    own (to measure it first), which cost ~0.4 KB a label in the PDF, 29 labels in the demo."""
    root = ET.fromstring(str(bar_svg(DATA, "zh")))
    labels = [t for t in root.iter("{http://www.w3.org/2000/svg}text") if t.text in ("追缴制度", "<信用>", "信息平台")]
    assert len(labels) == 3
    assert all(t.get("x") == "0" and t.get("text-anchor") is None for t in labels)


def test_charts_are_reproducible() -> None:
    assert bar_svg(DATA, "en") == bar_svg(list(DATA), "en")
    assert radar_svg(DATA, "both") == radar_svg(list(DATA), "both")


def test_radar_points() -> None:
    svg = str(radar_svg(DATA, "en"))
    polygon = re.search(r'<polygon points="([^"]+)" fill="#d2dfea"', svg)
    assert polygon is not None
    # centre (320, 206), radius 130; axis 0 points up: 75 % -> y = 206 - 97.5
    assert polygon.group(1).split()[0] == "320.0,108.5"
    assert polygon.group(1).split()[1] == "320.0,206.0"  # unscored axis drawn at the centre
    assert "Credit &amp; trust" in svg


def test_fit_cuts_with_an_ellipsis() -> None:
    assert fit("短", 10, 100) == "短"
    cut = fit("社会保障基金安全规范与协同高效", 10, 60)
    assert cut.endswith("…") and text_width(cut, 10) <= 60
