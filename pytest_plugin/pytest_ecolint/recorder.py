"""The per-test hot path: two clocks around each test's run protocol, nothing else.

No psutil, no codecarbon, no I/O per test: the sample costs about a microsecond. One
wrapper around ``pytest_runtest_protocol`` (setup, call, teardown and their reports) is
cheaper than a hook on setup plus one on teardown, and the numbers stay in a dict here
instead of riding on the reports (bench/eco_overhead.py measured both). An xdist worker
sends the dict home once, at the end (``xdist.WorkerTotals``). Markers (``eco_budget``,
``eco_precise``) are looked up once, after collection, not per test. Precise tests also
read the PMU's instruction counter when one opens (``perf``); otherwise the controller
counts them under callgrind at the end.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING

import pytest

from ecolint.energy.meters import sample

if TYPE_CHECKING:
    from ecolint.energy.precise import PerfCounter


class Recorder:
    def __init__(self, precise_all: bool = False, use_pmu: bool = True) -> None:
        self.precise_all = precise_all
        self.use_pmu = use_pmu
        self.budgets: dict[str, dict[str, object]] = {}
        self.precise: set[str] = set()
        self.counter: PerfCounter | None = None
        self.tests: dict[str, dict[str, object]] = {}
        self._carry: tuple[int, int, float] | None = None

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        parents: dict[tuple[pytest.Collector, str], pytest.Mark | None] = {}
        for item in session.items:
            budget = _closest(item, "eco_budget", parents)
            if budget is not None:
                self.budgets[item.nodeid] = checked_budget(item.nodeid, budget)
            if self.precise_all or _closest(item, "eco_precise", parents) is not None:
                self.precise.add(item.nodeid)
        if self.precise and self.use_pmu:
            from ecolint.energy.precise import PerfCounter, PmuUnavailable

            try:
                self.counter = PerfCounter.open()
            except PmuUnavailable:
                self.counter = None  # the controller counts these under callgrind

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_protocol(
        self, item: pytest.Item, nextitem: pytest.Item | None
    ) -> Generator[None, object, object]:
        nodeid = item.nodeid
        counter = self.counter if nodeid in self.precise else None
        before = counter.read() if counter is not None else None
        # A sample costs about 3 µs here (two system calls): when a test follows at once,
        # its start is this test's end, one sample per test instead of two.
        start, self._carry = self._carry or sample(), None
        try:
            return (yield)
        finally:
            end = sample()
            if nextitem is not None:
                self._carry = end
            children = end[2] - start[2]
            values: dict[str, object] = {
                "wall_ns": end[0] - start[0],
                "cpu_ns": end[1] - start[1] + (round(children * 1e9) if children else 0),
            }
            if nodeid in self.precise:
                values["precise"] = True
                if counter is not None and before is not None:
                    values["instructions"] = counter.read() - before
            self.tests[nodeid] = values


def _closest(
    item: pytest.Item, name: str, parents: dict[tuple[pytest.Collector, str], pytest.Mark | None]
) -> pytest.Mark | None:
    """``item.get_closest_marker(name)``, with the parents' answer computed once per parent
    (module, class) instead of walking the chain again for each of their tests."""
    for mark in item.own_markers:
        if mark.name == name:
            return mark
    parent = item.parent
    if parent is None:
        return None
    key = (parent, name)
    if key not in parents:
        parents[key] = parent.get_closest_marker(name)
    return parents[key]


BUDGET_KEYWORDS = ("cpu_ms", "joules", "level")


def checked_budget(nodeid: str, mark: pytest.Mark) -> dict[str, object]:
    """The marker's budget, or a usage error naming the test: a typo (``cpu_sm=5``) would
    otherwise check nothing and pass in silence."""
    problems = []
    if mark.args:
        problems.append("takes keywords only (cpu_ms=…, joules=…, level=…)")
    unknown = sorted(set(mark.kwargs) - set(BUDGET_KEYWORDS))
    if unknown:
        problems.append(f"unknown keyword(s) {', '.join(unknown)}; known: cpu_ms, joules, level")
    for key in ("cpu_ms", "joules"):
        value = mark.kwargs.get(key)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0
        ):
            problems.append(f"{key} must be a positive number, got {value!r}")
    if mark.kwargs.get("level", "error") not in ("error", "warn"):
        problems.append(f"level must be 'error' or 'warn', got {mark.kwargs['level']!r}")
    if mark.kwargs.get("cpu_ms") is None and mark.kwargs.get("joules") is None and not unknown:
        problems.append("sets no budget: give cpu_ms=… or joules=…")
    if problems:
        raise pytest.UsageError(f"ecolint: {nodeid}: @pytest.mark.eco_budget {'; '.join(problems)}")
    return dict(mark.kwargs)
