"""``pytest --eco --eco-csv``: codecarbon's ``emissions.csv`` columns; codecarbon's logger
and Prometheus outputs with the codecarbon meter; the figure each budget used.

The runs that start codecarbon's tracker are pytest subprocesses (pytester), as in
test_codecarbon_meter.py; the Prometheus pushgateway is a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path

import pytest

from ecolint.energy.emissions_csv import EMISSIONS_COLUMNS, TASK_COLUMNS
from helpers import read_energy_report, require_component

J_PER_KWH = 3.6e6

SUITE = """
import hashlib
import time


def test_busy():
    for _ in range(40000):
        hashlib.sha256(b"x" * 100).digest()


def test_waits():
    time.sleep(0.2)
"""


@pytest.fixture(autouse=True)
def not_an_xdist_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pytest runs these tests start must not look like xdist workers."""
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)


def codecarbon_required() -> None:
    require_component(
        find_spec("codecarbon") is not None, "codecarbon", "pip install -e '.[energy]'"
    )


def rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def report(pytester: pytest.Pytester) -> dict:
    return read_energy_report(pytester.path / "eco.json")


def test_the_pinned_columns_are_codecarbons_in_its_order() -> None:
    # pinned so that --eco with the model meter never imports codecarbon; this test
    # fails in CI (which installs codecarbon) the day a release changes them
    codecarbon_required()
    from codecarbon.output_methods.emissions_data import EmissionsData, TaskEmissionsData

    assert tuple(f.name for f in dataclasses.fields(EmissionsData)) == EMISSIONS_COLUMNS
    assert tuple(f.name for f in dataclasses.fields(TaskEmissionsData)) == TASK_COLUMNS


def test_an_empty_file_gets_the_header_and_a_file_with_extra_columns_is_named(tmp_path):
    from ecolint.energy.emissions_csv import CsvError, append_rows

    empty = tmp_path / "empty.csv"
    empty.touch()  # as a session that created it and has not written yet leaves it
    append_rows(empty, EMISSIONS_COLUMNS, [{"run_id": "r1", "pue": 1.0}])
    header, (row,) = rows(empty)
    assert tuple(header) == EMISSIONS_COLUMNS and (row["run_id"], row["gpu_energy"]) == ("r1", "")
    longer = tmp_path / "longer.csv"
    longer.write_text(",".join((*EMISSIONS_COLUMNS, "carbon_tax")) + "\n")
    with pytest.raises(CsvError, match="has carbon_tax besides"):
        append_rows(longer, EMISSIONS_COLUMNS, [{}])


def test_each_budget_figure_is_cpu_time_or_ecolints_energy():
    from ecolint.energy.meters import Method
    from pytest_ecolint.session import budget_figure

    model = Method("model:cpu-time", "", 4.0, "")
    rapl = Method("rapl", "", 3.1, "powercap")
    assert budget_figure("cpu_ms", rapl) == budget_figure("cpu_s", model) == "CPU time"
    assert budget_figure("energy_j", model) == "ecolint's CPU-time model (model:cpu-time)"
    assert (
        budget_figure("gco2e", rapl) == "RAPL counters shared by CPU time (rapl) x grid intensity"
    )


