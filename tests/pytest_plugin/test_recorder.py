"""The cheap hot path: markers read once after collection, reports read once at the end,
and the RAPL probe that stops as soon as the counter moves."""

from __future__ import annotations

import os
import threading
import time

import pytest

from ecolint.energy import meters
from helpers import read_energy_report


def report(pytester):
    return read_energy_report(pytester.path / "eco.json")


@pytest.mark.slow
def test_a_module_level_budget_marker_applies_to_each_of_its_tests(pytester):
    pytester.makepyfile(
        test_mod="""
import pytest

pytestmark = pytest.mark.eco_budget(cpu_ms=0.000001, level="warn")

def test_a():
    sum(range(10000))

class TestGroup:
    def test_b(self):
        sum(range(10000))
"""
    )
    result = pytester.runpytest("--eco")
    assert result.ret == 0  # a warn-level budget only reports
    result.stdout.fnmatch_lines(
        [
            "budget warning: test test_mod.py::test_a: test-cpu-ms = * > 1.00e-06",
            "budget warning: test test_mod.py::TestGroup::test_b: test-cpu-ms = * > 1.00e-06",
        ]
    )


@pytest.mark.slow
def test_a_class_marker_is_overridden_by_the_closer_function_marker(pytester):
    pytester.makepyfile(
        test_cls="""
import pytest

@pytest.mark.eco_budget(cpu_ms=1_000_000)
class TestGroup:
    @pytest.mark.eco_budget(cpu_ms=0.000001)
    def test_tight(self):
        sum(range(10000))

    def test_loose(self):
        sum(range(10000))
"""
    )
    result = pytester.runpytest("--eco")
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        ["budget FAILED: test test_cls.py::TestGroup::test_tight: test-cpu-ms*"]
    )
    result.stdout.no_fnmatch_line("budget FAILED: *test_loose*")


def test_without_the_terminal_reporter_every_test_is_still_in_the_report(pytester):
    pytester.makepyfile(
        test_quiet="""
import pytest

def test_passes():
    pass

def test_fails():
    assert False

@pytest.mark.skip(reason="no")
def test_skipped():
    pass
"""
    )
    pytester.runpytest("--eco", "--eco-json", "eco.json", "-p", "no:terminal")
    outcomes = {n.split("::")[1]: t["outcome"] for n, t in report(pytester)["tests"].items()}
    assert outcomes == {"test_passes": "passed", "test_fails": "failed", "test_skipped": "skipped"}


@pytest.mark.slow
def test_a_test_whose_teardown_fails_still_has_its_figures(pytester):
    pytester.makepyfile(
        test_td="""
import pytest

@pytest.fixture
def resource():
    yield
    raise RuntimeError("teardown")

def test_uses_it(resource):
    sum(range(10000))
"""
    )
    result = pytester.runpytest("--eco", "--eco-json", "eco.json")
    result.assert_outcomes(passed=1, errors=1)
    (test,) = report(pytester)["tests"].values()
    assert test["cpu_s"] > 0 and test["wall_s"] > 0


def powercap(tmp_path, monkeypatch, value: int = 1000):
    zone = tmp_path / "intel-rapl:0"
    zone.mkdir()
    (zone / "max_energy_range_uj").write_text("262143328850\n")
    (zone / "energy_uj").write_text(f"{value}\n")
    monkeypatch.setattr(meters, "POWERCAP", str(tmp_path))
    return zone / "energy_uj"


def test_a_rapl_counter_that_never_moves_is_not_used(tmp_path, monkeypatch):
    powercap(tmp_path, monkeypatch)
    assert meters.RaplCounter.detect(probe_seconds=0.05) is None


def test_a_live_rapl_counter_is_detected_without_waiting_the_whole_probe(tmp_path, monkeypatch):
    energy = powercap(tmp_path, monkeypatch)
    stop = threading.Event()

    def tick():
        value = 1000
        while not stop.is_set():
            value += 50
            fresh = energy.with_name("energy_uj.new")
            fresh.write_text(f"{value}\n")
            os.replace(fresh, energy)  # sysfs reads are atomic; so is this
            time.sleep(0.001)  # noqa: ECO602 -- stands in for a fast hardware counter

    thread = threading.Thread(target=tick)
    thread.start()
    try:
        start = time.perf_counter()
        counter = meters.RaplCounter.detect(probe_seconds=5.0)
        elapsed = time.perf_counter() - start
    finally:
        stop.set()
        thread.join()
    assert counter is not None
    assert elapsed < 1.0  # it returned when the counter moved, not after 5 s


@pytest.mark.parametrize(
    ("before", "after", "joules"), [(1000, 3000, 0.002), (262143328000, 150, 0.00115)]
)
def test_rapl_deltas_handle_the_wrap_around(before, after, joules):
    counter = meters.RaplCounter([("energy_uj", 262143329000)])
    assert counter.delta([before], [after]) == pytest.approx(joules)
