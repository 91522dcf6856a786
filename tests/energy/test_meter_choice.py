"""Which meter a session uses (``--eco-meter``), the spread of codecarbon's session figure
over the tests, and reports of version 1 still read."""

from __future__ import annotations

import json
import os
import sys
import threading

import pytest

from ecolint.energy.codecarbon_meter import spread
from ecolint.energy.meters import (
    AMD_DEVICE,
    NVIDIA_DEVICE,
    choose_meter,
    rapl_psys_readable,
    visible_gpu,
)
from ecolint.energy.model import MeterComponent
from ecolint.energy.reading import load_report


def never() -> None:
    raise AssertionError("probed the machine for a meter that was asked for")


def test_a_meter_asked_for_is_the_meter_without_probing_for_a_gpu():
    for asked in ("model", "rapl"):
        choice = choose_meter(asked, rapl_readable=False, gpu=never, psys=never)
        assert (choice.name, choice.reason) == (asked, "asked for")
    choice = choose_meter("codecarbon", rapl_readable=False, gpu=never, psys=lambda: True)
    assert choice.name == "codecarbon" and choice.psys  # codecarbon is told to read psys


@pytest.mark.parametrize(
    ("system", "gpu", "psys", "reason"),
    [
        ("darwin", None, False, "auto: macOS"),
        ("win32", None, False, "auto: Windows"),
        ("linux", "NVIDIA GPU (NVML)", False, "auto: NVIDIA GPU (NVML)"),
        ("linux", "AMD GPU (amdsmi)", False, "auto: AMD GPU (amdsmi)"),
        ("linux", None, True, "auto: RAPL psys"),
    ],
)
def test_auto_picks_codecarbon_where_it_measures_what_ecolint_cannot(system, gpu, psys, reason):
    choice = choose_meter(
        "auto", rapl_readable=False, system=system, gpu=lambda: gpu, psys=lambda: psys
    )
    assert (choice.name, choice.reason, choice.psys) == ("codecarbon", reason, psys)


def test_auto_on_cpu_only_linux_is_rapl_where_it_counts_else_the_model():
    def choose(rapl: bool) -> str:
        return choose_meter(
            "auto", rapl_readable=rapl, system="linux", gpu=lambda: None, psys=lambda: False
        ).name

    assert (choose(True), choose(False)) == ("rapl", "model")


@pytest.mark.skipif(
    sys.platform != "linux" or os.path.exists(NVIDIA_DEVICE) or os.path.exists(AMD_DEVICE),
    reason="for a CPU-only Linux machine (ecolint's development VM, hosted CI runners)",
)
def test_a_cpu_only_linux_machine_has_no_gpu_and_no_psys_so_auto_adds_nothing():
    assert visible_gpu() is None and rapl_psys_readable() is False
    assert choose_meter("auto", rapl_readable=False).name == "model"


def test_a_psys_zone_is_found_by_its_name_and_must_be_readable(tmp_path):
    package, psys = tmp_path / "intel-rapl:0", tmp_path / "intel-rapl:1"
    for zone, name in ((package, "package-0"), (psys, "psys")):
        zone.mkdir()
        (zone / "name").write_text(f"{name}\n")
        (zone / "energy_uj").write_text("12345\n")
    assert rapl_psys_readable(str(tmp_path))
    (psys / "energy_uj").unlink()  # what a non-root user meets: no readable counter
    assert not rapl_psys_readable(str(tmp_path))


def component(joules: float, by: str) -> MeterComponent:
    return MeterComponent(energy_j=joules, power_w=1.0, method="m", spread_by=by)


def test_cpu_and_gpu_follow_cpu_time_and_ram_wall_time_and_the_shares_sum_to_the_session():
    components = {"cpu": component(6.0, "cpu"), "gpu": component(3.0, "cpu")}
    components["ram"] = component(10.0, "wall")
    tests = {"a": (0.3, 1.0), "b": (0.1, 3.0)}  # (CPU s, wall s)
    shares = spread(components, tests)
    assert shares["a"] == pytest.approx({"cpu": 4.5, "gpu": 2.25, "ram": 2.5})
    assert shares["b"] == pytest.approx({"cpu": 1.5, "gpu": 0.75, "ram": 7.5})
    for name, part in components.items():
        assert sum(test[name] for test in shares.values()) == pytest.approx(part.energy_j)


