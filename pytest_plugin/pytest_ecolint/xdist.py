"""pytest-xdist: workers send their whole-process CPU home; registered only with xdist."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pytest_ecolint.session import EnergySession


class WorkerTotals:
    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        output = getattr(session.config, "workeroutput", None)
        if output is not None:
            output["ecolint_cpu_ns"] = time.process_time_ns()


class ControllerHooks:
    def __init__(self, energy: EnergySession) -> None:
        self.energy = energy

    def pytest_testnodedown(self, node: Any, error: object) -> None:
        cpu = getattr(node, "workeroutput", {}).get("ecolint_cpu_ns")
        if cpu is not None:
            self.energy.add_worker_cpu(node.gateway.id, cpu)
