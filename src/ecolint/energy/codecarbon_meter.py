"""The codecarbon meter: one ``OfflineEmissionsTracker`` for a whole pytest session, its
energy shared between the tests.

Imported only when that meter is on: importing codecarbon costs 80-145 ms and starting a
tracker about 1.6 s here, so plain pytest and ``--eco`` with the model never pay for it.
The plugin starts the tracker in the controller only (never in an xdist worker: in
process mode it already counts the workers, its children), before ecolint's own session
clocks start, and stops it after they stop. The start runs in a background thread while
pytest collects (most of it is py-cpuinfo's child process, on another core when one is
free), and the session waits for it before the first test: the tracker measures every
test, the start's CPU time and the wait are taken out of ecolint's session figures, so
the start-up is not charged to the tests, and the part of the session before the tracker
was ready (collection) is priced at the tracker's own rates (:func:`backfill`).

The tracker's start includes py-cpuinfo's CPU probe (a child interpreter timing the
clock, about 1.1 s of CPU, only to read the CPU's name). codecarbon 3.3 has no setting
that hands it the name: ``codecarbon.core.util.detect_cpu_model`` always calls
``cpuinfo.get_cpu_info()``, from ``cpu.TDP()``, unless it found RAPL, Power Gadget or the
Windows EMI first. Only patching py-cpuinfo would skip it, so the stock start is kept.
"""

from __future__ import annotations

import logging
import os
import threading
import time
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
    """A tracker, started or starting; :meth:`stop` gives its figures, or ``None`` if it
    gave none."""

    def __init__(self, tracker: Any, version: str) -> None:
        self.tracker = tracker
        self.version = version
        self._starting: threading.Thread | None = None
        self.startup_cpu_ns = 0  # CPU time of the background start (this process only)
        self.waited_ns = 0  # how long the session waited for it
        # (perf_counter_ns, process_time_ns) when the tracker began to measure
        self.started_at: tuple[int, int] | None = None
        self.notes: list[str] = []  # the configured outputs that do not run, and why
        # codecarbon's own record of the session (its EmissionsData), once stopped: the
        # row of --eco-csv
        self.record: dict[str, Any] | None = None

    def _start_in_background(self, background: bool = True) -> None:
        """Run the tracker's ``start()`` in a thread. Safe off the main thread in
        codecarbon 3.3: it installs no signal handler (only its lock file does, and
        ``allow_multiple_runs`` skips it, in the constructor anyway), it already probes
        the CPU and GPU in a thread pool of its own, its periodic work runs in
        ``threading.Timer`` threads, and py-cpuinfo's probe is a ``Popen``ed interpreter,
        not a fork of this multi-threaded process.

        The start's CPU time in this process is the process's CPU time during it less the
        caller's (which goes on collecting): codecarbon's pool threads are not the
        starting thread, so that thread's own clock would miss them. Where Python cannot
        read a thread's clock from another thread (no ``time.pthread_getcpuclockid``:
        Windows, and Unixes without it), the tracker starts here, before the session's
        clocks, as it always did.
        """
        if not (background and hasattr(time, "pthread_getcpuclockid")):
            self.tracker.start()  # codecarbon swallows its own errors: stop() tells
            self.started_at = (time.perf_counter_ns(), time.process_time_ns())
            return
        caller = time.pthread_getcpuclockid(threading.get_ident())

        def start() -> None:
            began = time.process_time_ns(), time.clock_gettime_ns(caller)
            try:
                self.tracker.start()  # codecarbon swallows its own errors: stop() tells
            finally:
                ended = time.process_time_ns(), time.clock_gettime_ns(caller)
                self.startup_cpu_ns = (ended[0] - began[0]) - (ended[1] - began[1])
                self.started_at = (time.perf_counter_ns(), ended[0])

        self._starting = threading.Thread(target=start, name="ecolint-codecarbon", daemon=True)
        self._starting.start()

    def ready(self) -> None:
        """Wait until the tracker has started: before the first test, so that it measures
        every test. Idempotent; adds the time waited to :attr:`waited_ns`."""
        if self._starting is None:
            return
        began = time.perf_counter_ns()
        self._starting.join()
        self.waited_ns += time.perf_counter_ns() - began
        self._starting = None

    @classmethod
    def start(
        cls,
        country: str | None,
        region: str | None,
        g_per_kwh: float,
        psys: bool = False,
        background: bool = True,
    ) -> CodecarbonMeter:
        """Construct the tracker with the session's grid, nothing written out, and begin
        its start in the background (:meth:`ready` waits for it), or start it here with
        ``background=False`` (the session reads RAPL: the package counters cannot tell the
        start's joules from collection's):

        - process tracking: this process and its children (xdist workers), not the
          neighbours' load (machine mode charged them to the tests);
        - the grid intensity forced to ecolint's, so both figures use one intensity; PUE 1,
          since ecolint applies the PUE to carbon, as for its own joules;
        - ``measure_power_secs=3600``: one measurement at stop (its 1-s power monitor
          still samples), no periodic work;
        - codecarbon's logger and Prometheus outputs when its own configuration asks for
          them (:mod:`ecolint.energy.codecarbon_outputs`), no other output;
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
        from ecolint.energy.codecarbon_outputs import tracker_outputs

        outputs = tracker_outputs()
        tracker = OfflineEmissionsTracker(
            country_iso_code=country.upper() if country else None,
            region=region,
            force_carbon_intensity_g_co2e_kwh=g_per_kwh,
            pue=1.0,
            tracking_mode="process",
            measure_power_secs=3600,
            log_level=level,
            allow_multiple_runs=True,
            rapl_prefer_psys=psys,
            **outputs.arguments,  # output_methods, logging_logger, project_name
        )
        meter = cls(tracker, __version__)
        meter.notes = outputs.notes
        meter._start_in_background(background)
        return meter

    def stop(
        self, g_per_j: float, before: Mapping[str, float] | None = None
    ) -> CodecarbonEnergy | None:
        """Stop the tracker; its figures priced at ``g_per_j`` (grid × PUE), or ``None``
        when it has none (its errors are swallowed and logged at warning level).

        ``before``: the part of ecolint's session the tracker missed, and the part it
        measured, as CPU and wall seconds (:func:`backfill`)."""
        self.ready()
        self.tracker.stop()
        data = getattr(self.tracker, "final_emissions_data", None)
        if data is None:
            return None
        self.record = dict(vars(data))  # as codecarbon's ``EmissionsData.values``
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
        if before:
            components = backfill(components, before)
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
            before_ready_s=before["wall_missed"] if before else 0.0,
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


def backfill(
    components: Mapping[str, MeterComponent], before: Mapping[str, float]
) -> dict[str, MeterComponent]:
    """Each component over ecolint's whole session, from what the tracker measured over
    its part of it. The tracker starts in the background while pytest collects, so it
    misses the start of the session (collection, unless collection outlasts the start):
    that part is priced at the tracker's own rates, following the rule the tests share
    the component by: CPU and GPU per CPU second, RAM per wall second. ``before`` holds
    ``cpu_missed``, ``cpu_measured``, ``wall_missed``, ``wall_measured`` (seconds)."""
    scaled = {}
    for name, component in components.items():
        by = component.spread_by
        missed, measured = before[f"{by}_missed"], before[f"{by}_measured"]
        factor = 1 + max(missed, 0.0) / measured if measured > 0 else 1.0
        scaled[name] = MeterComponent(
            component.energy_j * factor, component.power_w, component.method, by
        )
    return scaled


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
