"""``pytest --eco``: GPU energy per test and peak memory per test.

There is no GPU here. The GPU arithmetic runs through the plugin's one seam,
``ecolint.energy.gpu.open_gpu_counter``, which a conftest replaces with a fake counter:
a file of joules that the tests add to, read like NVML's device-wide counter (every
process sees every other's energy). The real "not available" path runs as it is.
Each run is a pytest subprocess, so ``ru_maxrss`` is that run's own high-water mark.
"""

from __future__ import annotations

import json
import os
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

from ecolint.energy.gpu import shared_gpu
from ecolint.energy.model import CodecarbonEnergy, MeterComponent
from ecolint.energy.reading import load_report
from helpers import read_energy_report, require_component
from helpers.energy_reports import as_version_2

G_PER_KWH = 100.0
G_PER_J = G_PER_KWH / 3.6e6
MIB = 1 << 20

# The fake counter: joules in a file beside the conftest, so that the controller and the
# xdist workers see one device, as NVML's counter is one per GPU, not one per process.
FAKE_GPU_CONFTEST = """
from pathlib import Path

import ecolint.energy.gpu

LEDGER = Path(__file__).parent / "gpu_joules.txt"
if not LEDGER.exists():  # the controller's import, before any worker's
    LEDGER.write_text("100.0\\n")  # an arbitrary origin: only differences mean anything


def spend(joules):
    with LEDGER.open("a") as ledger:
        ledger.write(f"{joules}\\n")


class FakeCounter:
    def read_joules(self):
        return sum(float(line) for line in LEDGER.read_text().split())

    def close(self):
        (Path(__file__).parent / "closed.txt").write_text("closed")


ecolint.energy.gpu.open_gpu_counter = lambda: (FakeCounter(), "fake counter of 1 GPU(s): Test")
"""

GPU_SUITE = """
from conftest import spend

spend(1.0)  # at collection, between the session's clocks but in no test


def test_heavy():
    spend(5.0)


def test_light():
    spend(0.5)


def test_idle():
    pass
"""

MEMORY_SUITE = """
def test_small():
    pass


def test_big():
    data = b"x" * (64 << 20)  # 64 MiB, every page written
    assert len(data) == 64 << 20


def test_after():
    pass
"""


@pytest.fixture(autouse=True)
def not_an_xdist_worker(monkeypatch):
    """When these tests run under xdist themselves, the pytest runs they start would
    inherit the worker's name, as if they were workers too."""
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)


def run_eco(pytester: pytest.Pytester, *options: str, passed: int = 3) -> dict:
    result = pytester.runpytest_subprocess(
        "--eco", "--eco-grid-intensity", str(G_PER_KWH), "--eco-json", "eco.json", *options
    )
    result.assert_outcomes(passed=passed)
    document = read_energy_report(pytester.path / "eco.json")
    document["stdout"] = result.stdout
    return document


def by_name(document: dict) -> dict[str, dict]:
    return {nodeid.split("::")[-1]: test for nodeid, test in document["tests"].items()}


@pytest.mark.skipif(os.path.exists("/dev/nvidiactl"), reason="for a machine without NVIDIA")
@pytest.mark.slow
def test_without_an_nvidia_driver_no_gpu_is_measured_and_pynvml_is_not_imported(pytester):
    pytester.makeconftest(
        """
import sys
from pathlib import Path


def pytest_unconfigure(config):
    (Path(__file__).parent / "imported.txt").write_text(str("pynvml" in sys.modules))
"""
    )
    pytester.makepyfile(
        test_plain="""
import sys


def test_it():
    assert "pynvml" not in sys.modules  # after the recorder looked for a GPU
"""
    )
    document = run_eco(pytester, passed=1)
    session = document["session"]
    assert session["gpu"] is None
    assert session["gpu_reason"] == "no /dev/nvidiactl: no NVIDIA driver here"
    assert [test["gpu_j"] for test in document["tests"].values()] == [None]
    document["stdout"].fnmatch_lines(["gpu: not measured (no /dev/nvidiactl: no NVIDIA*)"])
    assert (pytester.path / "imported.txt").read_text() == "False"


