"""``pytest --eco --eco-meter``: the real codecarbon tracker, one per session, and ``auto``.

Each run is a pytest subprocess (pytester): the tracker's threads, its logger and
codecarbon's process-wide hardware cache stay out of the process running these tests. The
tracker runs in a sidecar process (``ecolint.energy.codecarbon_sidecar``): code meant for
it goes in a file named by ``ECOLINT_SIDECAR_PRELOAD``, which the sidecar runs first.
"""

from __future__ import annotations

import sys
from importlib.metadata import version
from importlib.util import find_spec

import pytest

from ecolint.energy.codecarbon_sidecar import PRELOAD_ENV
from ecolint.energy.meters import RaplCounter, rapl_psys_readable, visible_gpu
from ecolint.energy.reading import load_report
from helpers import read_energy_report, require_component


@pytest.fixture(autouse=True)
def codecarbon_installed() -> None:
    """Skip locally without codecarbon; in CI (which installs the energy extra) fail."""
    require_component(
        find_spec("codecarbon") is not None, "codecarbon", "pip install -e '.[energy]'"
    )


SUITE = """
import hashlib
import time


def burn(n):
    for _ in range(n):
        hashlib.sha256(b"x" * 100).digest()


def test_busy():
    burn(60000)


def test_waits():
    time.sleep(0.3)


def test_light():
    burn(100)
"""

# Counts the trackers that start, in every process of the run (controller, workers, and
# the sidecar, which runs it as its preload), by wrapping codecarbon's own start.
COUNTING_CONFTEST = """
import os
from pathlib import Path

from codecarbon.emissions_tracker import BaseEmissionsTracker

HERE = Path(__file__).parent
ROLE = os.environ.get("PYTEST_XDIST_WORKER") or (
    "sidecar" if __name__ == "<run_path>" else "controller"
)
_start = BaseEmissionsTracker.start


def counted_start(self):
    with open(HERE / "trackers.txt", "a") as out:
        out.write(f"{os.getpid()} {os.getppid()} {ROLE}\\n")
    return _start(self)


BaseEmissionsTracker.start = counted_start


def pytest_configure(config):
    if ROLE == "controller":
        (HERE / "controller.txt").write_text(str(os.getpid()))
"""

COMPONENTS = {"cpu", "gpu", "ram"}


@pytest.fixture(autouse=True)
def not_an_xdist_worker(monkeypatch):
    """When these tests run under xdist themselves, the pytest runs they start would
    inherit the worker's name, as if they were workers too."""
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)


def run_eco(pytester: pytest.Pytester, *options: str) -> dict:
    pytester.makepyfile(test_suite=SUITE)
    result = pytester.runpytest_subprocess(
        "--eco", "--eco-country", "FRA", "--eco-json", "eco.json", *options
    )
    result.assert_outcomes(passed=3)
    document = read_energy_report(pytester.path / "eco.json")
    document["stdout"] = result.stdout
    return document


def assert_tests_share_the_whole_session(document: dict) -> None:
    components = document["session"]["codecarbon"]["components"]
    tests = document["tests"].values()
    for name, part in components.items():
        shared = sum(test["codecarbon_j"][name] for test in tests)
        assert shared == pytest.approx(part["energy_j"], rel=1e-9, abs=1e-12), name


