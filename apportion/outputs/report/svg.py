"""The report's charts, as SVG written here: the same figures always give the same bytes.

Each chart is drawn 672 px wide, the width of the A4 print area (178 mm at 96 px to the
inch), so that its 12 px text prints at 9 pt, the smallest the report prints. Bars are
labelled directly with the figure they draw; the caption and the table beside each chart
are the report's, not the chart's. Every piece of text from the budget file is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from markupsafe import Markup, escape

from apportion.model.messages import shown
from apportion.model.money import round_decimal

WIDTH = 672
FONT = 12  # px: 9 pt printed
CHAR = 8  # px: a generous width of one character at 12 px (a capital's), for laying out labels
ROW = 18  # px a bar's row
BAR = 12


class Bar(NamedTuple):
    """One bar: its label, its parts (value, class) laid end to end, and the figure written at its end."""

    label: str
    parts: tuple[tuple[Decimal, str], ...]
    figure: str


class Range(NamedTuple):
    """One member's range over a sweep: lowest, median, highest, and its budget."""

    label: str
    lowest: Decimal
    median: Decimal
    highest: Decimal
    budget: Decimal
    figures: str


def number(value: Fraction | Decimal | int) -> str:
    """A coordinate, to a tenth of a pixel."""
    text = f"{round_decimal(Fraction(value), 1).normalize():f}"
    return "0" if text == "-0" else text


def text(value: str) -> Markup:
    """Text from the budget file, escaped, with any control character shown as its code."""
    return escape(shown(value))


