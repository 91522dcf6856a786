"""The reporting side: gathers per-test clocks, turns them into energy and carbon once,
checks budgets, prints the summary and writes the report (also after a crash or Ctrl-C).

It also chooses the session's meter, and with the codecarbon meter starts the session's
one tracker before its own clocks and stops it after them.
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Generator, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ecolint.config.energy import DEFAULT_ENERGY_REPORT, EnergySettings
from ecolint.energy.carbon import CarbonError, GridIntensity, grid_intensity
from ecolint.energy.meters import Method, RaplCounter, choose_meter, cpu_brand, cpu_time_model
from ecolint.energy.model import CodecarbonEnergy, EnergyReport, SessionEnergy, TestEnergy
from ecolint.scoring.energy_budgets import check_budgets
from pytest_ecolint.recorder import Recorder
from pytest_ecolint.summary import summary_lines

if TYPE_CHECKING:
    from ecolint.energy.codecarbon_meter import CodecarbonMeter

J_PER_KWH = 3.6e6


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
        self.marker_budgets: dict[str, dict[str, object]] = {}
        self.report: EnergyReport | None = None
        self.kept = KeptReports()
        self.notes: list[str] = []  # precise mode: why some tests have no count
        # started before ecolint's clocks: its 1-2 s start-up is not charged to the tests
        self.tracker = self._start_tracker() if self.meter.name == "codecarbon" else None
        self._start = (time.perf_counter_ns(), time.process_time_ns())
        self._rapl_start = self.rapl.read() if self.rapl else None

    def _start_tracker(self) -> CodecarbonMeter:
        from ecolint.energy.codecarbon_meter import CodecarbonError, CodecarbonMeter

        try:
            return CodecarbonMeter.start(
                self.settings.country,
                self.settings.region,
                self.grid.g_per_kwh,
                psys=self.meter.psys,
            )
        except CodecarbonError as error:
            raise pytest.UsageError(
                f"ecolint: meter codecarbon ({self.meter.reason}): {error}; "
                "--eco-meter model measures without it"
            ) from error

    def _stop_tracker(self, g_per_j: float) -> CodecarbonEnergy | None:
        tracker, self.tracker = self.tracker, None
        return tracker.stop(g_per_j) if tracker is not None else None

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        self._stop_tracker(0.0)  # a session that never finished: stop its threads

    @staticmethod
    def _json_path(value: str) -> Path:
        path = Path(value)
        folder = path.parent if str(path.parent) else Path(".")
        if path.is_dir() or (folder.exists() and not os.access(folder, os.W_OK)):
            raise pytest.UsageError(f"ecolint: cannot write the energy report to {value}")
        if not folder.exists():
            try:
                folder.mkdir(parents=True)
            except OSError as error:
                raise pytest.UsageError(
                    f"ecolint: cannot write the energy report to {value}: {error.strerror}"
                ) from error
        return path

    # -- collecting ------------------------------------------------------------------

    def add_worker(self, worker: str, output: dict[str, Any]) -> None:
        """What an xdist worker sent home: its CPU, its tests' clocks, their budget markers
        (the controller collects no tests, so it cannot read the markers itself)."""
        self.workers[worker] = output["ecolint_cpu_ns"]
        for nodeid, values in output.get("ecolint_tests", {}).items():
            self.raw[nodeid] = {**values, "worker": worker}
        self.marker_budgets.update(output.get("ecolint_budgets", {}))

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
        for nodeid, values in self.recorder.tests.items():  # tests run in this process
            self.raw[nodeid] = {**values, "worker": "main"}
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
        report.write(self.json_path)

    def finish(self, complete: bool) -> EnergyReport:
        self._collect()
        wall_ns = time.perf_counter_ns() - self._start[0]
        own_cpu = time.process_time_ns() - self._start[1]
        rapl_end = self.rapl.read() if self.rapl is not None else None
        intensity = self.grid.g_per_kwh * self.settings.pue / J_PER_KWH  # g per J
        codecarbon = self._stop_tracker(intensity)  # after ecolint's clocks, like its start
        reason = self.meter.reason
        if self.meter.name == "codecarbon" and codecarbon is None:
            reason += (
                "; codecarbon gave no figures (it logs its errors at warning level: "
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
        for nodeid, raw in self.raw.items():  # once per test: each figure computed once
            test_cpu_s = int(raw["cpu_ns"]) / 1e9
            test_j = method.joules(test_cpu_s)
            tests[nodeid] = test = TestEnergy(
                wall_s=int(raw["wall_ns"]) / 1e9,
                cpu_s=test_cpu_s,
                energy_j=test_j,
                gco2e=test_j * intensity,
                outcome=self.outcomes.get(nodeid, "unknown"),
                worker=str(raw["worker"]),
            )
            if "instructions" in raw:  # counted by the PMU in the process that ran it
                test.instructions, test.instructions_method = raw["instructions"], "perf"
        if codecarbon is not None:
            from ecolint.energy.codecarbon_meter import spread

            times = {nodeid: (test.cpu_s, test.wall_s) for nodeid, test in tests.items()}
            for nodeid, shares in spread(codecarbon.components, times).items():
                tests[nodeid].codecarbon_j = shares
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
        )
        budgets = check_budgets(
            session, tests, self.settings.budgets, {**self.recorder.budgets, **self.marker_budgets}
        )
        self.report = EnergyReport(session, tests, budgets)
        return self.report

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.report is None:
            return
        terminalreporter.section("ecolint energy")
        top = self.config.getoption("eco_top")
        for line in summary_lines(self.report, top, self.notes):
            terminalreporter.write_line(line)
