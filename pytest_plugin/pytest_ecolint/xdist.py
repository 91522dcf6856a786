"""pytest-xdist: workers send their per-test clocks (with each test's peak RSS in that
worker, and its GPU joules where a counter reads) and whole-process CPU home once, at the
end, through ``workeroutput`` (as pytest-cov does); registered only with xdist."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pytest_ecolint.recorder import Recorder
    from pytest_ecolint.session import EnergySession


class WorkerTotals:
    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        output = getattr(session.config, "workeroutput", None)
        if output is not None:
            output["ecolint_cpu_ns"] = time.process_time_ns()
            output["ecolint_tests"] = self.recorder.tests
            output["ecolint_budgets"] = self.recorder.budgets
            output["ecolint_memory_method"] = self.recorder.memory_method


class ControllerHooks:
    def __init__(self, energy: EnergySession) -> None:
        self.energy = energy

    def pytest_testnodedown(self, node: Any, error: object) -> None:
        output = getattr(node, "workeroutput", {})
        if "ecolint_cpu_ns" in output:  # a worker that crashed sends nothing
            self.energy.add_worker(node.gateway.id, output)
