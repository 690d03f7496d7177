"""The report's section bar chart and area radar: geometry in Python, SVG from Jinja templates.

Text stays real text (the embedded CJK font in PDFs), no scripts or external references, and the
same scores always give the same bytes (coordinates are rounded to one decimal).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ssdocs.models.base import Text
from ssdocs.models.checklist import DEFAULT_GRADES, Grade
from ssdocs.render.environment import environment, plain

GRADE_COLOURS = {"excellent": "#2e7d4f", "good": "#2f6690", "pass": "#c98a14", "fail": "#b23a3a"}
NO_SCORE = "#9aa0a6"


@dataclass(frozen=True)
class Datum:
    """One labelled score (0–100, or None when nothing counted) with its grade id."""

    label: Text
    score: float | None
    grade: str | None = None
    key: str = ""


def n(value: float) -> str:
    """A coordinate with one decimal and no '-0.0', so the SVG bytes are stable."""
    out = f"{value:.1f}"
    return "0.0" if out == "-0.0" else out


def text_width(text: str, size: float) -> float:
    """Rough advance width: CJK, full-width and ambiguous characters one em, the rest ~0.55 em."""
    # Ambiguous-width characters (“”、…) are full width in the CJK fonts the charts use.
    return sum(size if unicodedata.east_asian_width(c) in "WFA" else 0.55 * size for c in text)


def fit(text: str, size: float, width: float) -> str:
    """`text`, cut with an ellipsis so that it fits in `width`."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def colour(grade: str | None, score: float | None) -> str:
    if score is None:
        return NO_SCORE
    return GRADE_COLOURS.get(grade or "", "#44546a")


def bar_svg(data: Sequence[Datum], lang: str, *, grades: Sequence[Grade] = DEFAULT_GRADES,
            width: float = 640) -> Markup:
    """Horizontal bars, one per section, with the grade thresholds as dashed lines."""
    label_w, right, top, row, size = 250.0, 44.0, 34.0, 22.0, 10.5
    plot_w = width - label_w - right
    bars = []
    for index, datum in enumerate(data):
        y = top + index * row
        value = datum.score or 0.0
        bars.append({
            "y": n(y + 4), "h": n(row - 8), "ty": n(y + row / 2 + size * 0.36),
            "label": fit(plain(datum.label, lang), size, label_w - 12),
            "w": n(plot_w * value / 100), "x": n(label_w),
            "vx": n(label_w + plot_w * value / 100 + 4),
            "value": "—" if datum.score is None else f"{datum.score:.1f}",
            "fill": colour(datum.grade, datum.score),
        })
    height = top + len(data) * row + 24
    ticks = [{"x": n(label_w + plot_w * t / 100), "t": str(t)} for t in (0, 20, 40, 60, 80, 100)]
    # Labels alternate between two lines so that neighbouring thresholds never overlap.
    thresholds = [{"x": n(label_w + plot_w * g.min / 100), "label": plain(g.label, lang),
                   "y": n(top - 8 - 10 * (k % 2))}
                  for k, g in enumerate(g for g in grades if 0 < g.min < 100)]
    return _render("report/charts/bar.svg.j2", width=n(width), height=n(height), bars=bars,
                   ticks=ticks, thresholds=thresholds, top=n(top - 4), bottom=n(height - 20),
                   axis_y=n(height - 8), label_w=n(label_w), size=size)


def radar_svg(data: Sequence[Datum], lang: str, *, width: float = 640, height: float = 400) -> Markup:
    """A radar (area profile) of three or more scores; unscored axes are drawn at 0 and marked."""
    cx, cy = width / 2, height / 2 + 6
    radius = min(width, height) / 2 - 70
    count = len(data)
    angle = [(-math.pi / 2 + 2 * math.pi * i / count) for i in range(count)]

    def point(i: int, r: float) -> tuple[float, float]:
        return cx + r * math.cos(angle[i]), cy + r * math.sin(angle[i])

    rings = []
    for level in (20, 40, 60, 80, 100):
        pts = " ".join(f"{n(x)},{n(y)}" for x, y in (point(i, radius * level / 100) for i in range(count)))
        rings.append({"points": pts, "label": str(level), "ly": n(cy - radius * level / 100 - 2)})
    axes, labels, dots = [], [], []
    for i, datum in enumerate(data):
        x, y = point(i, radius)
        axes.append({"x": n(x), "y": n(y)})
        lx, ly = point(i, radius + 16)
        cos = math.cos(angle[i])
        anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
        score = "—" if datum.score is None else f"{datum.score:.1f}"
        # The label (name and score) must stay inside the drawing on its side of the axis.
        room = {"start": width - lx, "end": lx, "middle": 2 * min(lx, width - lx)}[anchor] - 6
        name = fit(plain(datum.label, lang), 10, min(190.0, room - text_width(" " + score, 10)))
        labels.append({"x": n(lx), "y": n(ly + 4), "anchor": anchor, "name": name, "score": score})
        px, py = point(i, radius * (datum.score or 0) / 100)
        dots.append({"x": n(px), "y": n(py), "fill": colour(datum.grade, datum.score)})
    polygon = " ".join(f"{d['x']},{d['y']}" for d in dots)
    return _render("report/charts/radar.svg.j2", width=n(width), height=n(height), cx=n(cx), cy=n(cy),
                   rings=rings, axes=axes, labels=labels, dots=dots, polygon=polygon)


def _render(template: str, **context: object) -> Markup:
    return Markup(environment().get_template(template).render(**context).strip())


__all__ = ["Datum", "bar_svg", "fit", "radar_svg", "text_width"]
