"""Formatting shared by the web renderers (units, level counts)."""

from __future__ import annotations

from ecolint.web.model import PageResult

METRIC_UNITS = {
    "first-contentful-paint": ("FCP", "ms"),
    "largest-contentful-paint": ("LCP", "ms"),
    "total-blocking-time": ("TBT", "ms"),
    "cumulative-layout-shift": ("CLS", ""),
    "speed-index": ("Speed Index", "ms"),
    "total-byte-weight": ("Total byte weight", "B"),
}


def kilobytes(value: int | None) -> str:
    """Bytes as kB of 1000 (the EcoIndex unit)."""
    return "–" if value is None else f"{value / 1000:,.1f} kB"


def number(value: float | int | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:.3g}"


def metric(name: str, value: float | None) -> str:
    label, unit = METRIC_UNITS.get(name, (name, ""))
    if value is None:
        return f"{label} –"
    if unit == "B":
        return f"{label} {kilobytes(int(value))}"
    return f"{label} {value:,.0f} {unit}".rstrip() if unit else f"{label} {value:.3f}"


def practice_counts(page: PageResult) -> str:
    counts = {level: sum(p.level == level for p in page.practices) for level in "ABC"}
    return f"{counts['A']} A, {counts['B']} B, {counts['C']} C"


def status_word(page: PageResult) -> str:
    if page.errors:
        return "error"
    if page.failed_budgets:
        return "budget exceeded"
    if page.warned_budgets:
        return "warning"
    return "ok"
