"""The reporting side: gathers per-test clocks, turns them into energy and carbon once,
checks budgets, prints the summary and writes the report (also after a crash or Ctrl-C).

It also chooses the session's meter, and with the codecarbon meter begins the session's
one tracker, in a sidecar process, before its own clocks (its start overlaps collection),
waits for it before the first test, and stops it after its clocks.
"""

from __future__ import annotations

import os
import platform
import time
import warnings
from collections.abc import Generator, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ecolint.atomic import make_folder
from ecolint.config.energy import DEFAULT_ENERGY_REPORT, EnergySettings
from ecolint.energy.carbon import CarbonError, GridIntensity, grid_intensity
from ecolint.energy.gpu import WALL_SHARE, measured_gpu, shared_gpu
from ecolint.energy.meters import Method, RaplCounter, choose_meter, cpu_brand, cpu_time_model
from ecolint.energy.model import (
    J_PER_KWH,
    CodecarbonEnergy,
    EnergyReport,
    GpuEnergy,
    SessionEnergy,
    TestEnergy,
    per_test_figures,
)
from ecolint.scoring.energy_budgets import check_budgets
from pytest_ecolint import InstructionCountWarning, MeterWarning
from pytest_ecolint.recorder import MAXRSS_BYTES, Recorder
from pytest_ecolint.summary import summary_lines

if TYPE_CHECKING:
    from ecolint.energy.codecarbon_meter import CodecarbonMeter


def writable_path(value: str, what: str) -> Path:
    """``value`` as a path that ``what`` can be written to, its folder created; a usage
    error before the run otherwise, not a traceback after it."""
    path = Path(value)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir() or (folder.exists() and not (folder.is_dir() and os.access(folder, os.W_OK))):
        raise pytest.UsageError(f"ecolint: cannot write {what} to {value}")
    if not folder.exists():
        try:
            make_folder(folder)  # a new .eco/ gets its .gitignore
        except OSError as error:
            raise pytest.UsageError(
                f"ecolint: cannot write {what} to {value}: {error.strerror}"
            ) from error
    return path


def csv_targets(settings: EnergySettings) -> tuple[Path | None, Path | None]:
    """The ``emissions.csv`` and per-test CSV paths, each writable and with codecarbon's
    columns if it exists already: a usage error now rather than after the run."""
    if not (settings.csv or settings.csv_tests):
        return None, None
    from ecolint.energy.emissions_csv import (
        EMISSIONS_COLUMNS,
        TASK_COLUMNS,
        CsvError,
        check_header,
    )

    paths = []
    for value, columns, what in (
        (settings.csv, EMISSIONS_COLUMNS, "the emissions CSV"),
        (settings.csv_tests, TASK_COLUMNS, "the per-test CSV"),
    ):
        path = writable_path(value, what) if value else None
        if path is not None:
            try:
                check_header(path, columns)
            except CsvError as error:
                raise pytest.UsageError(f"ecolint: {error}") from error
        paths.append(path)
    return paths[0], paths[1]


def budget_figure(metric: str, method: Method) -> str:
    """What a budget's value is: CPU time, or ecolint's energy (the CPU-time model or
    RAPL, both shared by CPU time) and its carbon; never codecarbon's figure, whose RAM
    term is a flat power times wall time and moves with the machine's load."""
    if metric in ("cpu_s", "cpu_ms"):
        return "CPU time"
    energy = (
        "RAPL counters shared by CPU time (rapl)"
        if method.name == "rapl"
        else f"ecolint's CPU-time model ({method.name})"
    )
    return energy if metric == "energy_j" else f"{energy} x grid intensity"


class KeptReports:
    """The test reports, kept by us only when no terminal reporter keeps them."""

    def __init__(self) -> None:
        self.reports: list[pytest.TestReport] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.reports.append(report)