@pytest.mark.slow
def test_the_model_meter_appends_one_row_per_session_with_ecolints_figures(pytester):
    pytester.makepyfile(test_suite=SUITE)
    pytester.makeconftest(
        """
import sys
from pathlib import Path


def pytest_unconfigure(config):
    (Path(__file__).parent / "imported.txt").write_text(str("codecarbon" in sys.modules))
"""
    )
    options = ("--eco", "--eco-meter", "model", "--eco-country", "FRA", "--eco-pue", "1.2")
    first = pytester.runpytest_subprocess(*options, "--eco-json", "eco.json", "--eco-csv", "e.csv")
    first.assert_outcomes(passed=2)
    session = report(pytester)["session"]
    assert (pytester.path / "imported.txt").read_text() == "False"  # start-up untouched
    second = pytester.runpytest_subprocess(*options, "--eco-json", "2.json", "--eco-csv", "e.csv")
    second.assert_outcomes(passed=2)
    header, (row, again) = rows(pytester.path / "e.csv")
    assert tuple(header) == EMISSIONS_COLUMNS  # written once, by the session creating it
    assert row["run_id"] != again["run_id"]
    # energies in kWh with the PUE, as codecarbon counts them; kg CO2e
    energy_kwh = session["energy_j"] * 1.2 / J_PER_KWH
    assert float(row["cpu_energy"]) == pytest.approx(energy_kwh, rel=1e-9)
    assert float(row["energy_consumed"]) == pytest.approx(energy_kwh, rel=1e-9)
    assert float(row["emissions"]) == pytest.approx(session["gco2e"] / 1000, rel=1e-9)
    assert float(row["duration"]) == pytest.approx(session["wall_s"], rel=1e-9)
    assert float(row["cpu_power"]) == pytest.approx(
        energy_kwh * J_PER_KWH / session["wall_s"], rel=1e-9
    )
    assert {k: row[k] for k in ("country_iso_code", "country_name", "region")} == {
        "country_iso_code": "FRA",
        "country_name": "France",
        "region": "",
    }
    assert (row["tracking_mode"], row["pue"], row["project_name"]) == ("process", "1.2", "pytest")
    assert (row["cpu_model"], row["python_version"]) == (session["cpu_brand"], session["python"])
    # what the model meter does not measure or know stays empty, never a made-up zero
    unknown = (
        "codecarbon_version gpu_energy ram_energy gpu_power ram_power water_consumed gpu_count"
        " gpu_model longitude latitude ram_total_size cpu_utilization_percent on_cloud wue"
        " experiment_id"
    )
    assert {k: row[k] for k in unknown.split()} == dict.fromkeys(unknown.split(), "")


@pytest.mark.slow
def test_per_test_rows_use_codecarbons_task_layout_and_the_sessions_run_id(pytester):
    pytester.makepyfile(test_suite=SUITE)
    result = pytester.runpytest(
        "--eco",
        "--eco-meter",
        "model",
        "--eco-json",
        "eco.json",
        "--eco-csv",
        "out/e.csv",
        "--eco-csv-tests",
        "out/tests.csv",
    )
    result.assert_outcomes(passed=2)
    document = report(pytester)
    _, (session_row,) = rows(pytester.path / "out" / "e.csv")
    header, tests = rows(pytester.path / "out" / "tests.csv")
    assert tuple(header) == TASK_COLUMNS
    assert [t["task_name"] for t in tests] == list(document["tests"])
    assert {t["run_id"] for t in tests} == {session_row["run_id"]}
    for row in tests:
        test = document["tests"][row["task_name"]]
        assert float(row["cpu_energy"]) == pytest.approx(test["energy_j"] / J_PER_KWH)
        assert float(row["emissions"]) == pytest.approx(test["gco2e"] / 1000)
        assert float(row["duration"]) == pytest.approx(test["wall_s"])
        assert row["ram_energy"] == row["gpu_energy"] == ""


@pytest.mark.slow
def test_under_xdist_the_controller_alone_writes_one_row_and_every_tests_row(pytester):
    require_component(find_spec("xdist") is not None, "pytest-xdist", "pip install -e '.[dev]'")
    pytester.makepyfile(test_suite=SUITE)
    result = pytester.runpytest_subprocess(
        "--eco", "--eco-meter", "model", "-n", "2", "--eco-csv", "e.csv", "--eco-csv-tests", "t.csv"
    )
    result.assert_outcomes(passed=2)
    assert len(rows(pytester.path / "e.csv")[1]) == 1
    _, tests = rows(pytester.path / "t.csv")
    assert sorted(t["task_name"] for t in tests) == [
        "test_suite.py::test_busy",
        "test_suite.py::test_waits",
    ]


def test_a_csv_with_other_columns_is_refused_before_any_test_runs(pytester):
    pytester.makepyfile(test_suite="def test_it():\n    raise AssertionError('ran')\n")
    old = "timestamp,project_name,run_id,duration,emissions\n2024-01-01T00:00:00,x,1,2,3\n"
    (pytester.path / "emissions.csv").write_text(old)
    result = pytester.runpytest("--eco", "--eco-meter", "model", "--eco-csv", "emissions.csv")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "*emissions.csv does not have the columns of codecarbon's emissions.csv (lacks *"
            "experiment_id*): move it away or write to another file"
        ]
    )
    assert (pytester.path / "emissions.csv").read_text() == old  # untouched


def test_the_same_columns_in_another_order_take_the_row_in_the_files_order(pytester):
    pytester.makepyfile(test_suite="def test_it():\n    pass\n")
    reordered = list(reversed(EMISSIONS_COLUMNS))
    (pytester.path / "e.csv").write_text(",".join(reordered) + "\n")
    pytester.runpytest("--eco", "--eco-meter", "model", "--eco-csv", "e.csv").assert_outcomes(
        passed=1
    )
    header, (row,) = rows(pytester.path / "e.csv")
    assert header == reordered
    assert (row["tracking_mode"], row["project_name"]) == ("process", "pytest")


