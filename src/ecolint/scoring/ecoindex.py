"""The EcoIndex of a web page: score 0–100, grade A–G, greenhouse gas and water per view.

Re-implemented from the published numbers only (quantile tables, weights, grade limits and
the GHG/water lines of the ecoindex.fr method); no code of the reference packages is used,
because they are CC BY-NC-ND / AGPL. The rules followed, so that figures are comparable:

- size is in kB of 1000 bytes, transferred (compressed) bytes, as ecoindex-cli does;
- the score is rounded (Python's ``round``, half to even) *before* the grade, GHG and water
  are derived from it, as ecoindex.fr and ecoindex-cli do (the JavaScript tools use the
  unrounded score and may differ by 0.01).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Grade = Literal["A", "B", "C", "D", "E", "F", "G"]
GRADES: tuple[Grade, ...] = ("A", "B", "C", "D", "E", "F", "G")

DOM_QUANTILES = (
    0, 47, 75, 159, 233, 298, 358, 417, 476, 537, 603,
    674, 753, 843, 949, 1076, 1237, 1459, 1801, 2479, 594601,
)  # fmt: skip
REQUEST_QUANTILES = (
    0, 2, 15, 25, 34, 42, 49, 56, 63, 70, 78,
    86, 95, 105, 117, 130, 147, 170, 205, 281, 3920,
)  # fmt: skip
SIZE_QUANTILES_KB = (
    0, 1.37, 144.7, 319.53, 479.46, 631.97, 783.38, 937.91, 1098.62, 1265.47, 1448.32,
    1648.27, 1876.08, 2142.06, 2465.37, 2866.31, 3401.59, 4155.73, 5400.08, 8037.54, 223212.26,
)  # fmt: skip

# (lowest score that is strictly above the limit, grade); anything not above 10 is G.
_GRADE_LIMITS: tuple[tuple[float, Grade], ...] = (
    (80, "A"),
    (70, "B"),
    (55, "C"),
    (40, "D"),
    (25, "E"),
    (10, "F"),
)


@dataclass(frozen=True, slots=True)
class EcoIndex:
    """Score 0–100 (integer), grade, gCO2e per page view and centilitres of water per view."""

    score: int
    grade: Grade
    ghg: float
    water: float


def quantile(table: tuple[float, ...], value: float) -> float:
    """Position of ``value`` in a 21-entry quantile table, linearly interpolated (0..20)."""
    for index in range(1, len(table)):
        if value < table[index]:
            low, high = table[index - 1], table[index]
            return index - 1 + (value - low) / (high - low)
    return float(len(table) - 1)


def ecoindex_score(dom: float, requests: float, size_kb: float) -> int:
    """The rounded score: DOM weighs 3, requests 2, size 1."""
    position = (
        3 * quantile(DOM_QUANTILES, dom)
        + 2 * quantile(REQUEST_QUANTILES, requests)
        + quantile(SIZE_QUANTILES_KB, size_kb)
    ) / 6
    return round(100 - 5 * position)


def grade(score: float) -> Grade:
    """A above 80, B above 70, C above 55, D above 40, E above 25, F above 10, else G."""
    for limit, letter in _GRADE_LIMITS:
        if score > limit:
            return letter
    return "G"


def ghg(score: float) -> float:
    """gCO2e per page view, rounded to hundredths."""
    return round(100 * (2 + 2 * (50 - score) / 100)) / 100


def water(score: float) -> float:
    """Centilitres of water per page view, rounded to hundredths."""
    return round(100 * (3 + 3 * (50 - score) / 100)) / 100


def ecoindex(dom: float, requests: float, size_kb: float) -> EcoIndex:
    """The EcoIndex of a page from its DOM elements, requests and transferred kB (1000 B)."""
    score = ecoindex_score(dom, requests, size_kb)
    return EcoIndex(score=score, grade=grade(score), ghg=ghg(score), water=water(score))


def grade_rank(letter: str) -> int:
    """7 for A down to 1 for G, so that a better grade compares greater."""
    return len(GRADES) - GRADES.index(letter)