class EnergySession:
    def __init__(self, config: pytest.Config, settings: EnergySettings, recorder: Recorder) -> None:
        self.config = config
        self.recorder = recorder
        self.settings = settings
        try:
            self.grid: GridIntensity = grid_intensity(
                settings.country, settings.region, settings.grid_intensity
            )
            self.model: Method = cpu_time_model(settings.watts_per_thread)
        except (CarbonError, ValueError) as error:
            raise pytest.UsageError(f"ecolint: {error}") from error
        self.json_path = self._json_path(
            config.getoption("eco_json") or str(config.rootpath / DEFAULT_ENERGY_REPORT)
        )
        # --eco-csv and --eco-csv-tests: checked now, before the run, written at its end
        self.csv_paths = csv_targets(settings)
        self.rapl = None if settings.meter == "model" else RaplCounter.detect()
        self.meter = choose_meter(settings.meter, self.rapl is not None)
        if self.meter.name == "rapl" and self.rapl is None:
            raise pytest.UsageError(
                "ecolint: meter rapl: no RAPL counter is readable here (/sys/class/powercap "
                "absent, or its energy_uj readable by root only); use --eco-meter model or auto"
            )
        # Each test's clocks and counts, from this process or an xdist worker (sent through
        # execnet: untyped, ints from ``Recorder``).
        self.raw: dict[str, dict[str, Any]] = {}
        self.outcomes: dict[str, str] = {}
        self.workers: dict[str, int] = {}
        self.worker_of: dict[str, str] = {}  # the xdist worker that ran each test there
        self.memory_methods: set[str] = set()  # where the peaks come from, per process
        self.marker_budgets: dict[str, dict[str, object]] = {}
        self.report: EnergyReport | None = None
        self.kept = KeptReports()
        self.notes: list[str] = []  # precise mode: why some tests have no count
        self.codecarbon_record: dict[str, Any] | None = None  # codecarbon's own row
        self.codecarbon_failure: str | None = None  # why it gave no figures, if known
        # begun before ecolint's clocks, in a sidecar process while pytest collects; its
        # start-up (1-2 s: the wait for it) is not charged to the tests
        self.tracker = self._start_tracker() if self.meter.name == "codecarbon" else None
        self._notes_issued = 0  # the tracker's notes arrive when it is ready
        self._start = (time.perf_counter_ns(), time.process_time_ns())
        self._rapl_start = self.rapl.read() if self.rapl else None
        self._gpu_start = recorder.gpu.read_joules() if recorder.gpu is not None else None

    def _start_tracker(self) -> CodecarbonMeter:
        from ecolint.energy.codecarbon_meter import CodecarbonError
        from ecolint.energy.codecarbon_sidecar import SidecarMeter

        try:
            return SidecarMeter.launch(
                self.settings.country,
                self.settings.region,
                self.grid.g_per_kwh,
                psys=self.meter.psys,
                background=self.rapl is None,  # RAPL would count its start: before clocks
            )
        except CodecarbonError as error:
            raise pytest.UsageError(
                f"ecolint: meter codecarbon ({self.meter.reason}): {error}; "
                "--eco-meter model measures without it"
            ) from error

    def _tracker_startup_ns(self) -> tuple[int, int]:
        """Wait for the tracker's start (if any is under way); its (wall, CPU) ns that
        fell inside ecolint's clocks: the wait, and the start's CPU in this process."""
        if self.tracker is None:
            return 0, 0
        self.tracker.ready()
        for note in self.tracker.notes[self._notes_issued :]:
            self.config.issue_config_time_warning(MeterWarning(f"ecolint: {note}"), stacklevel=2)
        self._notes_issued = len(self.tracker.notes)
        return self.tracker.waited_ns, self.tracker.startup_cpu_ns

    def _missed_by_tracker(self, end: tuple[int, int]) -> dict[str, float] | None:
        """What of ecolint's session the tracker missed (it becomes ready during or after
        collection) and what it measured, in CPU and wall seconds, for its back-fill. Under
        xdist the workers' CPU counts as measured: no test runs before the tracker is
        ready, and their collection before it is not known apart."""
        tracker = self.tracker
        if tracker is None or tracker.started_at is None:
            return None
        ready_wall, ready_cpu = tracker.started_at
        return {  # nothing missed when it started before the clocks (no thread clocks)
            "wall_missed": max(ready_wall - self._start[0] - tracker.waited_ns, 0) / 1e9,
            "wall_measured": (end[0] - ready_wall) / 1e9,
            "cpu_missed": max(ready_cpu - self._start[1] - tracker.startup_cpu_ns, 0) / 1e9,
            "cpu_measured": (end[1] - ready_cpu + sum(self.workers.values())) / 1e9,
        }

    def _stop_tracker(
        self, g_per_j: float, before: dict[str, float] | None = None
    ) -> CodecarbonEnergy | None:
        tracker, self.tracker = self.tracker, None
        if tracker is None:
            return None
        figures = tracker.stop(g_per_j, before)
        self.codecarbon_record = tracker.record  # its own row, for --eco-csv
        self.codecarbon_failure = tracker.failure
        return figures

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        self._stop_tracker(0.0)  # a session that never finished: stop its threads

    @staticmethod
    def _json_path(value: str) -> Path:
        return writable_path(value, "the energy report")

    # -- collecting ------------------------------------------------------------------

    def add_worker(self, worker: str, output: dict[str, Any]) -> None:
        """What an xdist worker sent home: its CPU, its tests' clocks, their budget markers
        (the controller collects no tests, so it cannot read the markers itself)."""
        self.workers[worker] = output["ecolint_cpu_ns"]
        tests = output.get("ecolint_tests", {})
        self.raw.update(tests)
        self.worker_of.update(dict.fromkeys(tests, worker))
        self.marker_budgets.update(output.get("ecolint_budgets", {}))
        if output.get("ecolint_tests"):
            self.memory_methods.add(str(output.get("ecolint_memory_method")))

    # The outcomes are read once, at the end, from the reports the terminal reporter keeps
    # anyway: a hook of ours called for each of the three reports of every test cost more
    # than the two clocks (bench/eco_overhead.py). Without a terminal reporter
    # (``-p no:terminal``) a small hook keeps them instead.

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        if self.config.pluginmanager.get_plugin("terminalreporter") is None:
            self.config.pluginmanager.register(self.kept, "ecolint-reports")

    def _reports(self) -> Iterable[pytest.TestReport]:
        terminal = self.config.pluginmanager.get_plugin("terminalreporter")
        if terminal is None:
            return self.kept.reports
        return (  # "" holds the passed setups and teardowns: they decide no outcome
            r
            for category, kept in terminal.stats.items()
            if category
            for r in kept
            if isinstance(r, pytest.TestReport)
        )

    def _collect(self) -> None:
        self.raw.update(self.recorder.tests)  # tests run in this process: worker "main"
        failed_teardowns = []
        for report in self._reports():
            when = report.when
            if when == "call" or (when == "setup" and report.outcome != "passed"):
                self.outcomes[report.nodeid] = report.outcome
            elif when == "teardown" and report.outcome == "failed":
                failed_teardowns.append(report.nodeid)
        for nodeid in failed_teardowns:
            self.outcomes.setdefault(nodeid, "error")

    # -- finishing -------------------------------------------------------------------

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtestloop(self, session: pytest.Session) -> Generator[None, object, None]:
        self._tracker_startup_ns()  # the tracker measures from the first test (xdist: the
        # controller schedules no test before its loop runs)
        outcome = yield
        report = self.finish(complete=getattr(outcome, "excinfo", None) is None)
        if any(b.exceeded and b.level == "error" for b in report.budgets):
            session.testsfailed += 1  # makes the exit status 1, like --cov-fail-under

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        report = self.report or self.finish(complete=False)
        report.session.exitstatus = int(exitstatus)
        precise = any("precise" in values for values in self.raw.values())
        if report.session.complete and precise:  # after the figures: not the session's
            from pytest_ecolint.instructions import add_callgrind_counts

            self.notes = add_callgrind_counts(self.config, report, self.raw)
            for note in self.notes:  # also in the summary; a warning lets -W act on it
                warnings.warn(InstructionCountWarning(f"ecolint: {note}"), stacklevel=1)
        report.write(self.json_path)
        if any(self.csv_paths):
            self._write_csv(report)

    def _write_csv(self, report: EnergyReport) -> None:
        """codecarbon's ``emissions.csv`` row of the session, and its tests' rows."""
        from ecolint.energy.emissions_csv import (
            EMISSIONS_COLUMNS,
            TASK_COLUMNS,
            append_rows,
            per_test_rows,
            session_row,
        )

        row = session_row(
            report, self.settings.country, self.settings.region, self.codecarbon_record
        )
        session_csv, tests_csv = self.csv_paths
        if session_csv is not None:
            append_rows(session_csv, EMISSIONS_COLUMNS, [row])
        if tests_csv is not None:
            append_rows(tests_csv, TASK_COLUMNS, per_test_rows(report, row))

    def finish(self, complete: bool) -> EnergyReport:
        self._collect()
        startup_wall, startup_cpu = self._tracker_startup_ns()
        end = (time.perf_counter_ns(), time.process_time_ns())
        wall_ns = end[0] - self._start[0] - startup_wall
        own_cpu = end[1] - self._start[1] - startup_cpu
        rapl_end = self.rapl.read() if self.rapl is not None else None
        intensity = self.grid.g_per_kwh * self.settings.pue / J_PER_KWH  # g per J
        gpu_j = self._gpu_joules()
        # after ecolint's clocks, like its start
        codecarbon = self._stop_tracker(intensity, self._missed_by_tracker(end))
        reason = self.meter.reason
        if self.meter.name == "codecarbon" and codecarbon is None:
            reason += (
                f"; codecarbon gave no figures: {self.codecarbon_failure}"
                if self.codecarbon_failure
                else "; codecarbon gave no figures (it logs its errors at warning level: "
                "CODECARBON_LOG_LEVEL=warning shows them)"
            )
        cpu_s = (own_cpu + sum(self.workers.values())) / 1e9
        method, energy_j, rapl_j = self.model, self.model.joules(cpu_s), None
        if self.rapl is not None and self._rapl_start is not None and rapl_end is not None:
            rapl_j = self.rapl.delta(self._rapl_start, rapl_end)
            watts = rapl_j / cpu_s if cpu_s else 0.0
            method = Method(
                "rapl", "measured package energy, shared by CPU time", watts, "powercap"
            )
            energy_j = rapl_j
        low, high = method.joules_range(cpu_s)
        tests: dict[str, TestEnergy] = {}
        watts = method.watts_per_thread
        outcomes, worker_of = self.outcomes, self.worker_of
        for nodeid, raw in self.raw.items():  # once per test, with positional arguments
            cpu_ns = raw["cpu_ns"]  # ints, from Recorder (also through execnet)
            test_j, test_g = per_test_figures(cpu_ns, watts, intensity)  # as a reader will
            tests[nodeid] = test = TestEnergy(
                raw["wall_ns"],
                cpu_ns,
                test_j,
                test_g,
                outcomes.get(nodeid, "unknown"),
                worker_of.get(nodeid, "main"),
            )
            if "maxrss" in raw:
                test.peak_rss_bytes = raw["maxrss"] * MAXRSS_BYTES
                test.peak_rss_growth_bytes = raw["maxrss_growth"] * MAXRSS_BYTES
            if "instructions" in raw:  # counted by the PMU in the process that ran it
                test.instructions, test.instructions_method = raw["instructions"], "perf"
            if "gpu_j" in raw:
                test.gpu_j = raw["gpu_j"]
        gpu = self._gpu_energy(gpu_j, codecarbon, intensity)  # before codecarbon's spread
        if codecarbon is not None:
            from ecolint.energy.codecarbon_meter import spread

            times = {nodeid: (test.cpu_s, test.wall_s) for nodeid, test in tests.items()}
            for nodeid, shares in spread(codecarbon.components, times).items():
                tests[nodeid].codecarbon_j = shares
                if gpu is not None and gpu.per_test == WALL_SHARE:
                    tests[nodeid].gpu_j = shares["gpu"]
        embodied = self.settings.embodied_g_per_hour * wall_ns / 3.6e12
        gco2e = energy_j * intensity
        session = SessionEnergy(
            method=method.name,
            method_description=method.description,
            watts_per_thread=method.watts_per_thread,
            coefficient_source=method.source,
            zone=self.grid.zone,
            intensity_g_per_kwh=self.grid.g_per_kwh,
            intensity_source=self.grid.source,
            intensity_year=self.grid.year,
            pue=self.settings.pue,
            workers=max(len(self.workers), 1),
            python=platform.python_version(),
            cpu_brand=cpu_brand(),
            cpu_count=os.cpu_count() or 1,
            wall_s=wall_ns / 1e9,
            cpu_s=cpu_s,
            energy_j=energy_j,
            energy_j_low=low if rapl_j is None else energy_j,
            energy_j_high=high if rapl_j is None else energy_j,
            energy_kwh=energy_j / J_PER_KWH,
            gco2e=gco2e,
            embodied_g=embodied,
            sci_g_per_run=gco2e + embodied,
            tests=len(tests),
            complete=complete,
            rapl_session_j=rapl_j,
            meter=self.meter.name,
            meter_reason=reason,
            codecarbon=codecarbon,
            gpu=gpu,
            gpu_reason=self.recorder.gpu_reason,
            memory_method="; ".join(sorted(self._memory_methods())) or None,
        )
        budgets = check_budgets(
            session, tests, self.settings.budgets, {**self.recorder.budgets, **self.marker_budgets}
        )
        for budget in budgets:  # budgets stay on ecolint's figures, never codecarbon's
            budget.figure = budget_figure(budget.metric, method)
        self.report = EnergyReport(session, tests, budgets)
        return self.report

    def _memory_methods(self) -> set[str]:
        """Where the tests' peaks come from: this process's sampler if it ran tests, and
        each worker's."""
        own = {self.recorder.memory_method} if self.recorder.tests else set()
        return own | self.memory_methods

    def _gpu_joules(self) -> float | None:
        """The GPUs' joules since the session's clocks started, where a counter reads."""
        counter = self.recorder.gpu
        if counter is None or self._gpu_start is None:
            return None
        return counter.read_joules() - self._gpu_start

    def _gpu_energy(
        self, gpu_j: float | None, codecarbon: CodecarbonEnergy | None, g_per_j: float
    ) -> GpuEnergy | None:
        """Measured per test where a counter was read, else codecarbon's session figure
        shared by wall time, else none (``gpu_reason`` says why)."""
        if gpu_j is not None:
            return measured_gpu(gpu_j, self.recorder.gpu_reason, g_per_j)
        return shared_gpu(codecarbon, self.recorder.gpu_reason)

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.report is None:
            return
        terminalreporter.section("ecolint energy")
        top = self.config.getoption("eco_top")
        for line in summary_lines(self.report, top, self.notes):
            terminalreporter.write_line(line)