def test_the_csv_comes_from_the_config_rootdir_relative_and_the_option_wins(pytester):
    pytester.makepyfile(test_suite="def test_it():\n    pass\n")
    pytester.makepyprojecttoml(
        '[tool.ecolint.energy]\ncsv = "eco/emissions.csv"\ncsv-tests = "eco/tests.csv"\n'
    )
    sub = pytester.mkdir("sub")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(sub)  # the config's paths are the rootdir's, not the working folder's
        pytester.runpytest("--eco", "--eco-meter", "model", str(pytester.path)).assert_outcomes(
            passed=1
        )
    assert len(rows(pytester.path / "eco" / "emissions.csv")[1]) == 1
    assert len(rows(pytester.path / "eco" / "tests.csv")[1]) == 1
    pytester.runpytest("--eco", "--eco-meter", "model", "--eco-csv", "mine.csv")
    assert len(rows(pytester.path / "mine.csv")[1]) == 1
    assert len(rows(pytester.path / "eco" / "emissions.csv")[1]) == 1  # the option won
    pytester.makepyprojecttoml("[tool.ecolint.energy]\ncsv = 3\n")
    wrong = pytester.runpytest("--eco")
    assert wrong.ret == pytest.ExitCode.USAGE_ERROR
    wrong.stderr.fnmatch_lines(["*[[]tool.ecolint.energy[]]: csv must be a file path, got 3"])


def test_the_summary_and_the_json_name_the_figure_each_budget_used(pytester):
    pytester.makepyfile(test_suite=SUITE)
    pytester.makepyprojecttoml(
        "[tool.ecolint.energy.budget]\n"
        "suite-energy-j = { max = 0.000001, level = 'warn' }\n"
        "suite-gco2e = 1000\n"
        "test-cpu-ms = 100000\n"
    )
    result = pytester.runpytest("--eco", "--eco-meter", "model", "--eco-json", "eco.json")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "budget warning: suite: suite-energy-j = * > 1.00e-06",
            "budgets: 4 checked, 1 exceeded; suite-energy-j on ecolint's CPU-time model"
            " (model:cpu-time); suite-gco2e on ecolint's CPU-time model (model:cpu-time) x"
            " grid intensity; test-cpu-ms on CPU time",
        ]
    )
    figures = {(b["scope"], b["metric"]): b["figure"] for b in report(pytester)["budgets"]}
    assert figures[("suite", "energy_j")] == "ecolint's CPU-time model (model:cpu-time)"
    assert {figures[key] for key in figures if key[1] == "cpu_ms"} == {"CPU time"}


# -- with the codecarbon meter: its record in the CSV, its logger and Prometheus outputs

LOGGING_CONFTEST = """
import json
import logging
from pathlib import Path

records = []


class Keep(logging.Handler):
    def emit(self, record):
        records.append({"name": record.name, "level": record.levelname,
                        "message": record.getMessage()})


logging.getLogger("eco.emissions").addHandler(Keep())


def pytest_unconfigure(config):
    (Path(__file__).parent / "records.json").write_text(json.dumps(records))
"""


