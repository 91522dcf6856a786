"""``pytest --eco`` with real pytest runs (pytester)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import read_energy_report

BURN = """
import hashlib

def burn(n):
    for _ in range(n):
        hashlib.sha256(b"x" * 100).digest()
"""


@pytest.fixture
def suite(pytester):
    pytester.makepyfile(
        test_suite=BURN
        + """
import pytest

def test_light():
    burn(100)

def test_heavy():
    burn(40000)

def test_fails():
    assert False

@pytest.fixture
def broken():
    raise RuntimeError("fixture")

def test_broken_fixture(broken):
    pass

@pytest.mark.skip(reason="not today")
def test_skipped():
    pass
"""
    )
    return pytester


def report(pytester, name="eco.json"):
    return read_energy_report(pytester.path / name)


@pytest.mark.slow
def test_without_eco_the_plugin_does_nothing(suite):
    result = suite.runpytest()
    assert "ecolint energy" not in result.stdout.str()
    assert not (suite.path / "eco.json").exists()


@pytest.mark.slow
def test_eco_prints_the_method_grid_totals_and_top_tests(suite):
    result = suite.runpytest("--eco", "--eco-country", "FRA")
    result.stdout.fnmatch_lines(
        [
            "*ecolint energy*",
            "method: model:cpu-time (*4 W per thread*codecarbon DEFAULT_POWER_PER_CORE*",
            "grid: France 56.04 gCO2e/kWh*2023*",
            "session: * s wall, * s CPU, * J (published CPU power models: * J to * J), *CO2e;"
            " SCI *CO2e per run",
            "top 5 tests by energy:",
            "*test_suite.py::test_heavy",
        ]
    )


@pytest.mark.slow
def test_outcomes_are_unchanged_and_every_test_is_in_the_report(suite):
    result = suite.runpytest("--eco", "--eco-json", "eco.json")
    result.assert_outcomes(passed=2, failed=1, errors=1, skipped=1)
    tests = report(suite)["tests"]
    outcomes = {nodeid.split("::")[1]: test["outcome"] for nodeid, test in tests.items()}
    assert outcomes == {
        "test_light": "passed",
        "test_heavy": "passed",
        "test_fails": "failed",
        "test_broken_fixture": "failed",
        "test_skipped": "skipped",
    }


@pytest.mark.slow
def test_the_report_has_the_versioned_schema_and_consistent_figures(suite):
    suite.runpytest("--eco", "--eco-json", "eco.json", "--eco-grid-intensity", "100")
    raw = json.loads((suite.path / "eco.json").read_text())
    assert raw["version"] == 3
    for row in raw["tests"].values():  # measured clocks only, in integer nanoseconds
        assert type(row["wall_ns"]) is int and type(row["cpu_ns"]) is int
        assert row.keys().isdisjoint({"wall_s", "cpu_s", "energy_j", "gco2e", "gpu_j"})
    document = report(suite)  # as ecolint reads it: the joules and grams derived again
    session = document["session"]
    assert session["method"] == "model:cpu-time" and session["zone"] == "configured"
    assert session["meter"] == "model" and session["codecarbon"] is None
    assert session["complete"] is True
    heavy = next(t for n, t in document["tests"].items() if n.endswith("test_heavy"))
    light = next(t for n, t in document["tests"].items() if n.endswith("test_light"))
    assert heavy["cpu_s"] > 10 * light["cpu_s"]
    assert heavy["energy_j"] == pytest.approx(heavy["cpu_s"] * 4.0)
    assert heavy["gco2e"] == pytest.approx(heavy["energy_j"] / 3.6e6 * 100)
    assert sum(t["cpu_s"] for t in document["tests"].values()) <= session["cpu_s"]
    assert session["energy_j_low"] < session["energy_j"] <= session["energy_j_high"]


@pytest.mark.slow
def test_watts_per_thread_and_pue_come_from_the_config(pytester):
    pytester.makepyfile(test_one=BURN + "\ndef test_it():\n    burn(5000)\n")
    pytester.makepyprojecttoml(
        "[tool.ecolint.energy]\nenabled = true\nwatts-per-thread = 2.0\npue = 1.5\n"
        "grid-intensity = 300\n"
    )
    pytester.runpytest("--eco-json", "eco.json")
    document = report(pytester)
    session, test = document["session"], next(iter(document["tests"].values()))
    assert session["watts_per_thread"] == 2.0 and session["coefficient_source"].startswith(
        "configured"
    )
    assert test["energy_j"] == pytest.approx(test["cpu_s"] * 2.0)
    assert test["gco2e"] == pytest.approx(test["energy_j"] / 3.6e6 * 300 * 1.5)


@pytest.mark.slow
def test_an_error_budget_marker_fails_the_session_naming_test_and_figure(pytester):
    pytester.makepyfile(
        test_budget=BURN + "import pytest\n\n@pytest.mark.eco_budget(cpu_ms=0.001)\n"
        "def test_costly():\n    burn(20000)\n"
    )
    result = pytester.runpytest("--eco")
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        ["budget FAILED: test test_budget.py::test_costly: test-cpu-ms = * > 0.001"]
    )
    result.assert_outcomes(passed=1)


@pytest.mark.slow
def test_a_budget_marker_is_honoured_when_xdist_workers_run_the_test(pytester):
    pytest.importorskip("xdist", reason="pip install pytest-xdist")
    pytester.makepyfile(
        test_budget=BURN + "import pytest\n\n@pytest.mark.eco_budget(cpu_ms=0.001)\n"
        "def test_costly():\n    burn(20000)\n\ndef test_free():\n    pass\n"
    )
    result = pytester.runpytest_subprocess("--eco", "-n", "2")
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        ["budget FAILED: test test_budget.py::test_costly: test-cpu-ms = * > 0.001"]
    )


@pytest.mark.slow
def test_a_warn_level_budget_only_reports(pytester):
    pytester.makepyfile(test_one=BURN + "\ndef test_it():\n    burn(5000)\n")
    pytester.makepyprojecttoml(
        "[tool.ecolint.energy.budget]\nsuite-cpu-s = { max = 0.000001, level = 'warn' }\n"
    )
    result = pytester.runpytest("--eco")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["budget warning: suite: suite-cpu-s = * > 1.00e-06"])


@pytest.mark.slow
def test_a_suite_budget_from_the_config_fails_the_session(pytester):
    pytester.makepyfile(test_one=BURN + "\ndef test_it():\n    burn(5000)\n")
    pytester.makepyprojecttoml("[tool.ecolint.energy.budget]\nsuite-energy-j = 0.000001\n")
    assert pytester.runpytest("--eco").ret == 1


@pytest.mark.slow
def test_a_session_with_no_tests_still_writes_a_report(pytester):
    pytester.makepyfile(test_none="x = 1\n")
    result = pytester.runpytest("--eco", "--eco-json", "eco.json")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    assert report(pytester)["session"]["tests"] == 0


@pytest.mark.slow
def test_an_interrupted_run_writes_a_partial_report(pytester):
    pytester.makepyfile(
        test_stop="def test_one():\n    pass\n\ndef test_two():\n    raise KeyboardInterrupt\n"
        "\ndef test_three():\n    pass\n"
    )
    result = pytester.runpytest_subprocess("--eco", "--eco-json", "eco.json")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    document = report(pytester)
    assert document["session"]["complete"] is False
    assert any(nodeid.endswith("test_one") for nodeid in document["tests"])


def test_an_unknown_country_is_a_clear_error(pytester):
    pytester.makepyfile(test_one="def test_it():\n    pass\n")
    result = pytester.runpytest("--eco", "--eco-country", "XYZ")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*unknown country code 'XYZ'*alpha-3*"])


def test_an_unwritable_report_path_is_a_clear_error(pytester):
    pytester.makepyfile(test_one="def test_it():\n    pass\n")
    (pytester.path / "taken").mkdir()
    result = pytester.runpytest("--eco", "--eco-json", "taken")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*cannot write the energy report to taken*"])


@pytest.mark.slow
def test_xdist_workers_send_their_numbers_to_one_report(suite):
    pytest.importorskip("xdist", reason="pip install pytest-xdist")
    result = suite.runpytest_subprocess("--eco", "--eco-json", "eco.json", "-n", "2")
    result.assert_outcomes(passed=2, failed=1, errors=1, skipped=1)
    document = report(suite)
    assert len(document["tests"]) == 5
    assert {t["worker"] for t in document["tests"].values()} == {"gw0", "gw1"}
    assert document["session"]["workers"] == 2


def test_the_plugin_does_not_import_libcst_into_every_pytest_session():
    import subprocess
    import sys

    code = "import sys, pytest_ecolint.options; print('libcst' in sys.modules)"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert completed.stdout.strip() == "False", completed.stderr


@pytest.mark.slow
def test_without_the_energy_extra_eco_stops_at_once_saying_what_to_install(pytester):
    pytester.makeconftest(
        """