def test_tests_without_cpu_time_share_by_wall_time_and_without_any_time_equally():
    cpu = {"cpu": component(4.0, "cpu")}
    assert spread(cpu, {"a": (0.0, 1.0), "b": (0.0, 3.0)}) == {"a": {"cpu": 1.0}, "b": {"cpu": 3.0}}
    assert spread(cpu, {"a": (0.0, 0.0), "b": (0.0, 0.0)}) == {"a": {"cpu": 2.0}, "b": {"cpu": 2.0}}
    assert spread(cpu, {}) == {}


V1_REPORT = {
    "version": 1,
    "tool": {"name": "ecolint", "version": "0.1.0"},
    "session": {
        "method": "model:cpu-time",
        "method_description": "energy = CPU seconds x watts per busy thread",
        "watts_per_thread": 4.0,
        "coefficient_source": "configured",
        "zone": "configured",
        "intensity_g_per_kwh": 100.0,
        "intensity_source": "configured",
        "intensity_year": None,
        "pue": 1.0,
        "workers": 1,
        "python": "3.11.7",
        "cpu_brand": "AMD EPYC",
        "cpu_count": 2,
        "wall_s": 1.0,
        "cpu_s": 0.5,
        "energy_j": 2.0,
        "energy_j_low": 0.8,
        "energy_j_high": 2.0,
        "energy_kwh": 2.0 / 3.6e6,
        "gco2e": 5.6e-5,
        "embodied_g": 0.0,
        "sci_g_per_run": 5.6e-5,
        "tests": 1,
        "complete": True,
        "exitstatus": 0,
        "rapl_session_j": None,
    },
    "tests": {
        "test_a.py::test_it": {
            "wall_s": 0.4,
            "cpu_s": 0.3,
            "energy_j": 1.2,
            "gco2e": 3.3e-5,
            "outcome": "passed",
            "worker": "main",
        }
    },
    "budgets": [],
    "comparison": None,
}


def test_a_version_1_report_still_reads_with_no_meter(tmp_path):
    path = tmp_path / "v1.json"
    path.write_text(json.dumps(V1_REPORT))
    report = load_report(path)
    assert report.session.meter is None and report.session.codecarbon is None
    assert report.tests["test_a.py::test_it"].codecarbon_j is None
    assert report.session.energy_j == 2.0


class FakeTracker:
    """What the meter reads of a stopped codecarbon tracker, nothing more."""

    def __init__(self, data: object | None) -> None:
        if data is not None:
            self.final_emissions_data = data
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


def test_codecarbons_kwh_become_joules_per_component_priced_at_the_sessions_grid():
    from types import SimpleNamespace

    from ecolint.energy.codecarbon_meter import CodecarbonMeter

    data = SimpleNamespace(
        cpu_energy=1e-6, gpu_energy=0.0, ram_energy=3e-6,  # kWh, as codecarbon gives them
        cpu_power=2.0, gpu_power=0.0, ram_power=10.0,
        tracking_mode="process", duration=1.5, cpu_model="AMD EPYC", gpu_model="",
    )  # fmt: skip
    tracker = FakeTracker(data)
    figures = CodecarbonMeter(tracker, "3.3.2").stop(g_per_j=1e-4)
    assert tracker.stopped and figures is not None
    assert figures.components["cpu"].energy_j == pytest.approx(3.6)
    assert figures.components["ram"].energy_j == pytest.approx(10.8)
    assert figures.energy_j == pytest.approx(14.4) and figures.gco2e == pytest.approx(14.4e-4)
    # not a tracker codecarbon set up: its methods are unknown, the figures stay
    assert {part.method for part in figures.components.values()} == {"unknown"}
    assert (figures.components["ram"].spread_by, figures.components["gpu"].spread_by) == (
        "wall",
        "cpu",
    )


def test_a_tracker_that_swallowed_its_error_gives_no_figures():
    from ecolint.energy.codecarbon_meter import CodecarbonMeter

    assert CodecarbonMeter(FakeTracker(None), "3.3.2").stop(g_per_j=1e-4) is None


class StartingTracker(FakeTracker):
    """A tracker whose start blocks until released, and remembers its thread."""

    def __init__(self, data: object | None) -> None:
        super().__init__(data)
        self.thread: threading.Thread | None = None
        self.release = threading.Event()

    def start(self) -> None:
        self.thread = threading.current_thread()
        self.release.wait(10)