def clipped(label: str, room: int) -> str:
    """A label short enough for ``room`` pixels (the table beside the chart gives it whole)."""
    most = max(4, room // CHAR)
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def svg(height: int, body: str, label: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{text(label)}">{body}</svg>'
    )


class Scale(NamedTuple):
    """Values from ``low`` to ``high`` drawn from x ``left`` to ``right``."""

    low: Fraction
    high: Fraction
    left: int
    right: int

    def x(self, value: Decimal | Fraction) -> Fraction:
        if self.high == self.low:
            return Fraction(self.left)
        return self.left + (Fraction(value) - self.low) / (self.high - self.low) * (self.right - self.left)


def label_text(label: str, room: int, y: int) -> str:
    """A bar's label, right-aligned before it."""
    return f'<text x="{room - 6}" y="{y + BAR - 1}" text-anchor="end" class="label">{text(clipped(label, room))}</text>'


def figure_text(figure: str, x: Fraction, y: int) -> str:
    """The figure a bar draws, written at its end."""
    return f'<text x="{number(x)}" y="{y + BAR - 1}" class="figure">{text(figure)}</text>'


def label_room(labels: Sequence[str]) -> int:
    return min(WIDTH * 2 // 5, max((len(label) for label in labels), default=4) * CHAR + 8)


def bar_chart(bars: Sequence[Bar], label: str, key: Sequence[tuple[str, str]] = ()) -> Markup:
    """Horizontal bars in the order given (sort them first), each part of a bar end to end,
    with a line at zero where there are negative figures; a key of the parts' classes."""
    room = label_room([bar.label for bar in bars])
    figure_room = max((len(bar.figure) for bar in bars), default=4) * CHAR + 8
    ends = [sum((v for v, _ in bar.parts if v > 0), Decimal(0)) for bar in bars]
    lows = [sum((v for v, _ in bar.parts if v < 0), Decimal(0)) for bar in bars]
    scale = Scale(Fraction(min([Decimal(0), *lows])), Fraction(max([Decimal(0), *ends])), room, WIDTH - figure_room)
    top = ROW + 6 if key else 4
    out = [key_items(key)] if key else []
    for index, bar in enumerate(bars):
        y = top + index * ROW
        out.append(label_text(bar.label, room, y))
        positive, negative = Fraction(0), Fraction(0)
        for value, kind in bar.parts:
            if value >= 0:
                start, positive = positive, positive + Fraction(value)
                x0, x1 = scale.x(start), scale.x(positive)
            else:
                start, negative = negative, negative + Fraction(value)
                x0, x1 = scale.x(negative), scale.x(start)
            out.append(f'<rect x="{number(x0)}" y="{y}" width="{number(x1 - x0)}" height="{BAR}" class="{kind}"/>')
        end = scale.x(max(positive, Fraction(0)))
        out.append(figure_text(bar.figure, end + 4, y))
    height = top + len(bars) * ROW + 4
    if scale.low < 0:
        zero = number(scale.x(Fraction(0)))
        out.append(f'<line x1="{zero}" x2="{zero}" y1="{top - 2}" y2="{height - 2}" class="axis"/>')
    return svg(height, "".join(out), label)


def key_items(key: Sequence[tuple[str, str]]) -> str:
    out, x = [], 0
    for name, kind in key:
        out.append(f'<rect x="{x}" y="2" width="12" height="12" class="{kind}"/>')
        out.append(f'<text x="{x + 16}" y="12" class="key">{text(name)}</text>')
        x += 16 + len(name) * CHAR + 16
    return "".join(out)


Level = tuple[str, Decimal, str]  # a row of a bridge: its label, its figure, and the figure as written


def waterfall(start: Level, steps: Sequence[Level], end: Level, label: str) -> Markup:
    """A bridge from one total to another, drawn across: each total a level marked on the
    scale, each step a bar from the level before it to the level after. The scale runs over
    the levels only (not from zero), so that small changes show as changes."""
    levels = [start[1]]
    for _, value, _ in steps:
        levels.append(levels[-1] + value)
    spread = max(levels) - min(levels)
    pad = spread / 8 if spread else max(abs(start[1]) / 100, Decimal(1))
    rows = [start, *steps, end]
    room = label_room([row[0] for row in rows])
    figure_room = max(len(row[2]) for row in rows) * CHAR + 8
    scale = Scale(Fraction(min(levels) - pad), Fraction(max(levels) + pad), room, WIDTH - figure_room)
    out = []
    level = Fraction(start[1])
    for index, (name, value, figure) in enumerate(rows):
        y = 4 + index * ROW
        out.append(label_text(name, room, y))
        if index in (0, len(rows) - 1):
            x = scale.x(value)
            out.append(f'<rect x="{number(x - 2)}" y="{y}" width="4" height="{BAR}" class="total"/>')
            right = x + 2
        else:
            after = level + Fraction(value)
            x0, x1 = sorted((scale.x(level), scale.x(after)))
            kind = "up" if value > 0 else "down"
            width = number(max(x1 - x0, Fraction(1)))
            out.append(f'<rect x="{number(x0)}" y="{y}" width="{width}" height="{BAR}" class="{kind}"/>')
            previous = number(scale.x(level))
            out.append(f'<line x1="{previous}" x2="{previous}" y1="{y - ROW + BAR}" y2="{y}" class="link"/>')
            level, right = after, x1
        out.append(figure_text(figure, right + 4, y))
    return svg(4 + len(rows) * ROW + 4, "".join(out), label)


def range_chart(ranges: Sequence[Range], label: str) -> Markup:
    """Each member's range, lowest to highest, with its median (a dot) and budget (a bar)."""
    room = label_room([r.label for r in ranges])
    figure_room = max((len(r.figures) for r in ranges), default=4) * CHAR + 8
    values = [v for r in ranges for v in (r.lowest, r.highest, r.budget)]
    pad = (max(values) - min(values)) / 20 if values else Decimal(0)  # ranges drawn as lines, so the scale need not start at zero
    scale = Scale(Fraction(min(values, default=0) - pad), Fraction(max(values, default=0) + pad), room, WIDTH - figure_room)
    out = []
    for index, r in enumerate(ranges):
        y = 4 + index * ROW
        middle = y + BAR // 2
        out.append(label_text(r.label, room, y))
        x0, x1 = number(scale.x(r.lowest)), number(scale.x(r.highest))
        out.append(f'<line x1="{x0}" x2="{x1}" y1="{middle}" y2="{middle}" class="range"/>')
        budget = number(scale.x(r.budget))
        out.append(f'<line x1="{budget}" x2="{budget}" y1="{y}" y2="{y + BAR}" class="budget"/>')
        out.append(f'<circle cx="{number(scale.x(r.median))}" cy="{middle}" r="4" class="median"/>')
        out.append(figure_text(r.figures, scale.x(max(r.highest, r.budget)) + 6, y))
    return svg(4 + len(ranges) * ROW + 4, "".join(out), label)
