"""Energy budgets checked against a session: configured ones and ``eco_budget`` markers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ecolint.config.energy import Budget
from ecolint.energy.model import BudgetResult, SessionEnergy, TestEnergy

MARKER_METRICS = {"cpu_ms": "cpu_ms", "joules": "energy_j"}


def _test_value(test: TestEnergy, metric: str) -> float:
    return test.cpu_s * 1000 if metric == "cpu_ms" else getattr(test, metric)


def check_budgets(
    session: SessionEnergy,
    tests: Mapping[str, TestEnergy],
    budgets: Iterable[Budget],
    markers: Mapping[str, Mapping[str, object]],
) -> list[BudgetResult]:
    """Every budget that applies, with its value; ``exceeded`` tells which failed."""
    results = []
    for budget in budgets:
        if budget.scope == "suite":
            value = getattr(session, budget.metric)
            results.append(BudgetResult("suite", budget.metric, budget.limit, value, budget.level))
        else:
            for nodeid, test in tests.items():
                value = _test_value(test, budget.metric)
                results.append(
                    BudgetResult(nodeid, budget.metric, budget.limit, value, budget.level)
                )
    for nodeid, marker in markers.items():
        marked = tests.get(nodeid)
        if marked is None:
            continue
        level = str(marker.get("level", "error"))
        for key, metric in MARKER_METRICS.items():
            limit = marker.get(key)
            if isinstance(limit, (int, float)):  # a number: checked when the marker is read
                value = _test_value(marked, metric)
                results.append(BudgetResult(nodeid, metric, float(limit), value, level))
    return results