@pytest.mark.slow
def test_the_codecarbon_meter_reports_each_component_with_codecarbons_version_and_method(
    pytester,
):
    document = run_eco(pytester, "--eco-meter", "codecarbon")
    assert document["version"] == 3
    session = document["session"]
    assert (session["meter"], session["meter_reason"]) == ("codecarbon", "asked for")
    assert session["method"] == "model:cpu-time"  # ecolint's own figure stays, beside it
    codecarbon = session["codecarbon"]
    assert codecarbon["version"] == version("codecarbon")
    assert codecarbon["tracking_mode"] == "process"
    parts = codecarbon["components"]
    assert set(parts) == COMPONENTS
    # codecarbon 3.3's names for what it does on a CPU-only VM without RAPL
    assert parts["cpu"]["method"] == "cpu_load"
    assert parts["ram"]["method"] == "RAM power estimation model"
    assert (parts["gpu"]["energy_j"], parts["gpu"]["method"]) == (0.0, "Unspecified")
    assert parts["ram"]["energy_j"] > 0 and parts["cpu"]["energy_j"] > 0
    assert {p["spread_by"] for p in parts.values()} == {"cpu", "wall"}
    assert codecarbon["energy_j"] == pytest.approx(sum(p["energy_j"] for p in parts.values()))
    assert codecarbon["gco2e"] == pytest.approx(codecarbon["energy_j"] * 56.039 / 3.6e6, rel=1e-3)
    # begun before ecolint's clocks, ready before the first test, stopped after the last:
    # it measured every test; the part of the session before it was ready is back-filled
    tests_wall = sum(test["wall_s"] for test in document["tests"].values())
    assert codecarbon["wall_s"] >= tests_wall
    assert 0 <= codecarbon["before_ready_s"] < session["wall_s"]
    assert_tests_share_the_whole_session(document)
    tests = {nodeid.split("::")[1]: test for nodeid, test in document["tests"].items()}
    # the sleeping test used little CPU but its wall time carries RAM energy
    assert tests["test_waits"]["codecarbon_j"]["ram"] > tests["test_busy"]["codecarbon_j"]["ram"]
    assert tests["test_busy"]["codecarbon_j"]["cpu"] > tests["test_waits"]["codecarbon_j"]["cpu"]
    document["stdout"].fnmatch_lines(
        [
            "codecarbon 3.* (asked for; process tracking, one tracker for the session, * s):"
            " * J, *CO2e; the figures above stay ecolint's (budgets use them)",
            "  CPU * J  cpu_load, * W mean; tests share it by CPU time",
            "  GPU * J  Unspecified: no GPU, 0 W mean; tests share it by CPU time",
            "  RAM * J  RAM power estimation model, * W mean; tests share it by wall time",
            "top 3 tests by energy:",
            "  * J  * ms CPU  codecarbon * J  test_suite.py::*",
        ]
    )
    report = load_report(pytester.path / "eco.json")  # the report reads back
    assert report.session.codecarbon is not None
    assert report.session.codecarbon.components["ram"].method == "RAM power estimation model"


@pytest.mark.slow
def test_under_xdist_exactly_one_tracker_starts_in_the_controller(pytester, monkeypatch):
    require_component(find_spec("xdist") is not None, "pytest-xdist", "pip install -e '.[dev]'")
    pytester.makeconftest(COUNTING_CONFTEST)
    monkeypatch.setenv(PRELOAD_ENV, str(pytester.path / "conftest.py"))
    document = run_eco(pytester, "--eco-meter", "codecarbon", "-n", "2")
    started = (pytester.path / "trackers.txt").read_text().splitlines()
    controller = (pytester.path / "controller.txt").read_text()
    # one tracker, in the controller's sidecar; none in the controller or a worker
    assert len(started) == 1 and started[0].endswith(f" {controller} sidecar"), started
    assert document["session"]["workers"] == 2
    assert {test["worker"] for test in document["tests"].values()} == {"gw0", "gw1"}
    assert_tests_share_the_whole_session(document)


@pytest.mark.skipif(
    sys.platform != "linux"
    or visible_gpu() is not None
    or rapl_psys_readable()
    or RaplCounter.detect() is not None,
    reason="for a CPU-only Linux machine without RAPL (ecolint's VM, hosted CI runners)",
)
@pytest.mark.slow
def test_auto_on_a_cpu_only_linux_machine_is_the_model_and_adds_nothing(pytester):
    pytester.makeconftest(
        """
import sys
from pathlib import Path


def pytest_unconfigure(config):
    imported = sorted({"codecarbon", "pynvml", "amdsmi"} & set(sys.modules))
    (Path(__file__).parent / "imported.txt").write_text(" ".join(imported))
"""
    )
    document = run_eco(pytester)  # no --eco-meter: auto
    session = document["session"]
    assert session["meter"] == "model" and session["meter_reason"].startswith("auto: no GPU")
    assert session["codecarbon"] is None
    assert all(test["codecarbon_j"] is None for test in document["tests"].values())
    assert "codecarbon 3" not in document["stdout"].str()
    assert (pytester.path / "imported.txt").read_text() == ""  # nor any GPU library


def test_the_rapl_meter_where_no_counter_is_readable_is_a_clear_error(pytester):
    pytester.makepyfile(test_one="def test_it():\n    pass\n")
    result = pytester.runpytest("--eco", "--eco-meter", "rapl")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*meter rapl: no RAPL counter is readable here*"])


def test_the_meter_comes_from_the_config_and_a_wrong_one_is_refused(pytester):
    pytester.makepyfile(test_one="def test_it():\n    pass\n")
    pytester.makepyprojecttoml('[tool.ecolint.energy]\nmeter = "rapl"\n')
    from_config = pytester.runpytest("--eco")
    from_config.stderr.fnmatch_lines(["*meter rapl: no RAPL counter*"])
    assert pytester.runpytest("--eco", "--eco-meter", "model").ret == 0  # the option wins
    pytester.makepyprojecttoml('[tool.ecolint.energy]\nmeter = "codecarbn"\n')
    wrong = pytester.runpytest("--eco")
    assert wrong.ret == pytest.ExitCode.USAGE_ERROR
    wrong.stderr.fnmatch_lines(["*meter must be one of auto, model, rapl, codecarbon*"])


