"""Inline SVG charts: sparkline, line chart over time, bar chart.

Our own few lines instead of a charting library: the site must work offline, from a CI
artifact or GitHub Pages, without a CDN or a script. Each chart is one ``<svg role="img">``
with an ``aria-label`` saying what it shows, a ``<title>`` per point or bar for the mouse,
and every mark drawn as a ``<path>`` (the browser test checks that each has a ``d``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from ecolint.dashboard.svg import coordinate, esc, fmt, nice_ticks, thin

# Okabe–Ito: told apart with every common colour-vision deficiency, dark enough on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000")
MAX_LINE_POINTS = 400
MAX_MARKED_POINTS = 60  # up to this many points per line, each gets a visible dot
_AXIS = "#52606d"
_GRID = "#e4e7eb"


@dataclass(frozen=True, slots=True)
class Series:
    """One line: ``points`` are (time in epoch seconds, value) in time order."""

    label: str
    points: Sequence[tuple[float, float]]
    colour: str = PALETTE[0]


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    colour: str = PALETTE[0]


def _svg(width: int, height: int, label: str, body: str, css_class: str) -> str:
    return (
        f'<svg class="{css_class}" role="img" aria-label="{esc(label)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg">{body}</svg>'
    )


def _path(points: Sequence[tuple[float, float]]) -> str:
    """``M x y L x y …`` with one decimal: a tenth of a pixel is finer than any screen."""
    return "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points)


def sparkline(
    values: Sequence[float], *, label: str, width: int = 120, height: int = 28, limit: int = 60
) -> str:
    """A small trend line of the last values (thinned to ``limit`` points), scaled to its range.

    An empty sequence gives an empty string: there is nothing honest to draw.
    """
    if not values:
        return ""
    shown = thin(values, limit)
    low, high = min(shown), max(shown)
    span = (high - low) or 1.0
    pad = 3
    step = (width - 2 * pad) / max(len(shown) - 1, 1)
    points = [
        (pad + i * step, height - pad - (v - low) / span * (height - 2 * pad))
        for i, v in enumerate(shown)
    ]
    if len(points) == 1:
        points.append((width - pad, points[0][1]))
    last_x, last_y = points[-1]
    body = (
        f"<title>{esc(label)}</title>"
        f'<path class="line" d="{_path(points)}" fill="none" stroke="{PALETTE[0]}" '
        'stroke-width="1.5"/>'
        f'<path d="M{coordinate(last_x)} {coordinate(last_y)}h0" stroke="{PALETTE[0]}" '
        'stroke-width="5" stroke-linecap="round"/>'
    )
    return _svg(width, height, label, body, "sparkline")


def _date(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d")


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    unit: str,
    y_range: tuple[float, float] | None = None,
    width: int = 960,
    height: int = 240,
    x_label: Callable[[float], str] = _date,
) -> str:
    """Lines over time with a value axis (round ticks) and a date axis; a legend when
    there are several lines. Empty series are left out; with none left, ""."""
    drawn = [s for s in series if s.points]
    if not drawn:
        return ""
    left, right, top, bottom = 56, 12, 12, 28
    xs = [x for s in drawn for x, _ in s.points]
    ys = [y for s in drawn for _, y in s.points]
    ticks = nice_ticks(*(y_range or (min(ys), max(ys))))
    y_low, y_high = ticks[0], ticks[-1]
    x_low, x_high = min(xs), max(xs)
    plot_w, plot_h = width - left - right, height - top - bottom
    # One date only (the first run): that date sits in the middle of the axis.
    x_span = x_high - x_low or 2.0
    if x_high == x_low:
        x_low, x_high = x_low - 1.0, x_high + 1.0

    def place(x: float, y: float) -> tuple[float, float]:
        return (
            left + (x - x_low) / x_span * plot_w,
            top + plot_h - (y - y_low) / ((y_high - y_low) or 1.0) * plot_h,
        )

    parts = [
        f"<title>{esc(title)}</title>",
        f'<text class="unit" x="4" y="{top - 2}">{esc(unit)}</text>',
    ]
    for tick in ticks:
        _, y = place(x_low, tick)
        parts.append(
            f'<path d="M{left} {coordinate(y)}H{width - right}" stroke="{_GRID}"/>'
            f'<text x="{left - 6}" y="{coordinate(y + 4)}" text-anchor="end">{fmt(tick)}</text>'
        )
    single_date = len(set(xs)) == 1
    for position in (0.5,) if single_date else (0.0, 0.5, 1.0):
        x = x_low + position * x_span
        anchor = ("start", "middle", "end")[round(position * 2)]
        parts.append(
            f'<text x="{coordinate(place(x, y_low)[0])}" y="{height - 8}" '
            f'text-anchor="{anchor}">{esc(x_label(x))}</text>'
        )
    parts.append(
        f'<path d="M{left} {top}V{top + plot_h}H{width - right}" stroke="{_AXIS}" fill="none"/>'
    )
    for line in drawn:
        x_scale, y_scale = plot_w / x_span, plot_h / ((y_high - y_low) or 1.0)
        points = [
            (left + (x - x_low) * x_scale, top + plot_h - (y - y_low) * y_scale)
            for x, y in thin(line.points, MAX_LINE_POINTS)
        ]  # place() inlined: this runs for every point of every line
        if len(points) > 1:
            parts.append(
                f'<path class="line" d="{_path(points)}" fill="none" stroke="{line.colour}" '
                f'stroke-width="2"><title>{esc(line.label)}</title></path>'
            )
        if len(line.points) <= MAX_MARKED_POINTS:  # few runs: each one visible as a dot
            parts.extend(
                f'<path class="dot" d="M{x:.1f} {y:.1f}h0" stroke="{line.colour}" '
                f'stroke-width="7" stroke-linecap="round"><title>{esc(line.label)}: '
                f"{fmt(value)} {esc(unit)} on {esc(x_label(when))}</title></path>"
                for (x, y), (when, value) in zip(points, line.points, strict=True)
            )
    dates = sorted(set(xs))
    label = f"{title} ({unit}), {_date(dates[0])} to {_date(dates[-1])}"
    chart = _svg(width, height, label, "".join(parts), "chart line-chart")
    if len(drawn) > 1:
        chart += _legend(drawn)
    return chart


def _legend(series: Sequence[Series]) -> str:
    items = "".join(
        f'<li><span class="swatch" style="background:{s.colour}"></span>{esc(s.label)}</li>'
        for s in series
    )
    return f'<ul class="legend">{items}</ul>'


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    unit: str,
    limit: float | None = None,
    limit_label: str = "limit",
    width: int = 960,
    height: int = 220,
) -> str:
    """Vertical bars with their value above and label below; ``limit`` draws a dashed
    line (a budget). No bars gives ""."""
    if not bars:
        return ""
    left, right, top, bottom = 56, 12, 18, 34
    highest = max([b.value for b in bars] + [limit or 0.0])
    ticks = nice_ticks(0.0, highest or 1.0)
    y_high = ticks[-1]
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / len(bars)
    bar_w = min(slot * 0.7, 64)

    def y_of(value: float) -> float:
        return top + plot_h - value / y_high * plot_h

    parts = [f"<title>{esc(title)}</title>"]
    for tick in ticks:
        y = coordinate(y_of(tick))
        parts.append(
            f'<path d="M{left} {y}H{width - right}" stroke="{_GRID}"/>'
            f'<text x="{left - 6}" y="{coordinate(y_of(tick) + 4)}" text-anchor="end">'
            f"{fmt(tick)}</text>"
        )
    for i, bar in enumerate(bars):
        x = left + i * slot + (slot - bar_w) / 2
        bar_y = y_of(max(bar.value, 0.0))
        bar_h = max(top + plot_h - bar_y, 1.0)  # a zero still shows as a hairline
        centre = coordinate(x + bar_w / 2)
        parts.append(
            f'<path class="bar" d="M{coordinate(x)} {coordinate(top + plot_h - bar_h)}'
            f'h{coordinate(bar_w)}v{coordinate(bar_h)}h-{coordinate(bar_w)}Z" '
            f'fill="{bar.colour}"><title>{esc(bar.label)}: {fmt(bar.value)} {esc(unit)}'
            "</title></path>"
            f'<text x="{centre}" y="{coordinate(top + plot_h - bar_h - 4)}" '
            f'text-anchor="middle">{fmt(bar.value)}</text>'
            f'<text x="{centre}" y="{height - 12}" text-anchor="middle">{esc(bar.label)}</text>'
        )
    if limit is not None:
        y = coordinate(y_of(limit))
        parts.append(
            f'<path class="limit" d="M{left} {y}H{width - right}" stroke="#b91c1c" '
            f'stroke-width="2" stroke-dasharray="6 4"/><text x="{width - right}" y="{top - 6}" '
            'text-anchor="end" fill="#b91c1c">- - '
            f"{esc(limit_label)} {fmt(limit)}</text>"
        )
    parts.append(
        f'<path d="M{left} {top}V{top + plot_h}H{width - right}" stroke="{_AXIS}" fill="none"/>'
    )
    return _svg(width, height, f"{title} ({unit})", "".join(parts), "chart bar-chart")
