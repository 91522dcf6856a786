"""The energy report's file: version 3 writes each test's measured clocks as integers and
derives its joules and grams on reading, to the same bits the session computed."""

from __future__ import annotations

import json

import pytest

from ecolint.energy import model
from ecolint.energy.model import EnergyReport, SessionEnergy, per_test_figures
from ecolint.energy.reading import ReportError, load_report
from helpers.energy_reports import as_version_2

WATTS, G_PER_KWH, PUE = 3.7, 51.3, 1.4


def session(tests: int) -> SessionEnergy:
    return SessionEnergy(
        method="model:cpu-time", method_description="d", watts_per_thread=WATTS,
        coefficient_source="s", zone="FRA", intensity_g_per_kwh=G_PER_KWH,
        intensity_source="s", intensity_year=2023, pue=PUE, workers=1, python="3.11",
        cpu_brand="x", cpu_count=2, wall_s=1.0, cpu_s=0.5, energy_j=1.85, energy_j_low=0.8,
        energy_j_high=2.0, energy_kwh=1.85 / 3.6e6, gco2e=1e-5, embodied_g=0.0,
        sci_g_per_run=1e-5, tests=tests, complete=True,
    )  # fmt: skip


def measured(cpu_ns: int, **optional: object) -> model.TestEnergy:
    joules, grams = per_test_figures(cpu_ns, WATTS, G_PER_KWH * PUE / 3.6e6)
    return model.TestEnergy(cpu_ns + 1_234, cpu_ns, joules, grams, "passed", **optional)  # type: ignore[arg-type]


def test_a_written_report_reads_back_with_the_same_figures_to_the_bit(tmp_path):
    tests = {
        "t.py::test_a": measured(43_938_123),
        'odd "name" é::test_b[\\n]': measured(1, worker="gw1", peak_rss_bytes=2**31),
        "t.py::test_c": measured(7, instructions=10**12, instructions_method="perf", gpu_j=0.1,
                                 codecarbon_j={"cpu": 0.5, "gpu": 0.0, "ram": 1e-9}),
    }  # fmt: skip
    path = tmp_path / "eco.json"
    EnergyReport(session(3), tests).write(path)
    raw = json.loads(path.read_text())
    assert raw["version"] == 3
    assert raw["tests"]["t.py::test_a"] == {
        "wall_ns": 43_939_357, "cpu_ns": 43_938_123, "outcome": "passed", "worker": "main"
    }  # fmt: skip
    read = load_report(path).tests
    assert list(read) == list(tests)
    for nodeid, test in tests.items():
        assert vars(read[nodeid]) == vars(test), nodeid  # floats equal exactly, not approx


def test_a_version_2_report_reads_as_the_same_tests():
    document = json.loads(EnergyReport(session(1), {"t.py::a": measured(5_000_000)}).to_json())
    old = as_version_2(document)
    assert old["tests"]["t.py::a"]["cpu_s"] == 0.005


def test_a_version_3_test_with_seconds_instead_of_nanoseconds_is_refused(tmp_path):
    path = tmp_path / "eco.json"
    EnergyReport(session(1), {"t.py::a": measured(5)}).write(path)
    document = json.loads(path.read_text())
    document["tests"]["t.py::a"] = {"wall_s": 0.1, "cpu_s": 0.1, "outcome": "passed"}
    path.write_text(json.dumps(document))
    with pytest.raises(
        ReportError, match=r"unknown tests\['t.py::a'\] field\(s\): 'cpu_s', 'wall_s'"
    ):
        load_report(path)