@pytest.mark.slow
def test_a_tracker_that_gives_no_figures_is_said_and_ecolints_figures_stay(pytester, monkeypatch):
    # codecarbon swallows its own exceptions: a stop() that failed inside leaves no data
    preload = pytester.makepyfile(
        in_the_sidecar="""
from codecarbon.emissions_tracker import BaseEmissionsTracker

BaseEmissionsTracker.stop = lambda self: None
"""
    )
    monkeypatch.setenv(PRELOAD_ENV, str(preload))
    document = run_eco(pytester, "--eco-meter", "codecarbon")
    session = document["session"]
    assert session["meter"] == "codecarbon" and session["codecarbon"] is None
    assert "codecarbon gave no figures" in session["meter_reason"]
    assert session["energy_j"] > 0
    document["stdout"].fnmatch_lines(["codecarbon: no figures (asked for; codecarbon gave no*"])


@pytest.mark.slow
def test_a_sidecar_that_dies_is_said_in_the_report_and_the_run_goes_on(pytester, monkeypatch):
    preload = pytester.makepyfile(in_the_sidecar="import os\nos._exit(3)\n")
    monkeypatch.setenv(PRELOAD_ENV, str(preload))
    document = run_eco(pytester, "--eco-meter", "codecarbon")
    session = document["session"]
    assert session["codecarbon"] is None and session["energy_j"] > 0
    assert session["meter_reason"] == (
        "asked for; codecarbon gave no figures: codecarbon's sidecar exited (status 3)"
        " before it was ready"
    )


@pytest.mark.slow
def test_a_codecarbon_without_the_internals_the_sidecar_needs_runs_in_pytest_and_says_why(
    pytester, monkeypatch
):
    preload = pytester.makepyfile(
        in_the_sidecar="""
from codecarbon.emissions_tracker import BaseEmissionsTracker

del BaseEmissionsTracker._ensure_hardware_ready
"""
    )
    monkeypatch.setenv(PRELOAD_ENV, str(preload))
    document = run_eco(pytester, "--eco-meter", "codecarbon", "-W", "always")
    parts = document["session"]["codecarbon"]["components"]
    assert parts["cpu"]["method"] == "cpu_load" and parts["cpu"]["energy_j"] > 0
    assert_tests_share_the_whole_session(document)
    document["stdout"].fnmatch_lines(
        [
            "*MeterWarning: ecolint: codecarbon's tracker runs in the pytest process:"
            " codecarbon's tracker has no _ensure_hardware_ready()"
        ]
    )


# What the pytest process imported, and its reaped children's CPU time during the last
# test and after the session: the sidecar's start (pandas, py-cpuinfo's probe) is not in
# pytest, and its CPU time reaches ``RUSAGE_CHILDREN`` only once the clocks have stopped.
SIDECAR_CONFTEST = """
import resource
import sys
from pathlib import Path

HERE = Path(__file__).parent


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def pytest_runtest_teardown(item):
    (HERE / "during.txt").write_text(str(children_cpu()))


def pytest_unconfigure(config):
    heavy = sorted({"codecarbon", "pandas", "cpuinfo"} & set(sys.modules))
    (HERE / "imported.txt").write_text(" ".join(heavy))
    (HERE / "after.txt").write_text(str(children_cpu()))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="resource.getrusage: Unix only")
@pytest.mark.slow
def test_the_codecarbon_meter_keeps_codecarbon_and_pandas_out_of_the_pytest_process(
    pytester,
):
    pytester.makeconftest(SIDECAR_CONFTEST)
    document = run_eco(pytester, "--eco-meter", "codecarbon")
    parts = document["session"]["codecarbon"]["components"]
    assert (pytester.path / "imported.txt").read_text() == ""
    # it tracked pytest's process, not its own: it saw the tests' CPU time (the same
    # 4 W per busy thread as ecolint's model here, give or take its 1-s sampling)
    assert 0.5 < parts["cpu"]["energy_j"] / document["session"]["energy_j"] < 2
    during = float((pytester.path / "during.txt").read_text())
    after = float((pytester.path / "after.txt").read_text())
    assert during < 0.2 and after - during > 0.3  # reaped after the tests, not during