def test_the_tracker_starts_off_the_main_thread_and_ready_waits_for_it():
    from ecolint.energy.codecarbon_meter import CodecarbonMeter

    tracker = StartingTracker(None)
    meter = CodecarbonMeter(tracker, "3.3.2")
    meter._start_in_background()
    assert meter.started_at is None  # the caller goes on (pytest collects) meanwhile
    tracker.release.set()
    meter.ready()
    meter.ready()  # idempotent: the session may ask again at its end
    assert tracker.thread is not None and tracker.thread is not threading.main_thread()
    assert meter.started_at is not None and meter.waited_ns >= 0
    assert meter.startup_cpu_ns >= 0


def test_stop_waits_for_a_start_still_under_way():
    from ecolint.energy.codecarbon_meter import CodecarbonMeter

    tracker = StartingTracker(None)
    meter = CodecarbonMeter(tracker, "3.3.2")
    meter._start_in_background()
    threading.Timer(0.05, tracker.release.set).start()
    assert meter.stop(g_per_j=1e-4) is None  # no figures from this fake, but stopped after
    assert tracker.stopped and meter.started_at is not None


def test_the_part_of_the_session_before_the_tracker_was_ready_is_priced_at_its_rates():
    from ecolint.energy.codecarbon_meter import backfill

    components = {"cpu": component(2.0, "cpu"), "gpu": component(0.0, "cpu")}
    components["ram"] = component(10.0, "wall")
    before = {"cpu_missed": 1.0, "cpu_measured": 2.0, "wall_missed": 0.5, "wall_measured": 1.0}
    scaled = backfill(components, before)
    assert {name: part.energy_j for name, part in scaled.items()} == pytest.approx(
        {"cpu": 3.0, "gpu": 0.0, "ram": 15.0}
    )
    assert (scaled["ram"].spread_by, scaled["ram"].power_w) == ("wall", 1.0)
    # nothing measured, or a clock that says the tracker was ready first: no change
    nothing = {"cpu_missed": 1.0, "cpu_measured": 0.0, "wall_missed": -0.1, "wall_measured": 1.0}
    assert {n: p.energy_j for n, p in backfill(components, nothing).items()} == {
        "cpu": 2.0,
        "gpu": 0.0,
        "ram": 10.0,
    }


def test_a_back_filled_session_says_how_long_the_tracker_was_not_ready():
    from types import SimpleNamespace

    from ecolint.energy.codecarbon_meter import CodecarbonMeter

    data = SimpleNamespace(
        cpu_energy=1e-6, gpu_energy=0.0, ram_energy=1e-6,
        cpu_power=2.0, gpu_power=0.0, ram_power=10.0,
        tracking_mode="process", duration=1.0, cpu_model="", gpu_model="",
    )  # fmt: skip
    before = {"cpu_missed": 1.0, "cpu_measured": 1.0, "wall_missed": 0.25, "wall_measured": 1.0}
    figures = CodecarbonMeter(FakeTracker(data), "3.3.2").stop(g_per_j=0.0, before=before)
    assert figures is not None and figures.before_ready_s == 0.25
    assert figures.energy_j == pytest.approx(3.6 * 2 + 3.6 * 1.25)


IMPORTS_CONFTEST = """
import sys
from pathlib import Path


def pytest_unconfigure(config):
    heavy = sorted({"codecarbon", "pandas", "pynvml", "amdsmi"} & set(sys.modules))
    (Path(__file__).parent / "imported.txt").write_text(" ".join(heavy))
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    "options",
    [(), ("--eco", "--eco-meter", "model", "--eco-json", "eco.json")],
    ids=["plain", "model"],
)
def test_plain_pytest_and_the_model_meter_import_neither_codecarbon_nor_pandas(
    pytester, monkeypatch, options
):
    """The energy extra's heavy part (codecarbon pulls pandas: 0.3-0.4 s, +60 MiB) stays
    off the start-up path unless the codecarbon meter runs."""
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)  # as if a worker otherwise
    pytester.makeconftest(IMPORTS_CONFTEST)
    pytester.makepyfile(test_one="def test_it():\n    pass\n")
    result = pytester.runpytest_subprocess(*options)
    result.assert_outcomes(passed=1)
    assert (pytester.path / "imported.txt").read_text() == ""


def test_a_session_that_reads_rapl_starts_the_tracker_before_its_clocks_not_in_a_thread():
    from ecolint.energy.codecarbon_meter import CodecarbonMeter

    tracker = StartingTracker(None)
    tracker.release.set()
    meter = CodecarbonMeter(tracker, "3.3.2")
    meter._start_in_background(background=False)
    assert tracker.thread is threading.current_thread() and meter.started_at is not None
    meter.ready()
    assert (meter.waited_ns, meter.startup_cpu_ns) == (0, 0)
