"""The inline SVG charts: drawn marks, scales, and nothing drawn from nothing."""

from __future__ import annotations

import re

from ecolint.dashboard.charts import Bar, Series, bar_chart, line_chart, sparkline

DAY = 86400.0


def paths(svg: str) -> list[str]:
    return re.findall(r'<path[^>]* d="([^"]*)"', svg)


def test_a_sparkline_draws_one_point_per_value_up_to_its_limit():
    line = paths(sparkline([1.0, 3.0, 2.0], label="x"))[0]
    assert line.count("L") == 2
    thinned = paths(sparkline([float(i) for i in range(365)], label="x", limit=60))[0]
    assert thinned.count("L") == 59


def test_a_sparkline_of_one_value_still_draws_a_line():
    assert paths(sparkline([50.0], label="x"))[0].count("L") == 1


def test_no_values_draw_no_chart():
    assert sparkline([], label="x") == ""
    assert line_chart([Series("empty", [])], title="t", unit="u") == ""
    assert bar_chart([], title="t", unit="u") == ""


def test_a_line_chart_puts_the_highest_value_at_the_top_of_its_range():
    svg = line_chart(
        [Series("score", [(0.0, 0.0), (DAY, 100.0)])], title="Score", unit="0-100", y_range=(0, 100)
    )
    (line,) = re.findall(r'<path class="line" d="([^"]*)"', svg)
    (start, end) = re.findall(r"[ML]([\d.]+) ([\d.]+)", line)
    assert float(start[1]) > float(end[1])  # SVG y grows downwards
    assert ">100<" in svg and ">0<" in svg and "1970-01-02" in svg


def test_several_lines_get_a_legend_with_escaped_labels():
    svg = line_chart(
        [Series("<a>", [(0.0, 1.0)]), Series("b", [(0.0, 2.0)], "#D55E00")], title="t", unit="u"
    )
    assert 'class="legend"' in svg and "&lt;a&gt;" in svg and "<a>" not in svg


def test_a_bar_chart_draws_every_bar_and_the_limit_line():
    svg = bar_chart([Bar("2026-01", 2.0), Bar("2026-02", 0.0)], title="t", unit="kg", limit=1.5)
    assert len(re.findall(r'<path class="bar" d="M', svg)) == 2
    assert 'class="limit"' in svg and "1.5" in svg


def test_chart_titles_and_labels_are_escaped():
    svg = bar_chart([Bar("<script>", 1.0)], title='"><script>', unit="<u>")
    assert "<script>" not in svg


def test_a_line_chart_of_one_run_shows_that_run_as_a_dot_in_the_middle_with_its_value():
    svg = line_chart([Series("score", [(DAY, 47.9)])], title="Score", unit="0-100")
    assert 'class="line"' not in svg  # no 1-pixel line hiding on the axis
    (dot,) = re.findall(r'<path class="dot" d="M([\d.]+) ([\d.]+)h0"', svg)
    width, left, right = 960, 56, 12
    assert float(dot[0]) == (left + (width - right)) / 2
    assert "score: 47.9 0-100 on 1970-01-02" in svg
    assert svg.count("1970-01-02") >= 2 and "1970-01-01" not in svg  # one date, on the axis


def test_a_line_chart_names_its_unit_on_the_value_axis():
    svg = line_chart([Series("energy", [(0.0, 1.0), (DAY, 2.0)])], title="Energy", unit="mWh")
    assert '<text class="unit" x="4" y="10">mWh</text>' in svg
    assert svg.count('class="dot"') == 2
