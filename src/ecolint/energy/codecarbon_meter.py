"""The codecarbon meter: one ``OfflineEmissionsTracker`` for a whole pytest session, its
energy shared between the tests.

Imported only when that meter is on, so plain pytest and ``--eco`` with the model never
pay for it. The tracker runs in a sidecar process (:mod:`ecolint.energy.codecarbon_sidecar`,
started by the controller only: in process mode it counts the workers, pytest's children),
so the pytest process imports neither codecarbon nor pandas: in it, every full garbage
collection walked pandas' objects (+10-14 % on an allocation-heavy test), and the start
(pandas, py-cpuinfo's probe) ran inside pytest. This module builds the tracker (in the
sidecar), keeps the tracker in this process where the sidecar cannot track pytest
(:class:`CodecarbonMeter`: the fallback), and turns codecarbon's record into the session's
figures, spread over the tests.

The sidecar starts in ``pytest_configure``, so its start overlaps collection, and the
session waits for it before the first test: the tracker measures every test, the wait is
taken out of ecolint's session figures, and the part of the session before it was ready
(collection) is priced at the tracker's own rates (:func:`backfill`). Not waiting would
save 0.3 s on ``examples/`` but make the tests 1.18x slower (CPU) while the sidecar starts
beside them, and leave a suite shorter than the start unmeasured. Measured on this 2-vCPU
VM at load 2.6-5.5, ``bench/eco_meter_overhead.py`` (9-15 alternated pairs against
``--eco-meter model``, median and IQR): per session +1.91 s (1.82-2.17) to +2.15 s
(1.96-2.38) of wall time on ``examples/``, +1.81 s (1.54-2.28) on 200 x 5 ms tests,
0.2-0.5 s less than the tracker in pytest's process in the same rounds, +1.3-1.5 s of CPU
(the sidecar's); per test nothing in pytest's process (no monitor thread; as many objects
for the collector as with the model meter: 35,695 against 35,445-35,514, 84,690 with the
tracker in process), the tests' CPU 0.97x (0.89-0.99) on 200 x 5 ms tests.

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
from typing import TYPE_CHECKING, Any

from ecolint.energy.model import CodecarbonEnergy, MeterComponent

if TYPE_CHECKING:
    from ecolint.energy.codecarbon_outputs import TrackerOutputs

J_PER_KWH = 3.6e6
COMPONENTS = ("cpu", "gpu", "ram")
# What each component's share between tests follows: the CPU and GPU work of a test goes
# with its CPU time; codecarbon's RAM term is a power times wall time, so wall time.
SPREAD_BY = {"cpu": "cpu", "gpu": "cpu", "ram": "wall"}


class CodecarbonError(RuntimeError):
    """The tracker could not start (codecarbon missing or broken)."""


class CodecarbonMeter:
    """A tracker in this process, started or starting; :meth:`stop` gives its figures, or
    ``None`` if it gave none. The session's meter is its subclass
    :class:`ecolint.energy.codecarbon_sidecar.SidecarMeter`, whose tracker runs in a
    sidecar process; this class runs it here where the sidecar cannot."""

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
        self.failure: str | None = None  # why it gave no figures, when that is known

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
        """Construct the tracker (:func:`build_tracker`) and begin its start in the
        background (:meth:`ready` waits for it), or start it here with
        ``background=False`` (the session reads RAPL: the package counters cannot tell the
        start's joules from collection's)."""
        tracker, version, outputs = build_tracker(country, region, g_per_kwh, psys)
        meter = cls(tracker, version)
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
        record, methods = self._stop()
        if record is None:
            return None
        self.record = record
        return figures(record, methods, self.version, g_per_j, before)

    def _stop(self) -> tuple[dict[str, Any] | None, dict[str, str]]:
        """Stop the tracker: codecarbon's record of the session (its ``EmissionsData``
        as a dict) or ``None``, and each component's method."""
        self.tracker.stop()
        data = getattr(self.tracker, "final_emissions_data", None)
        if data is None:
            return None, {}
        return dict(vars(data)), _methods(self.tracker)  # as ``EmissionsData.values``


def build_tracker(
    country: str | None, region: str | None, g_per_kwh: float, psys: bool = False
) -> tuple[Any, str, TrackerOutputs]:
    """The session's tracker, not started; codecarbon's version; its outputs (those that
    do not run, and why, in ``notes``). Its settings:

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
    return tracker, __version__, outputs


def figures(
    record: Mapping[str, Any],
    methods: Mapping[str, str],
    version: str,
    g_per_j: float,
    before: Mapping[str, float] | None = None,
) -> CodecarbonEnergy:
    """The session's figures from codecarbon's record (kWh per component, W, its span),
    priced at ``g_per_j``; back-filled with ``before`` (:func:`backfill`)."""
    components = {
        name: MeterComponent(
            energy_j=float(record[f"{name}_energy"]) * J_PER_KWH,
            power_w=float(record[f"{name}_power"]),
            method=methods.get(name, "unknown"),
            spread_by=SPREAD_BY[name],
        )
        for name in COMPONENTS
    }
    if before:
        components = backfill(components, before)
    energy_j = sum(component.energy_j for component in components.values())
    return CodecarbonEnergy(
        version=version,
        tracking_mode=str(record["tracking_mode"]),
        wall_s=float(record["duration"]),
        energy_j=energy_j,
        gco2e=energy_j * g_per_j,
        cpu_model=str(record.get("cpu_model") or ""),
        gpu_model=str(record.get("gpu_model") or ""),
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
