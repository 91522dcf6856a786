"""The per-test hot path: two clocks around setup → teardown, nothing else.

No psutil, no codecarbon, no I/O per test: the sample costs about a microsecond. The
numbers travel with the teardown report (``user_properties``), which is how they reach
the xdist controller too.
"""

from __future__ import annotations

from collections.abc import Generator

import pytest

from ecolint.energy.meters import sample

PROPERTY = "ecolint"
_START = pytest.StashKey[tuple[int, int, int]]()


class Recorder:
    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, None, None]:
        item.stash[_START] = sample()
        yield

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Generator[None, None, None]:
        yield
        end = sample()
        start = item.stash.get(_START, None)
        if start is None:
            return
        marker = item.get_closest_marker("eco_budget")
        budget = dict(marker.kwargs) if marker else None
        item.user_properties.append(
            (
                PROPERTY,
                {
                    "wall_ns": end[0] - start[0],
                    "cpu_ns": (end[1] - start[1]) + (end[2] - start[2]),
                    "budget": budget,
                },
            )
        )