@pytest.mark.slow
def test_the_codecarbon_meter_writes_its_record_and_runs_its_configured_logger(pytester):
    codecarbon_required()
    pytester.makepyfile(test_suite=SUITE)
    pytester.makeconftest(LOGGING_CONFTEST)
    # codecarbon's own configuration file, read from the working folder as codecarbon does
    (pytester.path / ".codecarbon.config").write_text(
        "[codecarbon]\noutput_methods = logger,csv\nlogging_logger = eco.emissions\n"
    )
    result = pytester.runpytest_subprocess(
        "--eco",
        "--eco-meter",
        "codecarbon",
        "--eco-country",
        "FRA",
        "--eco-pue",
        "1.5",
        "--eco-json",
        "eco.json",
        "--eco-csv",
        "e.csv",
        "--eco-csv-tests",
        "tests.csv",
    )
    result.assert_outcomes(passed=2, warnings=1)
    result.stdout.fnmatch_lines(
        [
            "*codecarbon output 'csv' (*.codecarbon.config) does not run under pytest --eco"
            " (its logger and prometheus outputs do): --eco-csv writes codecarbon's"
            " emissions.csv*"
        ]
    )
    assert not (pytester.path / "emissions.csv").exists()  # codecarbon's CSV did not run
    document = report(pytester)
    tracker = document["session"]["codecarbon"]
    # the logger: codecarbon's LoggerOutput, one INFO record of its EmissionsData as JSON
    (record,) = json.loads((pytester.path / "records.json").read_text())
    assert (record["name"], record["level"]) == ("eco.emissions", "INFO")
    logged = json.loads(record["message"])
    assert tuple(logged) == EMISSIONS_COLUMNS
    assert logged["codecarbon_version"] == version("codecarbon")
    assert logged["energy_consumed"] == pytest.approx(
        logged["cpu_energy"] + logged["gpu_energy"] + logged["ram_energy"]
    )
    assert logged["energy_consumed"] > 0 and logged["tracking_mode"] == "process"
    # the CSV: the same record, with ecolint's PUE applied as codecarbon applies one
    _, (row,) = rows(pytester.path / "e.csv")
    assert row["run_id"] == logged["run_id"] and row["codecarbon_version"] == version("codecarbon")
    for column in ("cpu_energy", "gpu_energy", "ram_energy", "energy_consumed", "emissions"):
        assert float(row[column]) == pytest.approx(logged[column] * 1.5, rel=1e-9), column
    assert float(row["duration"]) == logged["duration"]
    assert (row["pue"], row["tracking_mode"], row["country_iso_code"]) == ("1.5", "process", "FRA")
    assert row["ram_total_size"] and row["cpu_utilization_percent"]  # codecarbon knows them
    # each test's part of a component is its part in the report; together, the session's
    _, tests = rows(pytester.path / "tests.csv")
    parts = tracker["components"]
    for task in tests:
        shares = document["tests"][task["task_name"]]["codecarbon_j"]
        assert float(task["ram_energy"]) / float(row["ram_energy"]) == pytest.approx(
            shares["ram"] / parts["ram"]["energy_j"]
        )
    total = sum(float(task["energy_consumed"]) for task in tests)
    assert total == pytest.approx(float(row["energy_consumed"]), rel=1e-6)


class Pushgateway(BaseHTTPRequestHandler):
    """A stand-in for Prometheus' pushgateway: keeps each request, answers 200."""

    requests: list[dict] = []

    def _keep(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.requests.append(
            {
                "method": self.command,
                "path": self.path,
                "type": self.headers.get("Content-Type", ""),
                "body": self.rfile.read(length).decode() if length else "",
            }
        )
        self.send_response(200)
        self.end_headers()

    do_PUT = do_POST = do_DELETE = _keep

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def pushgateway() -> Iterator[tuple[str, list[dict]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pushgateway)
    Pushgateway.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", Pushgateway.requests
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_the_codecarbon_meter_pushes_to_the_configured_pushgateway(
    pytester, pushgateway, monkeypatch
):
    codecarbon_required()
    from prometheus_client.parser import text_string_to_metric_families

    url, requests = pushgateway
    monkeypatch.setenv("CODECARBON_OUTPUT_METHODS", "prometheus")
    monkeypatch.setenv("CODECARBON_PROMETHEUS_URL", url)
    pytester.makepyfile(test_suite=SUITE)
    result = pytester.runpytest_subprocess(
        "--eco", "--eco-meter", "codecarbon", "--eco-json", "eco.json", "--eco-csv", "e.csv"
    )
    result.assert_outcomes(passed=2)
    _, (row,) = rows(pytester.path / "e.csv")  # codecarbon's record, as pushed
    # one push when the tracker stops, then codecarbon's own clean-up of its job
    assert [(r["method"], r["path"]) for r in requests] == [
        ("PUT", "/metrics/job/pytest_base"),
        ("DELETE", "/metrics/job/pytest_base"),
    ]
    push = requests[0]
    assert push["type"].startswith("text/plain; version=0.0.4")  # the text exposition format
    samples = {
        sample.name: sample
        for family in text_string_to_metric_families(push["body"])
        for sample in family.samples
    }
    consumed = samples["codecarbon_energy_consumed"]
    assert consumed.labels["project_name"] == "pytest"
    assert consumed.labels["codecarbon_version"] == ""  # codecarbon sets no other label
    for name in ("energy_consumed", "cpu_energy", "ram_energy", "emissions", "duration"):
        assert samples[f"codecarbon_{name}"].value == pytest.approx(float(row[name])), name
