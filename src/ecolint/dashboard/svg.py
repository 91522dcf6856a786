"""Small helpers the charts and pages share: escaping, number formatting, axis ticks.

Every string that comes from the data (repository, team, branch, commit, URL) goes through
``esc`` before it reaches the HTML; the pages have no script at all and forbid one by CSP,
so a name such as ``<script>`` can only ever show as text.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

# Scales for a unit, smallest first: the figure shown is the largest that stays >= 1.
ENERGY_UNITS: tuple[tuple[str, float], ...] = (("mWh", 1e-6), ("Wh", 1e-3), ("kWh", 1.0))
CARBON_UNITS: tuple[tuple[str, float], ...] = (("mg", 1e-6), ("g", 1e-3), ("kg", 1.0))


def esc(text: object) -> str:
    """HTML-escaped text, quotes included (safe in element content and in attributes)."""
    return html.escape(str(text), quote=True)


def fmt(value: float | None, digits: int = 3) -> str:
    """A number with ``digits`` significant digits and no exponent; "–" for not measured."""
    if value is None or math.isnan(value):
        return "–"
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, digits - 1 - magnitude)
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def signed(value: float | None, digits: int = 3, suffix: str = "") -> str:
    """A change with its sign: "+1.5", "−2" (a real minus sign), "0"."""
    if value is None:
        return "–"
    if value == 0:
        return "0" + suffix
    sign = "+" if value > 0 else "−"
    return f"{sign}{fmt(abs(value), digits)}{suffix}"


def pick_unit(values: Sequence[float], units: Sequence[tuple[str, float]]) -> tuple[str, float]:
    """The unit (name, size in the base unit) that shows the largest value at 1 or more."""
    largest = max((abs(v) for v in values), default=0.0)
    chosen = units[0]
    for unit in units:
        if largest >= unit[1]:
            chosen = unit
    return chosen


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """About ``count`` round tick values (1, 2, 2.5 or 5 × 10^n steps) covering low..high."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0]
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 12))
        value += step
    return ticks


def thin(items: Sequence[T], limit: int) -> list[T]:
    """At most ``limit`` items, evenly spread, always keeping the first and the last.

    A sparkline 120 pixels wide cannot show 365 points; drawing them would only make the
    overview heavier (200 repositories × 365 points is most of a megabyte).
    """
    if len(items) <= limit:
        return list(items)
    if limit < 2:
        return [items[-1]]
    step = (len(items) - 1) / (limit - 1)
    return [items[round(i * step)] for i in range(limit)]


def coordinate(value: float) -> str:
    """A coordinate with one decimal at most: enough for a screen, small in the file."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)
