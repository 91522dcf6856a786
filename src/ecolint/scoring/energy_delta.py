"""Deltas between two energy reports (``ecolint energy compare``): suite and per test.

Two single runs carry no statistics, so this gives figures, not a verdict (``ecolint
energy ab`` gives one). Energy is only comparable under the same method and coefficients:
anything else is refused (``ReportMismatch``), since the delta would mix a change of model
with a change of code. Reports on different grids still compare in CPU, wall time and
energy; their carbon is left out, with a warning. Different machines or Python versions
are only warned about: the CPU delta then mixes machine and code, which the reader must
know.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ecolint.energy.model import EnergyReport, SessionEnergy
from ecolint.energy.reading import ReportError

QUANTITIES = ("cpu_s", "wall_s", "energy_j", "gco2e")


class ReportMismatch(ReportError):
    """Two reports whose energy figures cannot be compared."""


@dataclass(frozen=True)
class Delta:
    base: float | None
    head: float | None

    @property
    def diff(self) -> float | None:
        if self.base is None or self.head is None:
            return None
        return self.head - self.base

    @property
    def pct(self) -> float | None:
        """Relative change in %, None when there is no base to divide by."""
        if self.base is None or self.head is None or self.base == 0:
            return None
        return 100 * (self.head - self.base) / self.base

    def to_dict(self) -> dict[str, float | None]:
        return {"base": self.base, "head": self.head, "diff": self.diff, "pct": self.pct}


@dataclass(frozen=True)
class TestDelta:
    nodeid: str
    status: str  # "both", "added" (head only) or "removed" (base only)
    values: dict[str, Delta]


@dataclass(frozen=True)
class ReportDelta:
    method: str
    grid: str
    suite: dict[str, Delta]
    tests: list[TestDelta]
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "method": self.method,
            "grid": self.grid,
            "suite": {name: delta.to_dict() for name, delta in self.suite.items()},
            "tests": [
                {
                    "nodeid": test.nodeid,
                    "status": test.status,
                    **{name: delta.to_dict() for name, delta in test.values.items()},
                }
                for test in self.tests
            ],
            "warnings": self.warnings,
        }


def _method(session: SessionEnergy) -> str:
    if session.method.startswith("model"):
        return f"{session.method} at {session.watts_per_thread:g} W per thread"
    return session.method


def _grid(session: SessionEnergy) -> str:
    return f"{session.zone} {session.intensity_g_per_kwh:g} gCO2e/kWh, PUE {session.pue:g}"


def check_comparable(base: SessionEnergy, head: SessionEnergy) -> None:
    if _method(base) != _method(head):
        raise ReportMismatch(
            f"the reports were measured with different methods ({_method(base)} against"
            f" {_method(head)}): their energy cannot be compared"
        )


def _grid_warning(base: SessionEnergy, head: SessionEnergy) -> list[str]:
    if _grid(base) == _grid(head):
        return []
    return [
        f"different grids ({_grid(base)} against {_grid(head)}): carbon is left out, CPU,"
        " wall time and energy are compared; rerun one with the other's --eco-country or"
        " --eco-grid-intensity to compare carbon"
    ]


def _warnings(base: SessionEnergy, head: SessionEnergy) -> list[str]:
    warnings = [
        f"different {name.replace('_', ' ')} ({getattr(base, name)} against"
        f" {getattr(head, name)}): the deltas mix the machine and the code"
        for name in ("cpu_brand", "cpu_count", "python", "workers")
        if getattr(base, name) != getattr(head, name)
    ]
    for side, session in (("base", base), ("head", head)):
        if not session.complete:
            warnings.append(f"the {side} report is partial (its run was interrupted)")
    return warnings


def _size(delta: Delta) -> float:
    """How much a test's figure moved; an added or removed test moved by all of it."""
    return abs((delta.head or 0.0) - (delta.base or 0.0))


def report_delta(base: EnergyReport, head: EnergyReport) -> ReportDelta:
    """Suite and per-test deltas; tests sorted by the size of their energy change."""
    check_comparable(base.session, head.session)
    same_grid = _grid(base.session) == _grid(head.session)
    quantities = QUANTITIES if same_grid else tuple(q for q in QUANTITIES if q != "gco2e")
    suite = {
        name: Delta(getattr(base.session, name), getattr(head.session, name)) for name in quantities
    }
    tests = []
    for nodeid in base.tests.keys() | head.tests.keys():
        before, after = base.tests.get(nodeid), head.tests.get(nodeid)
        status = "both" if before and after else ("added" if after else "removed")
        values = {
            name: Delta(
                getattr(before, name) if before else None, getattr(after, name) if after else None
            )
            for name in quantities
        }
        tests.append(TestDelta(nodeid, status, values))
    tests.sort(key=lambda test: (-_size(test.values["energy_j"]), test.nodeid))
    if not same_grid:
        missing = Delta(None, None)
        suite["gco2e"] = missing
        for test in tests:
            test.values["gco2e"] = missing
    grid = _grid(base.session) if same_grid else f"{_grid(base.session)} / {_grid(head.session)}"
    return ReportDelta(
        _method(base.session),
        grid,
        suite,
        tests,
        _grid_warning(base.session, head.session) + _warnings(base.session, head.session),
    )
