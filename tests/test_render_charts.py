"""The report's SVG charts: geometry, escaping, reproducibility."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ssdocs.models.base import Text
from ssdocs.render.charts import Datum, bar_svg, radar_svg, text_width, wrap

DATA = [
    Datum(Text(zh="追缴制度", en="Recovery rules"), 75.0, "good"),
    Datum(Text(zh="<信用>", en="Credit & trust"), None, None),
    Datum(Text(zh="信息平台", en="Platform"), 100.0, "excellent"),
]


def test_bar_chart_geometry_and_text() -> None:
    svg = str(bar_svg(DATA, "zh"))
    root = ET.fromstring(svg)  # well-formed XML, so inline in HTML and in WeasyPrint alike
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    widths = [r.get("width") for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("fill") != "#fff"]
    # plot width = 640 - 262 - 40 = 338 units: 75 % -> 253.5, unscored -> 0, 100 % -> 338
    assert widths == ["253.5", "0.0", "338.0"]
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
    # centre (320, 220), radius 140; axis 0 points up: 75 % -> y = 220 - 105
    assert polygon.group(1).split()[0] == "320.0,115.0"
    assert polygon.group(1).split()[1] == "320.0,220.0"  # unscored axis drawn at the centre
    assert "Credit &amp; trust" in svg


def test_wrap_never_cuts() -> None:
    assert wrap("短", 10, 100) == ["短"]
    lines = wrap("社会保障基金安全规范与协同高效", 10, 60)
    assert "".join(lines) == "社会保障基金安全规范与协同高效"
    assert all(text_width(line, 10) <= 60 for line in lines)
    assert wrap("Fund-supervision system: four-in-one, four defences", 10, 150) == [
        "Fund-supervision system:", "four-in-one, four defences"]
    # closing punctuation stays with the character before it (even a closing quote at the very end)
    assert wrap("三定方案与基金监管“第一责任人”", 10, 150) == ["三定方案与基金监管“第一责任人”"]
    assert not any(line.startswith(("、", "，", "”")) for line in wrap("四位一体、四防协同与全链条监管", 10, 50))


LONG = [Datum(Text(zh="基金监管体系：四位一体、四防协同与全链条监管", en="Fund-supervision system: four-in-one, "
                   "four defences and whole-chain supervision"), 61.2, "pass"),
        Datum(Text(zh="制度建设：基金监督规则、包容共享发展与基金大厦监管范围", en="Institution-building: "
                   "fund-supervision rules, inclusion, sharing, development, and the scope of the fund building"),
              87.2, "good"),
        Datum(Text(zh="三定方案与基金监管“第一责任人”", en="Three-definitions plans and the first responsible "
                   "person"), 70.5, "pass")]


def _words(svg: str) -> str:
    root = ET.fromstring(svg)
    return " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))


def test_long_labels_keep_every_word_in_every_language() -> None:
    for lang in ("zh", "en", "both"):
        for svg in (str(bar_svg(LONG, lang)), str(radar_svg(LONG, lang))):
            assert "…" not in svg
            text = _words(svg).replace(" ", "")
            for datum in LONG:
                if lang != "en":
                    assert datum.label.zh in text, (lang, datum.label.zh)
                if lang != "zh":
                    assert datum.label.en.replace(" ", "") in text, (lang, datum.label.en)


def test_bar_values_sit_on_a_plate_over_threshold_lines() -> None:
    root = ET.fromstring(str(bar_svg([Datum(Text(zh="甲", en="A"), 72.0, "pass")], "zh")))
    rects = list(root.iter("{http://www.w3.org/2000/svg}rect"))
    plate = next(r for r in rects if r.get("fill") == "#fff")
    value = next(t for t in root.iter("{http://www.w3.org/2000/svg}text") if t.text == "72.0")
    # the plate is drawn after the threshold lines and covers the value's box
    assert float(plate.get("x") or 0) <= float(value.get("x") or 0)
    assert float(plate.get("width") or 0) >= text_width("72.0", 10)
