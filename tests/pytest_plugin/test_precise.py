"""Precise mode (``eco_precise``, ``--eco-precise``): instruction counts as a work proxy.

The callgrind tests run real valgrind subprocesses (about 10 s each here). This machine has
no PMU, so the perf path is exercised only for "not available"; the PMU test below checks
whichever of the two the machine offers.
"""

from __future__ import annotations

import json
import shutil

import pytest

from ecolint.energy.precise import ClientRequests, PerfCounter, PmuUnavailable
from ecolint.energy.reading import load_report
from helpers import read_energy_report, require_component
from helpers.energy_reports import as_version_2


@pytest.fixture
def valgrind() -> None:
    require_component(
        shutil.which("valgrind") is not None, "valgrind", "apt-get install valgrind (make test)"
    )


needs_valgrind = pytest.mark.usefixtures("valgrind")

SUITE = """
import pytest

def burn(n):
    total = 0
    for i in range(n):
        total += i * i
    return total

@pytest.mark.eco_precise
def test_once():
    burn(100_000)

@pytest.mark.eco_precise
def test_twice():
    burn(200_000)

def test_plain():
    burn(1_000)

@pytest.mark.eco_precise
@pytest.mark.skip(reason="not today")
def test_skipped():
    pass
"""


@pytest.fixture
def suite(pytester):
    pytester.makepyfile(test_work=SUITE)
    return pytester


def report_tests(pytester, name="eco.json"):
    document = read_energy_report(pytester.path / name)
    return {nodeid.split("::")[1]: test for nodeid, test in document["tests"].items()}


@needs_valgrind
@pytest.mark.slow
def test_precise_tests_get_instruction_counts_in_proportion_to_their_work(suite):
    result = suite.runpytest("--eco", "--eco-json", "eco.json")
    result.assert_outcomes(passed=3, skipped=1)
    tests = report_tests(suite)
    once, twice = tests["test_once"], tests["test_twice"]
    assert once["instructions"] > 0
    assert once["instructions_method"] in ("perf", "callgrind")
    assert 1.9 < twice["instructions"] / once["instructions"] < 2.1
    assert tests["test_plain"]["instructions"] is None  # not marked
    assert tests["test_skipped"]["instructions"] is None  # marked, but did not run
    method = once["instructions_method"]
    result.stdout.fnmatch_lines(
        [f"instructions ({method}, work proxy, not energy):", "*,*  test_work.py::test_twice"]
    )


@needs_valgrind
@pytest.mark.slow
def test_two_runs_of_a_deterministic_test_count_within_two_percent(suite):
    counts = []
    for name in ("first.json", "second.json"):
        suite.runpytest("--eco", "--eco-json", name, "--eco-precise-method", "callgrind")
        counts.append(report_tests(suite, name)["test_once"]["instructions"])
    first, second = counts
    assert first > 0 and abs(second - first) / first < 0.02


@pytest.mark.slow
def test_eco_precise_makes_every_test_precise(suite):
    """With the PMU only (no callgrind re-run): every test that ran is counted or named."""
    result = suite.runpytest(
        "--eco", "--eco-json", "eco.json", "--eco-precise", "--eco-precise-method", "perf"
    )
    result.assert_outcomes(passed=3, skipped=1)
    tests = report_tests(suite)
    counted = [name for name, test in tests.items() if test["instructions_method"] == "perf"]
    if counted:  # a machine with a PMU
        assert sorted(counted) == ["test_once", "test_plain", "test_twice"]
    else:
        result.stdout.fnmatch_lines(
            ["instructions: 3 precise tests have no instruction count: no PMU *"]
        )


@pytest.mark.slow
def test_without_valgrind_the_test_has_no_count_and_a_message_says_how_to_install_it(
    suite, monkeypatch
):
    monkeypatch.setenv("PATH", str(suite.path / "empty"))
    result = suite.runpytest("--eco", "--eco-json", "eco.json", "--eco-precise-method", "callgrind")
    assert result.ret == 0
    result.assert_outcomes(passed=3, skipped=1)
    result.stdout.fnmatch_lines(
        ["instructions: valgrind is not installed*apt-get install valgrind*"]
    )
    # and a warning, which -W can turn into a failure (pytest_ecolint.EcolintWarning)
    result.stdout.fnmatch_lines(["*InstructionCountWarning: ecolint: valgrind is not installed*"])
    assert report_tests(suite)["test_once"]["instructions"] is None


def test_the_pmu_counter_either_counts_more_for_more_work_or_says_why_not():
    try:
        counter = PerfCounter.open()
    except PmuUnavailable as error:
        assert "no PMU instruction counter here" in str(error) or "not supported" in str(error)
        return
    try:
        start = counter.read()
        sum(range(10_000))
        small = counter.read() - start
        start = counter.read()
        sum(range(1_000_000))
        large = counter.read() - start
    finally:
        counter.close()
    assert 0 < small < large


@pytest.mark.slow
def test_a_report_written_before_precise_mode_still_loads(suite):
    suite.runpytest("--eco", "--eco-json", "eco.json", "--eco-precise-method", "perf")
    path = suite.path / "eco.json"
    document = as_version_2(json.loads(path.read_text()))  # version 2 wrote every field
    for test in document["tests"].values():
        del test["instructions"], test["instructions_method"]
    path.write_text(json.dumps(document))
    report = load_report(path)
    assert len(report.tests) == 4
    assert all(test.instructions is None for test in report.tests.values())


def test_callgrind_client_requests_are_no_ops_outside_valgrind():
    try:
        requests = ClientRequests.create()
    except OSError as error:  # an architecture without the routine, or no executable memory
        pytest.skip(str(error))
    assert requests.on_valgrind() is False  # the special instructions ran, and did nothing
    requests.start()
    requests.dump("outside valgrind")
