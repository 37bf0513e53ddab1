"""Charts drawn on the server as SVG: pure functions from numbers and labels to markup.

No JavaScript and no inline styles (the CSP forbids them): colours are SVG presentation
attributes, sizes come from the viewBox so a chart scales to the width of a phone. Each chart
is one image for assistive technology (role="img" with a label); the page puts the same data
in a table beside it. Labels arrive already formatted for the reader's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

SVG_NS = "http://www.w3.org/2000/svg"
# Pico's light theme: its primary azure for data, its muted grey for text, light rules
LINE_COLOUR = "#0172ad"
TEXT_COLOUR = "#646b79"
GRID_COLOUR = "#dfe3eb"
# the activity calendar, nothing → a lot (a blue scale that stays readable for colour-blind eyes)
HEAT_COLOURS = ("#ebedf0", "#c6dbef", "#6baed6", "#2171b5", "#08306b")


def _num(value: float) -> str:
    """A coordinate, short: 12, 12.5."""
    return f"{value:.1f}".removesuffix(".0")


def _svg(width: float, height: float, label: str, body: list[str], css_class: str) -> Markup:
    return Markup(
        f'<svg xmlns="{SVG_NS}" class="{escape(css_class)}" viewBox="0 0 {_num(width)} '
        f'{_num(height)}" role="img" aria-label="{escape(label)}" '
        f'preserveAspectRatio="xMinYMin meet" font-family="sans-serif">'
        f"<title>{escape(label)}</title>" + "".join(body) + "</svg>"
    )


@dataclass(frozen=True)
class Point:
    """One value of a line chart: `value` from 0 to 1, or None for a gap."""

    label: str  # under the axis ("" to leave it out)
    value: float | None
    title: str  # shown on hover, e.g. "Week of 11/3: 80% (40 of 50)"


def line_chart(
    points: Sequence[Point],
    *,
    label: str,
    y_ticks: Sequence[tuple[float, str]] = ((0.0, "0%"), (0.5, "50%"), (1.0, "100%")),
    css_class: str = "chart line-chart",
) -> Markup:
    """A line from 0 to 1 (e.g. accuracy by week); a None breaks the line, it is not a zero."""
    # about a phone's width, so that text stays legible where the chart is smallest
    width, height = 360.0, 190.0
    left, right, top, bottom = 40.0, 8.0, 12.0, 28.0
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(points), 1)

    def x(index: int) -> float:
        return left + (index + 0.5) * step

    def y(value: float) -> float:
        return top + (1 - min(max(value, 0.0), 1.0)) * plot_h

    body: list[str] = []
    for tick, text in y_ticks:
        body.append(
            f'<line x1="{_num(left)}" x2="{_num(width - right)}" y1="{_num(y(tick))}" '
            f'y2="{_num(y(tick))}" stroke="{GRID_COLOUR}" stroke-width="1"/>'
            f'<text x="{_num(left - 6)}" y="{_num(y(tick) + 4)}" text-anchor="end" '
            f'font-size="13" fill="{TEXT_COLOUR}">{escape(text)}</text>'
        )
    for index, point in enumerate(points):
        if point.label:
            body.append(
                f'<text x="{_num(x(index))}" y="{_num(height - 8)}" text-anchor="middle" '
                f'font-size="13" fill="{TEXT_COLOUR}">{escape(point.label)}</text>'
            )
    # consecutive values make a segment; a gap starts a new one
    segments: list[list[tuple[float, float]]] = [[]]
    for index, point in enumerate(points):
        if point.value is None:
            segments.append([])
        else:
            segments[-1].append((x(index), y(point.value)))
    for segment in segments:
        if len(segment) > 1:
            coordinates = " ".join(f"{_num(px)},{_num(py)}" for px, py in segment)
            body.append(
                f'<polyline points="{coordinates}" fill="none" stroke="{LINE_COLOUR}" '
                f'stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>'
            )
    for index, point in enumerate(points):
        if point.value is not None:
            body.append(
                f'<circle cx="{_num(x(index))}" cy="{_num(y(point.value))}" r="4.5" '
                f'fill="#fff" stroke="{LINE_COLOUR}" stroke-width="2.5">'
                f"<title>{escape(point.title)}</title></circle>"
            )
    return _svg(width, height, label, body, css_class)


@dataclass(frozen=True)
class Cell:
    """One day of the activity calendar."""

    column: int  # the week, 0 = the oldest
    row: int  # the weekday, 0 = the first of the week
    level: int  # 0 (nothing) to len(HEAT_COLOURS) - 1
    title: str  # e.g. "2026-11-03: 12 activities"


CELL = 11.0
GAP = 3.0


def heatmap(
    cells: Sequence[Cell],
    *,
    columns: int,
    label: str,
    month_labels: Sequence[tuple[int, str]] = (),
    weekday_labels: Sequence[tuple[int, str]] = (),
    css_class: str = "chart heatmap",
) -> Markup:
    """A calendar of days, a column per week, each cell coloured by its level."""
    pitch = CELL + GAP
    left, top = 26.0, 17.0
    width = left + columns * pitch
    height = top + 7 * pitch
    body: list[str] = []
    for column, text in month_labels:
        body.append(
            f'<text x="{_num(left + column * pitch)}" y="12" font-size="11" '
            f'fill="{TEXT_COLOUR}">{escape(text)}</text>'
        )
    for row, text in weekday_labels:
        body.append(
            f'<text x="{_num(left - 4)}" y="{_num(top + row * pitch + CELL - 2)}" '
            f'text-anchor="end" font-size="10" fill="{TEXT_COLOUR}">{escape(text)}</text>'
        )
    # each column's x and each row's y written once, not once a cell (a half year has 183)
    xs: dict[int, str] = {}
    ys: dict[int, str] = {}
    size = _num(CELL)
    for cell in cells:
        colour = HEAT_COLOURS[min(max(cell.level, 0), len(HEAT_COLOURS) - 1)]
        x = xs.get(cell.column)
        if x is None:
            x = xs[cell.column] = _num(left + cell.column * pitch)
        y = ys.get(cell.row)
        if y is None:
            y = ys[cell.row] = _num(top + cell.row * pitch)
        body.append(
            f'<rect x="{x}" y="{y}" width="{size}" height="{size}" rx="2" fill="{colour}">'
            f"<title>{escape(cell.title)}</title></rect>"
        )
    return _svg(width, height, label, body, css_class)


def heat_legend(labels: Sequence[str], *, label: str) -> Markup:
    """The colour steps of the calendar with what each means, as a list (readable as text)."""
    items = []
    for level, text in enumerate(labels[: len(HEAT_COLOURS)]):
        items.append(
            f'<li><svg xmlns="{SVG_NS}" width="12" height="12" viewBox="0 0 12 12" '
            f'aria-hidden="true" focusable="false"><rect width="12" height="12" rx="2" '
            f'fill="{HEAT_COLOURS[level]}"/></svg> {escape(text)}</li>'
        )
    return Markup(f'<ul class="heat-legend" aria-label="{escape(label)}">{"".join(items)}</ul>')
