"""Budgets over the runs of one page, Lighthouse CI style (pure: no I/O).

Aggregation over runs: ``median`` (the lower middle value, so it was really measured),
``optimistic`` (the run most favourable to the budget: the smallest value against a
``max``, the largest against a ``min``) or ``pessimistic`` (the least favourable).
Grades compare by letter: ``min = "B"`` passes for A and B. Messages give byte budgets in
kB (1000 B), as the reports do; the ``value`` stays in bytes.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from fnmatch import fnmatchcase

from ecolint.config.web import UrlBudgets, WebBudget
from ecolint.render.web.common import kilobytes
from ecolint.scoring.ecoindex import GRADES, ghg, grade_rank, water
from ecolint.web.model import PageBudgetResult, PageRun
from ecolint.wording import plural

BYTE_METRICS = ("page:bytes", "lighthouse:total-byte-weight")


def budgets_for(
    url: str, budgets: Sequence[WebBudget], overrides: Sequence[UrlBudgets]
) -> tuple[WebBudget, ...]:
    """The budgets that apply to ``url``: later URL patterns override earlier ones."""
    merged = {budget.metric: budget for budget in budgets}
    for override in overrides:
        if fnmatchcase(url, override.pattern):
            merged.update({budget.metric: budget for budget in override.budgets})
    return tuple(budget for budget in merged.values() if budget.level != "off")


def run_value(run: PageRun, metric: str) -> float | None:
    """The figure of ``metric`` in one run (grades as ranks: A = 7 … G = 1)."""
    family, name = metric.split(":", 1)
    if family == "page":
        return float(getattr(run, name))
    if family == "ecoindex":
        if name == "grade":
            return float(grade_rank(run.grade))
        if name == "score":
            return float(run.score)
        return ghg(run.score) if name == "ghg" else water(run.score)
    if run.lighthouse is None:
        return None
    value = run.lighthouse.categories.get(name, run.lighthouse.metrics.get(name))
    return None if value is None else float(value)


def evaluate_budgets(
    url: str, runs: Sequence[PageRun], budgets: Sequence[WebBudget], default_aggregation: str
) -> tuple[PageBudgetResult, ...]:
    return tuple(_evaluate(url, runs, budget, default_aggregation) for budget in budgets)


def _evaluate(
    url: str, runs: Sequence[PageRun], budget: WebBudget, default_aggregation: str
) -> PageBudgetResult:
    aggregation = budget.aggregation or default_aggregation
    values = [v for v in (run_value(run, budget.metric) for run in runs) if v is not None]
    if not values:
        return _result(budget, aggregation, None, True, f"{url}: {budget.metric} not measured")
    is_grade = budget.metric == "ecoindex:grade"
    checks = []  # (passed, value, bound text)
    if budget.max is not None:
        limit = float(grade_rank(str(budget.max))) if is_grade else float(budget.max)
        value = _aggregate(values, aggregation, against_max=True)
        # a grade "max" is the best grade allowed: rank must not exceed it
        checks.append((value <= limit, value, "above max", budget.max))
    if budget.min is not None:
        limit = float(grade_rank(str(budget.min))) if is_grade else float(budget.min)
        value = _aggregate(values, aggregation, against_max=False)
        checks.append((value >= limit, value, "below min", budget.min))
    failing = [check for check in checks if not check[0]]
    passed, value, words, bound = (failing or checks)[0]
    shown = _shown(budget.metric, value)
    runs_text = f"{aggregation} of {plural(len(values), 'run')}"
    figure = _in_words(budget.metric, shown)
    if passed:
        message = f"{url}: {budget.metric} {figure} within budget ({runs_text})"
    else:
        bound_text = _in_words(budget.metric, bound)
        message = f"{url}: {budget.metric} {figure} is {words} {bound_text} ({runs_text})"
    return _result(budget, aggregation, shown, passed, message)


def _aggregate(values: list[float], aggregation: str, against_max: bool) -> float:
    if aggregation == "median":
        return float(statistics.median_low(values))
    smallest = (aggregation == "optimistic") == against_max
    return min(values) if smallest else max(values)


def _shown(metric: str, value: float) -> float | str:
    if metric == "ecoindex:grade":
        return GRADES[len(GRADES) - int(value)]
    return int(value) if value == int(value) else value


def _in_words(metric: str, value: float | str) -> str:
    """Byte figures in kB, like the reports' cards; every other figure as it is."""
    if metric in BYTE_METRICS and not isinstance(value, str):
        return kilobytes(int(value))
    return str(value)


def _result(
    budget: WebBudget, aggregation: str, value: float | str | None, passed: bool, message: str
) -> PageBudgetResult:
    return PageBudgetResult(
        metric=budget.metric,
        level=budget.level,
        aggregation=aggregation,
        min=budget.min,
        max=budget.max,
        value=value,
        passed=passed,
        message=message,
    )
