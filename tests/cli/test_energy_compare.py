"""``ecolint energy compare`` on reports written by real ``pytest --eco`` runs."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow  # every report comes from a real `pytest --eco` run

SUITE = """
import hashlib


def burn(n):
    for _ in range(n):
        hashlib.sha256(b"x" * 100).digest()


def test_steady():
    burn(2000)


def test_changing():
    burn({changing})


{extra}
"""


@pytest.fixture
def measure(pytester):
    """Run a real ``pytest --eco`` on a suite; returns the report's path."""

    def run(name: str, changing: int, extra: str = "", *options: str):
        pytester.makepyfile(test_suite=SUITE.format(changing=changing, extra=extra))
        path = pytester.path / f"{name}.json"
        result = pytester.runpytest("--eco", "--eco-json", str(path), *options)
        assert result.ret == 0, result.stdout.str()
        return path

    return run


@pytest.fixture
def reports(measure):
    base = measure("base", 2000, "def test_removed():\n    pass\n")
    head = measure("head", 200_000, "def test_added():\n    pass\n")
    return base, head


def test_text_shows_suite_and_per_test_deltas_with_the_method(reports, invoke):
    result = invoke("energy", "compare", *map(str, reports))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("method: model:cpu-time at 4 W per thread; grid: ")
    assert any(line.strip().startswith("CPU") and "+" in line for line in lines)
    tests = [line for line in lines if "::" in line]
    assert tests[0].endswith("test_suite.py::test_changing")  # the largest change first
    assert "+" in tests[0].split()[0]
    assert any("new" in line and line.endswith("::test_added") for line in tests)
    assert any("gone" in line and line.endswith("::test_removed") for line in tests)
    assert "not a verdict" in result.output


def test_json_has_every_figure_and_status(reports, invoke):
    result = invoke("energy", "compare", *map(str, reports), "--format", "json")
    document = json.loads(result.output)
    base, head = (json.loads(path.read_text()) for path in reports)
    assert document["suite"]["cpu_s"]["base"] == base["session"]["cpu_s"]
    assert document["suite"]["cpu_s"]["head"] == head["session"]["cpu_s"]
    assert document["suite"]["gco2e"]["pct"] == pytest.approx(
        100 * (head["session"]["gco2e"] / base["session"]["gco2e"] - 1)
    )
    statuses = {test["nodeid"].split("::")[1]: test["status"] for test in document["tests"]}
    assert statuses == {
        "test_steady": "both",
        "test_changing": "both",
        "test_added": "added",
        "test_removed": "removed",
    }
    changing = next(t for t in document["tests"] if t["nodeid"].endswith("test_changing"))
    assert changing["energy_j"]["diff"] > 0


def test_markdown_is_a_table_for_a_pull_request(reports, invoke):
    result = invoke("energy", "compare", *map(str, reports), "--format", "markdown", "--top", "1")
    assert result.exit_code == 0
    assert "| CPU |" in result.output
    assert "| `test_suite.py::test_changing` |" in result.output
    assert "1 of 4" in result.output


def test_a_corrupt_report_is_a_clear_error(reports, invoke, tmp_path):
    corrupt = tmp_path / "corrupt.json"
    corrupt.write_text('{"version": 1, "session": ')
    result = invoke("energy", "compare", str(reports[0]), str(corrupt))
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and "not JSON" in result.output


def test_a_report_of_another_version_is_a_clear_error(reports, invoke, tmp_path):
    other = tmp_path / "other.json"
    other.write_text(json.dumps({**json.loads(reports[1].read_text()), "version": 99}))
    result = invoke("energy", "compare", str(reports[0]), str(other))
    assert result.exit_code == 2
    assert "not an ecolint energy report of version 1, 2 or 3 (found 99)" in result.output


def test_a_missing_report_is_a_clear_error(reports, invoke, tmp_path):
    result = invoke("energy", "compare", str(reports[0]), str(tmp_path / "missing.json"))
    assert result.exit_code == 2
    assert "cannot read" in result.output


def test_reports_of_different_methods_are_refused(measure, invoke):
    base = measure("base", 2000)
    head = measure("head", 2000, "", "--eco-watts-per-thread", "2")
    result = invoke("energy", "compare", str(base), str(head))
    assert result.exit_code == 2
    assert "different methods" in result.output and "2 W per thread" in result.output


def test_reports_of_different_grids_compare_everything_but_carbon(measure, invoke):
    base = measure("base", 2000, "", "--eco-country", "FRA")
    head = measure("head", 2000, "", "--eco-country", "DEU")
    result = invoke("energy", "compare", str(base), str(head))
    assert result.exit_code == 0, result.output
    assert "warning: different grids" in result.output and "carbon is left out" in result.output
    energy_line = next(line for line in result.output.splitlines() if "energy " in line)
    carbon_line = next(line for line in result.output.splitlines() if "carbon " in line)
    assert " J → " in energy_line and "%" in energy_line
    assert carbon_line.split() == ["carbon", "-", "→", "-", "-"]


def test_a_partial_report_is_compared_with_a_warning(reports, invoke, tmp_path):
    document = json.loads(reports[1].read_text())
    document["session"]["complete"] = False
    partial = tmp_path / "partial.json"
    partial.write_text(json.dumps(document))
    result = invoke("energy", "compare", str(reports[0]), str(partial))
    assert result.exit_code == 0
    assert "warning: the head report is partial" in result.output