import sys


class HideCodecarbon:
    def find_spec(self, name, path=None, target=None):
        if name == "codecarbon":
            raise ModuleNotFoundError("No module named 'codecarbon'")
        return None


sys.meta_path.insert(0, HideCodecarbon())
"""
    )
    pytester.makepyfile(test_one="def test_it():\n    pass\n")
    result = pytester.runpytest_subprocess("--eco")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "pip install 'ecolint[energy]'" in result.stderr.str()
    assert "passed" not in result.stdout.str()


@pytest.mark.slow
def test_eco_writes_its_report_where_ecolint_score_looks_for_it(pytester):
    from ecolint.config.energy import DEFAULT_ENERGY_REPORT

    pytester.makepyfile(test_one="def test_it():\n    pass\n")
    pytester.runpytest("--eco").assert_outcomes(passed=1)
    document = report(pytester, str(DEFAULT_ENERGY_REPORT))
    assert document["session"]["complete"] is True and len(document["tests"]) == 1


@pytest.mark.slow
def test_a_broken_energy_table_only_warns_when_energy_is_not_measured(pytester):
    pytester.makepyfile(test_one="def test_it():\n    pass\n")
    pytester.makepyprojecttoml('[tool.ecolint.energy]\ncountri = "FRA"\n')
    plain = pytester.runpytest()
    plain.assert_outcomes(passed=1, warnings=1)
    plain.stdout.fnmatch_lines(
        ["*EnergyNotMeasuredWarning: *unknown key(s) countri*energy is not measured*"]
    )
    # one base class: -W acts on every degraded mode of the plugin at once
    pytester.runpytest("-W", "ignore::pytest_ecolint.EcolintWarning").assert_outcomes(passed=1)
    measured = pytester.runpytest("--eco")
    assert measured.ret == pytest.ExitCode.USAGE_ERROR
    measured.stderr.fnmatch_lines(["*unknown key(s) countri*"])


@pytest.mark.parametrize(
    "option", [("--eco-pue", "0.5"), ("--eco-pue", "-1"), ("--eco-watts-per-thread", "-2")]
)
def test_an_impossible_figure_on_the_command_line_is_a_usage_error(pytester, option):
    pytester.makepyfile(test_one="def test_it():\n    pass\n")
    result = pytester.runpytest("--eco", *option)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*must be*"])


def test_budget_figures_read_as_people_write_them():
    from pytest_ecolint.summary import plain

    assert (plain(11940.4), plain(81.476), plain(0.001), plain(1e-06)) == (
        "11,940",
        "81.48",
        "0.001",
        "1.00e-06",
    )


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        ("cpu_sm=5", "unknown keyword(s) cpu_sm"),
        ("5", "takes keywords only"),
        ("cpu_ms='fast'", "cpu_ms must be a positive number"),
        ("joules=1, level='fatal'", "level must be 'error' or 'warn'"),
        ("level='warn'", "sets no budget"),
    ],
)
@pytest.mark.slow
def test_a_mistyped_budget_marker_is_a_usage_error_naming_the_test(pytester, marker, message):
    pytester.makepyfile(
        test_one=f"import pytest\n\n@pytest.mark.eco_budget({marker})\ndef test_it():\n    pass\n"
    )
    result = pytester.runpytest("--eco")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*test_one.py::test_it*{message}*"])


def test_every_degraded_mode_warns_with_a_subclass_of_one_ecolint_warning():
    """pytest-cov's model: ``PytestCovWarning`` and its subclasses, one per degraded mode."""
    import pytest_ecolint

    kinds = [
        pytest_ecolint.EnergyNotMeasuredWarning,
        pytest_ecolint.MeterWarning,
        pytest_ecolint.InstructionCountWarning,
    ]
    assert issubclass(pytest_ecolint.EcolintWarning, pytest.PytestWarning)
    assert all(issubclass(kind, pytest_ecolint.EcolintWarning) for kind in kinds)
    plugin = Path(pytest_ecolint.__file__).parent
    used = " ".join(path.read_text(encoding="utf-8") for path in plugin.glob("*.py"))
    assert "PytestConfigWarning(" not in used  # every warning says it is ecolint's
    for kind in kinds:
        assert f"{kind.__name__}(" in used.replace(f"class {kind.__name__}(", ""), kind
