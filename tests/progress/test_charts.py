"""The SVG charts: well-formed XML, accessible, the data in them, no inline styles."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.progress import charts

NS = {"svg": charts.SVG_NS}


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def weeks(values: list[float | None]) -> list[charts.Point]:
    return [
        charts.Point(label=f"{n + 1}/1", value=value, title=f"week {n + 1}: {value}")
        for n, value in enumerate(values)
    ]


def test_line_chart_is_valid_accessible_svg() -> None:
    svg = charts.line_chart(weeks([0.5, 0.75, 1.0]), label="Accuracy <by week>")
    root = parse(svg)
    assert root.tag == f"{{{charts.SVG_NS}}}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Accuracy <by week>"
    assert root.find("svg:title", NS) is not None
    assert root.find("svg:title", NS).text == "Accuracy <by week>"
    assert "&lt;by week&gt;" in svg  # escaped in the markup
    assert "style=" not in svg


def test_line_chart_draws_every_value_with_its_title() -> None:
    root = parse(charts.line_chart(weeks([0.5, 0.75, 1.0]), label="x"))
    circles = root.findall("svg:circle", NS)
    assert [c.find("svg:title", NS).text for c in circles] == [
        "week 1: 0.5",
        "week 2: 0.75",
        "week 3: 1.0",
    ]
    # higher values sit higher (smaller y); 100 % is at the top of the plot
    ys = [float(c.get("cy")) for c in circles]
    assert ys[0] > ys[1] > ys[2]
    assert ys[2] == 12.0
    assert len(root.findall("svg:polyline", NS)) == 1
    labels = [t.text for t in root.findall("svg:text", NS)]
    assert {"1/1", "2/1", "3/1", "0%", "50%", "100%"} <= set(labels)


def test_a_missing_week_is_a_gap_not_a_zero() -> None:
    root = parse(charts.line_chart(weeks([0.5, 0.6, None, 0.8, 0.9, None, 0.4]), label="x"))
    circles = root.findall("svg:circle", NS)
    assert len(circles) == 5  # no point for the empty weeks
    lines = root.findall("svg:polyline", NS)
    assert len(lines) == 2  # 0.5-0.6 and 0.8-0.9; the lone 0.4 is a dot
    zero_y = 12.0 + 150.0  # the bottom of the plot
    assert all(float(c.get("cy")) < zero_y for c in circles)


def test_line_chart_with_no_values_still_parses() -> None:
    root = parse(charts.line_chart(weeks([None, None]), label="x"))
    assert root.findall("svg:circle", NS) == []
    assert root.findall("svg:polyline", NS) == []
    assert parse(charts.line_chart([], label="x")).get("role") == "img"


def test_heatmap_has_a_titled_cell_per_day_coloured_by_level() -> None:
    cells = [
        charts.Cell(column=n // 7, row=n % 7, level=n % 5, title=f"day {n}: {n} activities")
        for n in range(30)
    ]
    svg = charts.heatmap(
        cells,
        columns=5,
        label="Activity calendar",
        month_labels=[(0, "Nov"), (3, "Dec & co")],
        weekday_labels=[(0, "Mon"), (2, "Wed")],
    )
    root = parse(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "Activity calendar"
    rects = root.findall("svg:rect", NS)
    assert len(rects) == 30
    assert rects[7].find("svg:title", NS).text == "day 7: 7 activities"
    assert rects[0].get("fill") == charts.HEAT_COLOURS[0]
    assert rects[4].get("fill") == charts.HEAT_COLOURS[4]
    # the second week is one column to the right, same row
    assert float(rects[7].get("x")) > float(rects[0].get("x"))
    assert rects[7].get("y") == rects[0].get("y")
    assert {t.text for t in root.findall("svg:text", NS)} == {"Nov", "Dec & co", "Mon", "Wed"}
    assert "style=" not in svg
    # a phone's width: the picture scales by its viewBox, 26 weeks are under 400 units wide
    wide = parse(charts.heatmap([], columns=26, label="x"))
    assert float(wide.get("viewBox").split()[2]) < 400


def test_heat_legend_lists_each_step() -> None:
    legend = charts.heat_legend(["none", "1-9", "10-24", "25-49", "50+"], label="Activities a day")
    root = parse(legend)
    assert root.tag == "ul" and root.get("aria-label") == "Activities a day"
    items = root.findall("li")
    assert [li.find(f"{{{charts.SVG_NS}}}svg").tail.strip() for li in items] == [
        "none",
        "1-9",
        "10-24",
        "25-49",
        "50+",
    ]
    fills = [li.find(f".//{{{charts.SVG_NS}}}rect").get("fill") for li in items]
    assert fills == list(charts.HEAT_COLOURS)
