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


CLOSING = frozenset("，。、；：！？）》」』”’,.;:!?)")


def wrap(text: str, size: float, width: float) -> list[str]:
    """`text` broken into lines no wider than `width`: between words in Latin text, between any two
    characters in Chinese; a single word wider than a line is split. Nothing is ever cut off."""
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        candidate = line + token
        # Closing punctuation never starts a line (it may overhang the width by one character).
        fresh = not line
        if fresh or text_width(candidate, size) <= width or token in CLOSING:
            line = candidate
        else:
            lines.append(line.rstrip())
            line = token.lstrip()
            fresh = True
        while fresh and text_width(line, size) > width and len(line) > 1:  # one over-long word
            cut = len(line) - 1
            while cut > 1 and text_width(line[:cut], size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _tokens(text: str) -> list[str]:
    """Words with their following space, and each wide (CJK) character on its own."""
    tokens: list[str] = []
    word = ""
    for char in text:
        if unicodedata.east_asian_width(char) in "WF":
            if word:
                tokens.append(word)
                word = ""
            tokens.append(char)
        elif char == " ":
            tokens.append(word + " ")
            word = ""
        else:
            word += char
    if word:
        tokens.append(word)
    return tokens


@dataclass(frozen=True)
class Line:
    """One line of a wrapped label: its text, size and whether it is the secondary (English) language."""

    text: str
    size: float
    secondary: bool = False


def label_lines(label: Text, lang: str, size: float, width: float) -> list[Line]:
    """A label wrapped to `width`; with `both` the Chinese lines, then the English ones a little smaller."""
    if lang != "both" or not label.en or label.en == label.zh:
        return [Line(t, size) for t in wrap(plain(label, lang), size, width)]
    small = size - 1.5
    return ([Line(t, size) for t in wrap(label.zh, size, width)]
            + [Line(t, small, True) for t in wrap(label.en, small, width)])


def colour(grade: str | None, score: float | None) -> str:
    if score is None:
        return NO_SCORE
    return GRADE_COLOURS.get(grade or "", "#44546a")


def bar_svg(data: Sequence[Datum], lang: str, *, grades: Sequence[Grade] = DEFAULT_GRADES,
            width: float = 640) -> Markup:
    """Horizontal bars, one per section, with the grade thresholds as dashed lines.

    Labels wrap (never cut); a row is as tall as its label. Each value sits on a white plate so that
    no threshold line runs through it.
    """
    # Bilingual labels get more room (and a tighter leading) so that two languages mostly take two
    # lines and twenty-odd sections still fit one A4 page.
    label_w, leading = (330.0, 10.5) if lang == "both" else (262.0, 11.5)
    right, top, size = 40.0, 34.0, 10.0
    plot_w = width - label_w - right
    bars = []
    y = top
    for datum in data:
        lines = label_lines(datum.label, lang, size, label_w - 12)
        row = max(22.0, len(lines) * leading + 6)
        first = y + row / 2 - (len(lines) - 1) * leading / 2 + size * 0.36
        value = datum.score or 0.0
        text = "—" if datum.score is None else f"{datum.score:.1f}"
        vx = label_w + plot_w * value / 100 + 3
        bars.append({
            "y": n(y + row / 2 - 7), "h": n(14), "ty": n(y + row / 2 + size * 0.36),
            "lines": [{"y": n(first + k * leading), "text": line.text, "size": f"{line.size:g}",
                       "fill": "#5f6b7a" if line.secondary else "#1d2733"} for k, line in enumerate(lines)],
            "w": n(plot_w * value / 100), "x": n(label_w),
            "vx": n(vx + 1.5), "px": n(vx), "pw": n(text_width(text, size) + 3),
            "py": n(y + row / 2 - 6.5), "value": text,
            "fill": colour(datum.grade, datum.score),
        })
        y += row
    height = y + 24
    ticks = [{"x": n(label_w + plot_w * t / 100), "t": str(t)} for t in (0, 20, 40, 60, 80, 100)]
    # Labels alternate between two lines so that neighbouring thresholds never overlap.
    thresholds = [{"x": n(label_w + plot_w * g.min / 100), "label": plain(g.label, lang),
                   "y": n(top - 8 - 10 * (k % 2))}
                  for k, g in enumerate(g for g in grades if 0 < g.min < 100)]
    return _render("report/charts/bar.svg.j2", width=n(width), height=n(height), bars=bars,
                   ticks=ticks, thresholds=thresholds, top=n(top - 4), bottom=n(height - 20),
                   axis_y=n(height - 8), label_w=n(label_w), size=f"{size:g}")


def radar_svg(data: Sequence[Datum], lang: str, *, width: float = 640, height: float = 440) -> Markup:
    """A radar (area profile) of three or more scores; unscored axes are drawn at 0 and marked.

    Each axis label wraps to at most 150 units (never cut) and is placed away from the drawing:
    above the top axis, below the bottom one, beside the others.
    """
    cx, cy = width / 2, height / 2
    radius = min(width, height) / 2 - 80
    count = len(data)
    angle = [(-math.pi / 2 + 2 * math.pi * i / count) for i in range(count)]

    def point(i: int, r: float) -> tuple[float, float]:
        return cx + r * math.cos(angle[i]), cy + r * math.sin(angle[i])

    rings = []
    for level in (20, 40, 60, 80, 100):
        pts = " ".join(f"{n(x)},{n(y)}" for x, y in (point(i, radius * level / 100) for i in range(count)))
        rings.append({"points": pts, "label": str(level), "ly": n(cy - radius * level / 100 - 2)})
    axes, labels, dots = [], [], []
    leading = 11.5
    for i, datum in enumerate(data):
        x, y = point(i, radius)
        axes.append({"x": n(x), "y": n(y)})
        lx, ly = point(i, radius + 12)
        cos, sin = math.cos(angle[i]), math.sin(angle[i])
        anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
        score = "—" if datum.score is None else f"{datum.score:.1f}"
        room = {"start": width - lx, "end": lx, "middle": 2 * min(lx, width - lx)}[anchor] - 4
        lines = label_lines(datum.label, lang, 10, min(150.0, room))
        block = (len(lines) + 1) * leading  # the name's lines, then the score in bold
        if sin < -0.5:
            first = ly - block + leading * 0.8
        elif sin > 0.5:
            first = ly + leading * 0.9
        else:
            first = ly - block / 2 + leading * 0.8
        rows = [{"y": n(first + k * leading), "text": line.text, "size": f"{line.size:g}",
                 "fill": "#5f6b7a" if line.secondary else "#1d2733"} for k, line in enumerate(lines)]
        labels.append({"x": n(lx), "anchor": anchor, "lines": rows, "score": score,
                       "sy": n(first + len(lines) * leading)})
        px, py = point(i, radius * (datum.score or 0) / 100)
        dots.append({"x": n(px), "y": n(py), "fill": colour(datum.grade, datum.score)})
    polygon = " ".join(f"{d['x']},{d['y']}" for d in dots)
    return _render("report/charts/radar.svg.j2", width=n(width), height=n(height), cx=n(cx), cy=n(cy),
                   rings=rings, axes=axes, labels=labels, dots=dots, polygon=polygon)


def _render(template: str, **context: object) -> Markup:
    return Markup(environment().get_template(template).render(**context).strip())


__all__ = ["Datum", "Line", "bar_svg", "label_lines", "radar_svg", "text_width", "wrap"]
