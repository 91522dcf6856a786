"""Small wording helpers shared by every report: counts with their noun in the right number."""

from __future__ import annotations


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """``1 file``, ``2 files``: the count with its noun in the right number."""
    return f"{count} {noun if count == 1 else plural_noun or noun + 's'}"


def figures(value: float) -> str:
    """Three significant figures, trailing zeros kept (``9.00`` beside ``8.62``, not
    ``9``), so two figures side by side show the same precision."""
    if abs(value) >= 1000:
        return f"{value:,.0f}"  # `#.3g` would write 1.74e+03
    text = f"{value:#.3g}"
    return text[:-1] if text.endswith(".") else text


def grams(value: float | None) -> str:
    """gCO2e with a unit that avoids false precision (3 significant figures)."""
    if value is None:
        return "-"
    for unit, scale in (("g", 1.0), ("mg", 1e-3), ("µg", 1e-6)):
        if abs(value) >= scale or unit == "µg":
            return f"{figures(value / scale)} {unit}CO2e"
    return f"{figures(value)} gCO2e"  # pragma: no cover - the loop always returns


def joules(value: float | None) -> str:
    """Joules, or watt-hours from 3,600 J up (3 significant figures)."""
    if value is None:
        return "-"
    return f"{figures(value)} J" if abs(value) < 3600 else f"{figures(value / 3600)} Wh"
