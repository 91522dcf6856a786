"""``pytest --eco --eco-profile``: real pytest runs (pytester, in a subprocess so that the
sampler samples the run under test, not this one), then ``ecolint check --profile``."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ecolint.config import ConfigError
from ecolint.config.energy import parse_energy
from ecolint.profiles import read_profile
from pytest_ecolint.profiler import SignalSampler, largest_remainder, make_sampler

# An example-like project: a package whose hot loop the tests run for about a second of
# CPU and whose cold loop they barely touch; both loops hold an ECO104 finding (opt-in).
STATS = """\
import random


def hottest(data, rounds):
    total = 0.0
    for _ in range(rounds):
        total += sorted(data)[-1]
    return total


def coldest(data, rounds):
    total = 0.0
    for _ in range(rounds):
        total += sorted(data)[0]
    return total


def sample(n):
    rng = random.Random(14)
    return [rng.random() for _ in range(n)]
"""
HOT_LINE, COLD_LINE = 7, 14

TESTS = """\
from shop.stats import coldest, hottest, sample


def test_hot():
    assert hottest(sample(20_000), {rounds}) > 0


def test_cold():
    assert coldest(sample(100), 5) > 0
"""


def project(pytester: pytest.Pytester, rounds: int = 300) -> pytest.Pytester:
    (pytester.path / "shop").mkdir()
    (pytester.path / "shop" / "__init__.py").write_text("")
    (pytester.path / "shop" / "stats.py").write_text(STATS)
    pytester.makepyprojecttoml('[tool.ecolint]\n\n[tool.pytest.ini_options]\npythonpath = ["."]\n')
    pytester.makepyfile(test_stats=TESTS.format(rounds=rounds))
    return pytester


@pytest.mark.slow
def test_the_profile_of_a_test_run_marks_the_hot_finding_with_its_share(pytester, invoke):
    suite = project(pytester)
    result = suite.runpytest_subprocess("--eco", "--eco-json", "eco.json", "--eco-profile")
    result.assert_outcomes(passed=2)
    written = suite.path / ".eco" / "profile.txt"
    result.stdout.fnmatch_lines([f"profile: * CPU s of stacks written to {written}*"])
    assert read_profile(written).samples > 0
    assert read_profile(written).clock == "cpu"  # the sampler charged CPU time, and says so
    assert (suite.path / ".eco" / ".gitignore").is_file()  # ecolint's own folder

    checked = invoke(
        "check", "shop", "--no-cache", "--extend-select", "ECO104", "--profile", str(written)
    )
    assert "[hot " in checked.output and "≤" not in checked.output, checked.output
    as_json = invoke(
        "check", "shop", "--no-cache", "--extend-select", "ECO104", "--profile", str(written),
        "--format", "json",
    )  # fmt: skip
    cost = {f["line"]: f["measured"] for f in json.loads(as_json.output)["findings"]}
    assert cost[HOT_LINE]["share"] >= 0.5, cost
    assert cost[COLD_LINE]["share"] < 0.05, cost


@pytest.mark.slow
def test_xdist_workers_profiles_are_merged_into_one_file(pytester):
    pytest.importorskip("xdist", reason="pip install pytest-xdist")
    suite = project(pytester, rounds=100)
    suite.makepyfile(test_more=TESTS.format(rounds=100).replace("def test_", "def test_more_"))
    result = suite.runpytest_subprocess(
        "--eco", "--eco-json", "eco.json", "--eco-profile=p.txt", "-n", "2"
    )
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["profile: * CPU s of stacks from 2 workers written to p.txt*"])
    text = (suite.path / "p.txt").read_text()
    assert "hottest (" in text and "test_stats.py" in text and "test_more.py" in text
    assert read_profile(suite.path / "p.txt").samples > 0


@pytest.mark.slow
@pytest.mark.parametrize("where", ["taken/profile.txt", "folder"])
def test_a_profile_path_that_cannot_be_written_is_a_usage_error_before_the_run(pytester, where):
    suite = project(pytester, rounds=1)
    (suite.path / "taken").write_text("a file, not a folder")
    (suite.path / "folder").mkdir()
    result = suite.runpytest_subprocess("--eco", "--eco-json", "eco.json", f"--eco-profile={where}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*cannot write the profile to {where}*"])
    assert "passed" not in result.stdout.str()


@pytest.mark.slow
def test_the_configured_profile_path_is_used_and_eco_profile_needs_eco(pytester):
    suite = project(pytester, rounds=1)
    suite.makepyprojecttoml(
        '[tool.ecolint.energy]\nprofile = "out/run.txt"\n\n'
        '[tool.pytest.ini_options]\npythonpath = ["."]\n'
    )
    result = suite.runpytest_subprocess("--eco", "--eco-json", "eco.json")
    result.assert_outcomes(passed=2)
    assert (suite.path / "out" / "run.txt").is_file()
    alone = suite.runpytest_subprocess("--eco-profile")
    assert alone.ret == pytest.ExitCode.USAGE_ERROR
    alone.stderr.fnmatch_lines(["*--eco-profile samples the --eco run: add --eco*"])


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, ".eco/profile.txt"), (False, None), ("prof/run.txt", "prof/run.txt")],
)
def test_the_profile_setting_takes_a_flag_or_a_path(value, expected):
    assert parse_energy({"profile": value}, Path("pyproject.toml")).profile == expected


@pytest.mark.parametrize("value", [3, "", ["a"]])
def test_a_profile_setting_of_another_kind_is_a_config_error(value):
    with pytest.raises(ConfigError, match="profile must be true, false or a file path"):
        parse_energy({"profile": value}, Path("pyproject.toml"))


def _spin(stop: threading.Event) -> None:
    while not stop.is_set():
        sum(range(1000))


@pytest.mark.parametrize("kind", ["signal", "thread"])
def test_the_sampler_charges_cpu_to_the_busy_thread_and_nothing_to_a_sleeping_one(kind):
    if kind == "signal" and not SignalSampler.available():
        pytest.skip("no setitimer here, or SIGPROF is taken: the thread sampler runs instead")
    stop = threading.Event()
    busy = threading.Thread(target=_spin, args=(stop,))
    idle = threading.Thread(target=stop.wait)
    sampler = make_sampler(interval_s=0.005, kind=kind)
    sampler.start()
    busy.start()
    idle.start()
    time.sleep(0.3)
    stop.set()
    busy.join()
    idle.join()
    sampler.stop()
    counts = sampler.folded()
    spinning = sum(n for stack, n in counts.items() if "_spin (" in stack)
    waiting = sum(n for stack, n in counts.items() if "_spin (" not in stack and "wait (" in stack)
    assert spinning > 0, counts
    assert waiting <= spinning // 10, counts
    assert all(" (" in frame for stack in counts for frame in stack.split(";")), counts
    assert sampler.own_cpu_s > 0


def test_counts_are_rounded_so_that_they_add_up_to_the_rounded_total():
    counts = largest_remainder({"a": 0.4, "b": 0.4, "c": 0.4, "d": 2.6})
    assert sum(counts.values()) == 4
    assert counts["d"] == 3


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.slow
def test_the_example_projects_suite_profiles_its_hot_finding(tmp_path, invoke, monkeypatch):
    """The bundled example project, as `make run` ships it: its own tests under
    ``pytest --eco --eco-profile``, then ``ecolint check --profile`` on its package. The
    log reader that reopens its file per line (ECO202) runs in the tests; the blocking sleep
    in a coroutine (ECO603) only sleeps 1 ms twice, using no CPU: at most the odd sample whose
    signal arrived as it began sleeping (a signal is handled when the sleep is interrupted,
    so the CPU just before is charged to it). The sampler charges CPU time: nothing is ``≤``."""
    project = tmp_path / "examples"
    shutil.copytree(EXAMPLES, project, ignore=shutil.ignore_patterns(".eco", ".ecolint"))
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--eco", "--eco-profile"],
        cwd=project, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    profile = project / ".eco" / "profile.txt"
    assert read_profile(profile).clock == "cpu"
    monkeypatch.chdir(project)
    result = invoke("check", "shopstats", "--no-cache", "--profile", str(profile))
    lines = {line.split(": ", 1)[0]: line for line in result.output.splitlines()}
    reader = next((v for where, v in lines.items() if where.startswith("shopstats/logs.py")), "")
    sleeper = next((v for where, v in lines.items() if "worker.py" in where), "")
    assert "ECO202" in reader and "[hot " in reader and "≤" not in reader, result.output
    assert "ECO603" in sleeper, result.output
    assert sleeper.endswith("[not hot in this profile]") or _share(sleeper) < _share(reader)
    assert "s CPU)" in result.output  # the profile line: CPU time, not sampled wall time


def _share(line: str) -> int:
    """The percentage of ``[hot 13% · …]`` at the end of a finding's line."""
    return int(line.rpartition("[hot ")[2].partition("%")[0])
