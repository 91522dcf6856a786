"""The codecarbon meter: one ``OfflineEmissionsTracker`` for a whole pytest session, its
energy shared between the tests.

Imported only when that meter is on: importing codecarbon costs 80-145 ms and starting a
tracker about 1.6 s here, so plain pytest and ``--eco`` with the model never pay for it.
The plugin starts the tracker in the controller only (never in an xdist worker: in
process mode it already counts the workers, its children), before ecolint's own session
clocks start, so its start-up is not charged to the tests; it stops after they stop.

The tracker's start includes py-cpuinfo's CPU probe (a child interpreter timing the
clock, about 1.1 s of CPU, only to read the CPU's name). codecarbon 3.3 has no setting
that hands it the name: ``codecarbon.core.util.detect_cpu_model`` always calls
``cpuinfo.get_cpu_info()``, from ``cpu.TDP()``, unless it found RAPL, Power Gadget or the
Windows EMI first. Only patching py-cpuinfo would skip it, so the stock start is kept.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from ecolint.energy.model import CodecarbonEnergy, MeterComponent

J_PER_KWH = 3.6e6
COMPONENTS = ("cpu", "gpu", "ram")
# What each component's share between tests follows: the CPU and GPU work of a test goes
# with its CPU time; codecarbon's RAM term is a power times wall time, so wall time.
SPREAD_BY = {"cpu": "cpu", "gpu": "cpu", "ram": "wall"}


class CodecarbonError(RuntimeError):
    """The tracker could not start (codecarbon missing or broken)."""


class CodecarbonMeter:
    """A started tracker; :meth:`stop` gives its figures, or ``None`` if it gave none."""

    def __init__(self, tracker: Any, version: str) -> None:
        self.tracker = tracker
        self.version = version

    @classmethod
    def start(
        cls, country: str | None, region: str | None, g_per_kwh: float, psys: bool = False
    ) -> CodecarbonMeter:
        """Construct and start the tracker with the session's grid, nothing written out.

        - process tracking: this process and its children (xdist workers), not the
          neighbours' load (machine mode charged them to the tests);
        - the grid intensity forced to ecolint's, so both figures use one intensity; PUE 1,
          since ecolint applies the PUE to carbon, as for its own joules;
        - ``measure_power_secs=3600``: one measurement at stop (its 1-s power monitor
          still samples), no periodic work;
        - no output (codecarbon's CSV, logger and Prometheus outputs are not wired yet);
        - ``allow_multiple_runs``: another pytest session on the machine is no reason to
          refuse (codecarbon's lock file);
        - its log level from ``CODECARBON_LOG_LEVEL``, else errors only.
        """
        try:
            from codecarbon import OfflineEmissionsTracker, __version__
        except ImportError as error:
            raise CodecarbonError(f"cannot import codecarbon: {error}") from error
        level = os.environ.get("CODECARBON_LOG_LEVEL", "error").upper()
        level = level if level in logging.getLevelNamesMapping() else "ERROR"
        # set after its import (which sets INFO) and before construction, whose first
        # messages come before it applies ``log_level``
        logging.getLogger("codecarbon").setLevel(level)
        tracker = OfflineEmissionsTracker(
            country_iso_code=country.upper() if country else None,
            region=region,
            force_carbon_intensity_g_co2e_kwh=g_per_kwh,
            pue=1.0,
            tracking_mode="process",
            measure_power_secs=3600,
            output_methods=[],
            log_level=level,
            allow_multiple_runs=True,
            rapl_prefer_psys=psys,
            project_name="pytest",
        )
        tracker.start()  # codecarbon swallows its own errors: stop() tells
        return cls(tracker, __version__)

    def stop(self, g_per_j: float) -> CodecarbonEnergy | None:
        """Stop the tracker; its figures priced at ``g_per_j`` (grid × PUE), or ``None``
        when it has none (its errors are swallowed and logged at warning level)."""
        self.tracker.stop()
        data = getattr(self.tracker, "final_emissions_data", None)
        if data is None:
            return None
        methods = _methods(self.tracker)
        components = {
            name: MeterComponent(
                energy_j=float(getattr(data, f"{name}_energy")) * J_PER_KWH,
                power_w=float(getattr(data, f"{name}_power")),
                method=methods[name],
                spread_by=SPREAD_BY[name],
            )
            for name in COMPONENTS
        }
        energy_j = sum(component.energy_j for component in components.values())
        return CodecarbonEnergy(
            version=self.version,
            tracking_mode=str(data.tracking_mode),
            wall_s=float(data.duration),
            energy_j=energy_j,
            gco2e=energy_j * g_per_j,
            cpu_model=str(data.cpu_model or ""),
            gpu_model=str(data.gpu_model or ""),
            components=components,
        )


def _methods(tracker: Any) -> dict[str, str]:
    """Each component's method as codecarbon names it ("CPU Tracking Method: cpu_load" in
    its log). codecarbon keeps these names only in its process-wide hardware cache, which
    is private: if a release moves it, the methods read "unknown" and the figures stay."""
    try:
        from codecarbon.core import hardware_cache

        plan = hardware_cache._plans[hardware_cache.make_key(tracker)]
        return {"cpu": plan.cpu_tracker, "gpu": plan.gpu_tracker, "ram": plan.ram_tracker}
    except Exception:  # a private structure: any change is "unknown", never a failure
        return dict.fromkeys(COMPONENTS, "unknown")


def spread(
    components: Mapping[str, MeterComponent], tests: Mapping[str, tuple[float, float]]
) -> dict[str, dict[str, float]]:
    """Each test's share of each component, from its (CPU s, wall s): by CPU time or by
    wall time as the component says, so the tests' shares sum to the session's figure
    (collection and the other work between tests included, pro rata). When the tests used
    no CPU time at all, CPU shares follow wall time; with no time at all, equal shares."""
    totals = {
        "cpu": sum(cpu for cpu, _ in tests.values()),
        "wall": sum(wall for _, wall in tests.values()),
    }
    shares: dict[str, dict[str, float]] = {nodeid: {} for nodeid in tests}
    for name, component in components.items():
        by = component.spread_by if totals[component.spread_by] > 0 else "wall"
        total = totals[by]
        index = 0 if by == "cpu" else 1
        for nodeid, times in tests.items():
            share = times[index] / total if total > 0 else 1 / len(tests)
            shares[nodeid][name] = component.energy_j * share
    return shares