@pytest.mark.slow
def test_a_gpu_counter_is_read_around_each_test_and_the_session(pytester):
    pytester.makeconftest(FAKE_GPU_CONFTEST)
    pytester.makepyfile(test_gpu=GPU_SUITE)
    document = run_eco(pytester)
    tests = by_name(document)
    assert tests["test_heavy"]["gpu_j"] == pytest.approx(5.0)
    assert tests["test_light"]["gpu_j"] == pytest.approx(0.5)
    assert tests["test_idle"]["gpu_j"] == pytest.approx(0.0)
    gpu = document["session"]["gpu"]
    assert (gpu["method"], gpu["per_test"]) == ("nvml:total-energy", "measured")
    assert "fake counter of 1 GPU(s): Test" in gpu["description"]
    assert gpu["energy_j"] == pytest.approx(6.5)  # collection's joule too: the session's
    assert gpu["gco2e"] == pytest.approx(6.5 * G_PER_J)
    # the CPU figures stay the CPU's: budgets and A/B gates use them
    session = document["session"]
    assert session["energy_j"] == pytest.approx(session["cpu_s"] * session["watts_per_thread"])
    document["stdout"].fnmatch_lines(
        [
            "gpu: 6.50 J, * not in the figures above (nvml:total-energy: measured around"
            " each test: fake counter of 1 GPU(s): Test; device-wide*); per test: measured",
            "top 3 tests by energy:",
            "  * J  * ms CPU  GPU    5.00 J  test_gpu.py::test_heavy",
        ]
    )
    assert (pytester.path / "closed.txt").exists()  # the library released at the end
    report = load_report(pytester.path / "eco.json")
    assert report.session.gpu is not None and report.session.gpu.energy_j == pytest.approx(6.5)


@pytest.mark.slow
def test_under_xdist_each_worker_reads_the_counter_and_records_its_own_tests(pytester):
    require_component(find_spec("xdist") is not None, "pytest-xdist", "pip install -e '.[dev]'")
    pytester.makeconftest(FAKE_GPU_CONFTEST)
    pytester.makepyfile(test_gpu=GPU_SUITE, test_memory=MEMORY_SUITE)
    document = run_eco(pytester, "-n", "2", passed=6)
    tests = document["tests"]
    assert {test["worker"] for test in tests.values()} == {"gw0", "gw1"}
    assert all(test["gpu_j"] is not None for test in tests.values())
    assert all(test["peak_rss_bytes"] > 0 for test in tests.values())
    assert document["session"]["memory_method"]  # each worker's sampler, named
    # the counter is device-wide: a test sees at least its own joules, and the session
    # (read by the controller) everything, both workers' collections included
    assert by_name(document)["test_heavy"]["gpu_j"] >= 5.0
    assert document["session"]["gpu"]["energy_j"] == pytest.approx(2 * 1.0 + 5.5)


@pytest.mark.slow
def test_peak_memory_per_test_is_the_processs_high_water_mark_and_its_growth(pytester):
    pytester.makepyfile(test_memory=MEMORY_SUITE)
    document = run_eco(pytester)
    tests = by_name(document)
    big, after = tests["test_big"], tests["test_after"]
    # not all 64 MiB: the process's earlier peak (start-up, collection) sat above its RSS
    assert big["peak_rss_growth_bytes"] >= 40 * MIB
    assert big["peak_rss_bytes"] >= big["peak_rss_growth_bytes"]
    # a high-water mark: the next test reports the same peak, and raised it by nothing
    assert after["peak_rss_bytes"] >= big["peak_rss_bytes"]
    assert after["peak_rss_growth_bytes"] < 4 * MIB
    assert tests["test_small"]["peak_rss_bytes"] < big["peak_rss_bytes"]
    document["stdout"].fnmatch_lines(
        [
            "memory: peak RSS * MiB (a process's high-water mark, by *); top 1 test by how"
            " much each raised its process's peak:",
            "*+* MiB  to * MiB  test_memory.py::test_big",
        ]
    )
    report = load_report(pytester.path / "eco.json")
    assert (
        report.tests["test_memory.py::test_big"].peak_rss_growth_bytes
        == (big["peak_rss_growth_bytes"])
    )


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="Linux's procfs")
@pytest.mark.slow
def test_a_pytest_started_by_a_bigger_process_reads_its_own_peak_not_the_parents(pytester):
    # Linux keeps ru_maxrss across exec: this launcher's 200 MiB would hide every test
    pytester.makepyfile(test_memory=MEMORY_SUITE)
    launcher = (
        "import os, sys\n"
        "ballast = b'x' * (200 << 20)\n"
        "del ballast\n"
        "os.execv(sys.executable, [sys.executable, '-m', 'pytest', '-p', 'no:cacheprovider',"
        " '--eco', '--eco-json', 'eco.json'])\n"
    )
    result = pytester.run(sys.executable, "-c", launcher)
    assert result.ret == 0, result.stdout.str()
    document = json.loads((pytester.path / "eco.json").read_text())
    method = document["session"]["memory_method"]
    assert method.startswith("VmHWM (/proc/self/status): ru_maxrss held a parent"), method
    big = by_name(document)["test_big"]
    assert big["peak_rss_growth_bytes"] >= 40 * MIB
    assert big["peak_rss_bytes"] < 200 * MIB  # this process's peak, not the launcher's


