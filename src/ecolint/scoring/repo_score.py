"""The repository's ecodesign score: pure functions from measured figures to 0–100 and A–G.

Why this shape:

- **code** — findings weighted by their rule's measured impact, per thousand lines of
  application code, turned into a score by exponential decay: ``100 · exp(-density /
  CODE_DECAY)``. Decay, not a linear cut, so the first findings in clean code cost the most
  and a very wasteful code base tends to 0 without going below it. ``CODE_DECAY`` is
  calibrated on real applications (``bench/score_calibration.py``, output in
  ``bench/score_calibration.md``): the unit at the 90th percentile of density (0.38
  weighted findings per 1000 lines, default output) scores 40, the D/E boundary, so the
  most wasteful tenth of real application code grades E or worse and code without
  findings A. The size counts at least 10,000 lines (about a corpus unit's size), so that
  one finding in a 40-line script does not read as a density no real application has.
  **Weighted by cost** (``ecolint score --profile F --weight-by-cost``, off by default): a
  finding counts ``f`` times instead of once, from :func:`cost_factors`. A profile moves the
  code part's weight onto the findings where the CPU time goes; it never removes weight, so
  no profile (empty, of another program, of a run that reached none of the findings) can
  raise the score by saying the findings are cold.
- **tests** — the test suite's energy per run against its configured budget, as a ratio
  ``r = used / budget``: ``100 − 40·r`` within the budget (half the budget → 80, exactly the
  budget → 60, grade C), ``60 / r`` beyond it (twice the budget → 30).
- **web** — the mean EcoIndex of the audited pages (already 0–100).
- **total** — the plain mean of the parts that were measured; a part that was not measured
  neither helps nor hurts, and with no part at all there is no score.

Grades use EcoIndex's thresholds (> 80 A, > 70 B, > 55 C, > 40 D, > 25 E, > 10 F, else G)
so that a web part and the total read on the same scale. Scores are rounded to one decimal
before grading, so the grade shown always matches the figure shown.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from ecolint.records import Grade, RepoScore, ScorePart
from ecolint.results import Impact

IMPACT_WEIGHTS: Mapping[Impact, float] = {"high": 3.0, "medium": 2.0, "low": 1.0}
CODE_DECAY = 0.60  # weighted findings per 1000 lines at which the code score is 100/e
MIN_KLOC = 10.0
# Share of the samples every measured finding is credited with before its own (1 %): a
# finding a profile did not reach keeps a little weight, and with no hot finding at all the
# factors are all 1 (the profile says nothing about them).
COST_FLOOR_SHARE = 0.01
WITHIN_BUDGET_SLOPE = 40.0  # points lost from 100 at exactly the budget
GRADE_FLOORS: tuple[tuple[float, Grade], ...] = (
    (80.0, "A"),
    (70.0, "B"),
    (55.0, "C"),
    (40.0, "D"),
    (25.0, "E"),
    (10.0, "F"),
)


def grade_for(score: float) -> Grade:
    """The A–G grade of a 0–100 score (EcoIndex thresholds: strictly above each floor)."""
    for floor, grade in GRADE_FLOORS:
        if score > floor:
            return grade
    return "G"


def cost_factors(shares: Sequence[float | None]) -> list[float]:
    """How many findings each finding counts for in the code part, weighted by its cost.

    ``shares`` are the findings' measured shares of their profile's samples, ``None`` for a
    finding in a file no profile covered: that one counts 1. The ``n`` measured findings
    share ``n`` between them in proportion to ``COST_FLOOR_SHARE + share``::

        f_i = n · (φ + s_i) / (n · φ + Σ s_j)        φ = COST_FLOOR_SHARE = 0.01

    so their mean stays 1 whatever the profile: the weight moves to the hot findings, the
    total stays. A profile with no sample on any finding gives every one 1.
    """
    measured = [share for share in shares if share is not None]
    if not measured:
        return [1.0] * len(shares)
    n = len(measured)
    total = n * COST_FLOOR_SHARE + sum(measured)
    return [1.0 if s is None else n * (COST_FLOOR_SHARE + s) / total for s in shares]


def code_part(
    findings: Mapping[str, int],
    impacts: Mapping[str, Impact],
    lines_of_code: int,
    weights: Mapping[str, float] | None = None,
) -> ScorePart | None:
    """Score the code from findings per rule id; ``None`` when there is no code to score.

    A rule missing from ``impacts`` weighs as ``medium``. ``weights``: per rule id, the
    sum of its findings' :func:`cost_factors` (``ecolint score --weight-by-cost``), used
    instead of their count.
    """
    if lines_of_code <= 0:
        return None
    per_rule = findings if weights is None else weights
    weighted = sum(
        count * IMPACT_WEIGHTS[impacts.get(rule, "medium")] for rule, count in per_rule.items()
    )
    density = weighted / max(lines_of_code / 1000.0, MIN_KLOC)
    score = _rounded(100.0 * math.exp(-density / CODE_DECAY))
    total = sum(findings.values())
    counted = "" if lines_of_code >= MIN_KLOC * 1000 else f" (counted as {MIN_KLOC * 1000:g})"
    by_cost = "" if weights is None else ", weighted by measured cost"
    detail = (
        f"{total} finding{'s' if total != 1 else ''} (weight {round(weighted, 2):g}{by_cost}) in "
        f"{lines_of_code} lines{counted}: {density:.1f} weighted per 1000 lines"
    )
    return ScorePart("code", score, grade_for(score), detail)


_UNITS = {"energy_j": " J", "gco2e": " gCO2e", "cpu_s": " s"}


def suite_part(used: float, budget: float, metric: str) -> ScorePart | None:
    """Score the suite's ``used`` amount of ``metric`` (e.g. ``energy_j``) against ``budget``.

    ``None`` when either figure is missing or negative (nothing valid was measured).
    """
    if not (math.isfinite(used) and math.isfinite(budget)) or used < 0 or budget < 0:
        return None
    ratio = _budget_ratio(used, budget)
    if ratio <= 1.0:
        score = 100.0 - WITHIN_BUDGET_SLOPE * ratio
    else:
        score = (100.0 - WITHIN_BUDGET_SLOPE) / ratio
    score = _rounded(score)
    unit = _UNITS.get(metric, "")
    key = f"suite-{metric.replace('_', '-')}"  # as in [tool.ecolint.energy.budget]
    detail = f"{key} {used:.3g}{unit} of a budget of {budget:.3g}{unit} ({ratio:.0%})"
    return ScorePart("tests", score, grade_for(score), detail)


def _budget_ratio(used: float, budget: float) -> float:
    """``used / budget``; with a zero budget anything used is infinitely over it."""
    if budget > 0:
        return used / budget
    return math.inf if used > 0 else 0.0


def web_part(ecoindex: Mapping[str, float]) -> ScorePart | None:
    """Score the web pages by their mean EcoIndex; ``None`` when no page was audited."""
    if not ecoindex:
        return None
    score = _rounded(sum(ecoindex.values()) / len(ecoindex))
    pages = len(ecoindex)
    detail = f"mean EcoIndex of {pages} page{'s' if pages != 1 else ''}"
    return ScorePart("web", score, grade_for(score), detail)


def combine(parts: Iterable[ScorePart | None]) -> RepoScore:
    """The total from the measured parts only (their plain mean)."""
    measured = tuple(part for part in parts if part is not None)
    if not measured:
        return RepoScore(score=None, grade=None, parts=())
    score = _rounded(sum(part.score for part in measured) / len(measured))
    return RepoScore(score=score, grade=grade_for(score), parts=measured)


def _rounded(score: float) -> float:
    return round(min(100.0, max(0.0, score)), 1)
