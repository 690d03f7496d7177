"""The trend chart: score series over the years as a standalone, byte-reproducible inline SVG."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from ssdocs.history.series import Series
from ssdocs.models.base import Text
from ssdocs.models.checklist import DEFAULT_GRADES, Grade
from ssdocs.render.charts import wrap
from ssdocs.render.fontsubset import CJK_STACK

__all__ = ["Series", "trend_svg"]

FONT = f"{CJK_STACK}, sans-serif"
# Colour for screens, dash pattern and marker shape so lines stay apart on a grey-scale printer.
# Nine styles: the overall score and the eight shipped checklists of 2.0.0 each get their own.
STYLES: tuple[tuple[str, str, str], ...] = (
    ("#1f3a5f", "", "circle"),
    ("#c0392b", "6 3", "square"),
    ("#2e8b57", "2 3", "triangle"),
    ("#b7791f", "8 3 2 3", "diamond"),
    ("#6b46c1", "4 2", "circle-open"),
    ("#0b7285", "1 2", "square-open"),
    ("#7f4f24", "10 4", "triangle-open"),
    ("#ad1457", "3 2 1 2", "diamond-open"),
    ("#4a5568", "12 2 2 2", "square"),
)
TITLE = Text(zh="得分趋势", en="Score trend")
NO_DATA = Text(zh="暂无得分", en="No scores yet")


def trend_svg(
    series: Sequence[Series],
    lang: str,
    *,
    grades: Sequence[Grade] = DEFAULT_GRADES,
    title: str | None = None,
    width: int = 640,
) -> str:
    """A line chart of `series` (years on x, 0-100 on y, grade thresholds as dashed lines).

    Self-contained: no scripts, no external references, text kept as text; the same input always
    gives the same bytes. The first series is drawn boldest and labelled with its values.
    """
    chart = _Chart(series, lang, grades, width)
    return chart.render(title if title is not None else _text(TITLE, lang))


def _text(text: Text, lang: str) -> str:
    return f"{text.zh} / {text.en}" if lang == "both" else text.get(lang)


def _n(value: float) -> str:
    """Coordinates with one decimal and no '-0.0', so output is stable across platforms."""
    out = f"{value:.1f}"
    return "0.0" if out == "-0.0" else out


class _Chart:
    LEFT, TOP, PLOT_H = 44.0, 34.0, 200.0
    LEGEND_ROW = 18.0
    LEGEND_LINE = 13.0  # between the wrapped lines of one legend entry
    LEGEND_TEXT = 32.0  # from a legend entry's left edge to its text

    def __init__(self, series: Sequence[Series], lang: str, grades: Sequence[Grade], width: int) -> None:
        self.series = list(series)
        self.lang = lang
        self.grades = list(grades)
        self.width = float(width)
        years = sorted({year for s in self.series for year, _ in s.points})
        self.years = years
        # The grade labels sit right of the plot: it leaves them the room the widest one needs.
        self.right = 12 + max((_width(self._grade_label(g), 10) for g in self.grades if g.min > 0), default=0)
        self.plot_w = self.width - self.LEFT - self.right
        self.names = [_text(s.label(lang), lang) for s in self.series]
        # Two legend columns when every name fits half the width, else one whose names wrap (never cut).
        half = (self.width - self.LEFT) / 2 - self.LEGEND_TEXT - 8
        self.legend_cols = 2 if len(self.series) > 1 and all(_width(n) <= half for n in self.names) else 1
        col_w = (self.width - self.LEFT) / self.legend_cols
        self.legend_lines = [_wrap(name, col_w - self.LEGEND_TEXT - 8) for name in self.names]
        rows = [max(len(lines) for lines in self.legend_lines[k:k + self.legend_cols])
                for k in range(0, len(self.series), self.legend_cols)]
        self.legend_rows = rows
        legend_h = sum(self.LEGEND_ROW + (r - 1) * self.LEGEND_LINE for r in rows)
        self.height = self.TOP + self.PLOT_H + 30 + legend_h + 6

    def x(self, year: int) -> float:
        if len(self.years) < 2:
            return self.LEFT + self.plot_w / 2
        span = self.years[-1] - self.years[0]
        pad = 24.0
        return self.LEFT + pad + (year - self.years[0]) / span * (self.plot_w - 2 * pad)

    def y(self, score: float) -> float:
        return self.TOP + self.PLOT_H * (1 - max(0.0, min(100.0, score)) / 100)

    def render(self, title: str) -> str:
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" role="img" '
            f'viewBox="0 0 {_n(self.width)} {_n(self.height)}" width="{_n(self.width)}" '
            f'height="{_n(self.height)}" font-family={quoteattr(FONT)} font-size="11">',
        ]
        if title:
            out.append(f"<title>{escape(title)}</title>")
            out.append(f'<text x="{_n(self.LEFT)}" y="18" font-size="13" font-weight="bold" fill="#111">'
                       f"{escape(title)}</text>")
        out += self._axes()
        out += self._grade_lines()
        if not any(score is not None for s in self.series for _, score in s.points):
            out.append(f'<text x="{_n(self.LEFT + self.plot_w / 2)}" y="{_n(self.y(50))}" '
                       f'text-anchor="middle" fill="#555">{escape(_text(NO_DATA, self.lang))}</text>')
        for index in reversed(range(len(self.series))):  # the first series is drawn on top
            out += self._line(index)
        out += self._legend()
        out.append("</svg>")
        return "\n".join(out) + "\n"

    def _axes(self) -> list[str]:
        left, right = self.LEFT, self.LEFT + self.plot_w
        out = ['<g class="axes" stroke="#d0d0d0" stroke-width="0.6">']
        for tick in range(0, 101, 20):
            out.append(f'<line x1="{_n(left)}" y1="{_n(self.y(tick))}" x2="{_n(right)}" y2="{_n(self.y(tick))}"/>')
        out.append("</g>")
        out.append(f'<line x1="{_n(left)}" y1="{_n(self.y(0))}" x2="{_n(right)}" y2="{_n(self.y(0))}" '
                   'stroke="#333" stroke-width="1"/>')
        out.append(f'<line x1="{_n(left)}" y1="{_n(self.y(0))}" x2="{_n(left)}" y2="{_n(self.y(100))}" '
                   'stroke="#333" stroke-width="1"/>')
        out.append('<g class="y-labels" text-anchor="end" fill="#333">')
        for tick in range(0, 101, 20):
            out.append(f'<text x="{_n(left - 6)}" y="{_n(self.y(tick) + 4)}">{tick}</text>')
        out.append("</g>")
        out.append('<g class="x-labels" text-anchor="middle" fill="#333">')
        for year in self.years:
            x = self.x(year)
            out.append(f'<line x1="{_n(x)}" y1="{_n(self.y(0))}" x2="{_n(x)}" y2="{_n(self.y(0) + 4)}" '
                       'stroke="#333"/>')
            out.append(f'<text x="{_n(x)}" y="{_n(self.y(0) + 17)}">{year}</text>')
        out.append("</g>")
        return out

    def _grade_lines(self) -> list[str]:
        left, right = self.LEFT, self.LEFT + self.plot_w
        out = ['<g class="grades" font-size="10" fill="#555">']
        for grade in self.grades:
            if grade.min <= 0:
                continue
            y = self.y(grade.min)
            out.append(f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(right)}" y2="{_n(y)}" stroke="#888" '
                       'stroke-width="0.8" stroke-dasharray="5 3"/>')
            label = self._grade_label(grade)
            out.append(f'<text x="{_n(right + 6)}" y="{_n(y + 3.5)}">{escape(label)}</text>')
        out.append("</g>")
        return out

    def _grade_label(self, grade: Grade) -> str:
        return f"{_text(grade.label, self.lang)} ≥{grade.min:g}"

    def _crowded_above(self, year: int, score: float) -> bool:
        """True when another series' point, a grade line or the top edge sits where the value label
        would go above the point (then the label goes below it)."""
        y = self.y(score)
        others = [self.y(v) for s in self.series[1:] for yr, v in s.points if yr == year and v is not None]
        lines = [self.y(g.min) for g in self.grades if g.min > 0]
        return (y - 22 < self.TOP or any(y - 22 <= o <= y - 2 for o in others)
                or any(y - 20 <= line <= y - 5 for line in lines))

    def _line(self, index: int) -> list[str]:
        series = self.series[index]
        colour, dash, marker = STYLES[index % len(STYLES)]
        width = "2.4" if index == 0 else "1.4"
        out = [f'<g class="series" data-key={quoteattr(series.key)}>']
        segment: list[str] = []
        segments: list[list[str]] = []
        for year, score in series.points:
            if score is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{_n(self.x(year))},{_n(self.y(score))}")
        if segment:
            segments.append(segment)
        for points in segments:
            if len(points) > 1:
                dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                out.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
                           f'stroke-width="{width}" stroke-linejoin="round"{dash_attr}/>')
        for year, score in series.points:
            if score is None:
                continue
            out.append(_marker(marker, self.x(year), self.y(score), colour))
            if index == 0:
                label = f"{score:.1f}"
                w = _width(label, bold=True) + 4
                below = self._crowded_above(year, score) and self.y(score) + 22 < self.y(0)
                x, y = self.x(year), self.y(score) + (18 if below else -8)
                # A white plate under the value keeps it legible over the other lines.
                out.append(f'<rect x="{_n(x - w / 2)}" y="{_n(y - 10)}" width="{_n(w)}" height="13" rx="2" '
                           'fill="#fff"/>')
                out.append(f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="middle" '
                           f'font-weight="bold" fill="{colour}">{label}</text>')
        out.append("</g>")
        return out

    def _legend(self) -> list[str]:
        top = self.TOP + self.PLOT_H + 30
        col_w = (self.width - self.LEFT) / self.legend_cols
        row_tops = [top]
        for lines in self.legend_rows:
            row_tops.append(row_tops[-1] + self.LEGEND_ROW + (lines - 1) * self.LEGEND_LINE)
        out = ['<g class="legend" fill="#111">']
        for index, series in enumerate(self.series):
            colour, dash, marker = STYLES[index % len(STYLES)]
            row, col = divmod(index, self.legend_cols)
            x = self.LEFT + col * col_w
            y = row_tops[row]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<line x1="{_n(x)}" y1="{_n(y)}" x2="{_n(x + 26)}" y2="{_n(y)}" stroke="{colour}" '
                       f'stroke-width="{"2.4" if index == 0 else "1.4"}"{dash_attr}/>')
            out.append(_marker(marker, x + 13, y, colour))
            for k, line in enumerate(self.legend_lines[index]):
                out.append(f'<text x="{_n(x + self.LEGEND_TEXT)}" y="{_n(y + 4 + k * self.LEGEND_LINE)}">'
                           f"{escape(line)}</text>")
        out.append("</g>")
        return out


def _width(text: str, size: float = 11.0, bold: bool = False) -> float:
    """Estimated rendered width: CJK and full-width characters 1 em, others about 0.56 em."""
    ems = sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.56 for ch in text)
    return ems * size * (1.06 if bold else 1.0)


def _wrap(text: str, width: float) -> list[str]:
    """`text` wrapped to `width` at the legend's 11-unit size (the report charts' rule: never cut)."""
    return wrap(text, 11.0 * 1.02, width)


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    fill = "#fff" if shape.endswith("-open") else colour
    stroke = f'fill="{fill}" stroke="{colour}" stroke-width="1.2"'
    base = shape.removesuffix("-open")
    if base == "square":
        return f'<rect x="{_n(x - 3.2)}" y="{_n(y - 3.2)}" width="6.4" height="6.4" {stroke}/>'
    if base == "triangle":
        return (f'<polygon points="{_n(x)},{_n(y - 4.2)} {_n(x + 4)},{_n(y + 3)} {_n(x - 4)},{_n(y + 3)}" '
                f"{stroke}/>")
    if base == "diamond":
        return (f'<polygon points="{_n(x)},{_n(y - 4.4)} {_n(x + 4.4)},{_n(y)} {_n(x)},{_n(y + 4.4)} '
                f'{_n(x - 4.4)},{_n(y)}" {stroke}/>')
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.4" {stroke}/>'