@pytest.mark.slow
def test_a_version_2_report_without_the_gpu_and_memory_fields_still_loads(pytester):
    pytester.makepyfile(test_memory=MEMORY_SUITE)
    run_eco(pytester)
    path = pytester.path / "eco.json"
    document = as_version_2(json.loads(path.read_text()))
    for key in ("gpu", "gpu_reason", "memory_method"):
        del document["session"][key]
    for test in document["tests"].values():
        for key in ("gpu_j", "peak_rss_bytes", "peak_rss_growth_bytes"):
            del test[key]
    path.write_text(json.dumps(document))
    report = load_report(path)
    assert report.session.gpu is None and report.session.gpu_reason is None
    assert report.session.memory_method is None
    test = report.tests["test_memory.py::test_big"]
    assert (test.gpu_j, test.peak_rss_bytes, test.peak_rss_growth_bytes) == (None, None, None)


# codecarbon measured a GPU but no counter was read per test: its figure is shared by wall
# time and said to be a share. codecarbon sees no GPU here, so its stop is given one.
CODECARBON_GPU_CONFTEST = """
from ecolint.energy.codecarbon_meter import CodecarbonMeter

_stop = CodecarbonMeter.stop


def stop_with_a_gpu(self, g_per_j, *args, **kwargs):
    energy = _stop(self, g_per_j, *args, **kwargs)
    if energy is not None:
        gpu = energy.components["gpu"]
        gpu.energy_j, gpu.method, energy.gpu_model = 30.0, "pynvml", "Test GPU"
        energy.energy_j += 30.0
        energy.gco2e = energy.energy_j * g_per_j
    return energy


CodecarbonMeter.stop = stop_with_a_gpu
"""


@pytest.mark.slow
def test_codecarbons_gpu_energy_without_a_counter_is_shared_by_wall_time_and_said(pytester):
    require_component(
        find_spec("codecarbon") is not None, "codecarbon", "pip install -e '.[energy]'"
    )
    pytester.makeconftest(CODECARBON_GPU_CONFTEST)
    pytester.makepyfile(
        test_waits="""
import time


def test_sleeps():
    time.sleep(0.3)


def test_quick():
    pass
"""
    )
    document = run_eco(pytester, "--eco-meter", "codecarbon", passed=2)
    gpu = document["session"]["gpu"]
    assert (gpu["method"], gpu["per_test"]) == ("codecarbon:pynvml", "wall share")
    assert "no per-test counter (no /dev/nvidiactl" in gpu["description"] or os.path.exists(
        "/dev/nvidiactl"
    )
    assert gpu["energy_j"] == pytest.approx(30.0)
    tests = by_name(document)
    assert sum(test["gpu_j"] for test in tests.values()) == pytest.approx(30.0)
    walls = {name: test["wall_s"] for name, test in tests.items()}
    share = walls["test_sleeps"] / sum(walls.values())
    assert tests["test_sleeps"]["gpu_j"] == pytest.approx(30.0 * share)
    assert tests["test_sleeps"]["gpu_j"] == tests["test_sleeps"]["codecarbon_j"]["gpu"]
    assert document["session"]["codecarbon"]["components"]["gpu"]["spread_by"] == "wall"
    document["stdout"].fnmatch_lines(
        [
            "  GPU * J  pynvml, * W mean; tests share it by wall time",
            "gpu: 30.0 J, * (codecarbon:pynvml: codecarbon's session GPU energy (pynvml),"
            " shared by wall time: no per-test counter (*)); per test: wall share",
        ]
    )


def test_no_gpu_figure_when_codecarbon_measured_no_gpu_energy():
    def energy(gpu_j: float) -> CodecarbonEnergy:
        parts = {
            "cpu": MeterComponent(2.0, 1.0, "cpu_load", "cpu"),
            "gpu": MeterComponent(gpu_j, 0.0, "pynvml", "cpu"),
        }
        return CodecarbonEnergy("3.3", "process", 1.0, 2.0 + gpu_j, 1e-3, "cpu", "", parts)

    assert shared_gpu(None, "no counter") is None
    assert shared_gpu(energy(0.0), "no counter") is None
    with_gpu = energy(2.0)
    figure = shared_gpu(with_gpu, "no counter")
    assert figure is not None and figure.per_test == "wall share"
    assert figure.gco2e == pytest.approx(1e-3 / 2)  # priced as codecarbon's whole figure
    assert with_gpu.components["gpu"].spread_by == "wall"


def test_the_not_available_reason_names_the_missing_device(monkeypatch, tmp_path: Path):
    from ecolint.energy import gpu

    monkeypatch.setattr(gpu, "NVIDIA_DEVICE", str(tmp_path / "nvidiactl"))
    assert gpu.open_gpu_counter() == (None, f"no {tmp_path / 'nvidiactl'}: no NVIDIA driver here")
