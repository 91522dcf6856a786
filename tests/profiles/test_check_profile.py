"""``ecolint check --profile``: findings carry the cost the profile measured on them.

The profiles are py-spy's own, recorded from real runs of hot_cold.py (recorded/README.md).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ecolint.cli.profiling import PY_SPY_RATE_HZ
from ecolint.profiles.model import DEFAULT_RATE_HZ
from helpers import write

HERE = Path(__file__).parent
RECORDED = HERE / "recorded"
RAW = str(RECORDED / "hot_cold.raw.txt")  # short paths, 1,000 Hz, 1,438 samples
FULL = str(RECORDED / "hot_cold.full.txt")  # /work/main/tests/profiles/hot_cold.py, 100 Hz
SPEEDSCOPE = str(RECORDED / "hot_cold.speedscope.json")  # full paths, 1,000 Hz, 1,212
WHERE_RECORDED = "/work/main/tests/profiles"
AAA = """\
for row in rows:
    first = sorted(row)[0]
"""  # a finding first in path order, in a file no profile covers


@pytest.fixture
def hot_cold(project: Path) -> Path:
    """The profiled program in a project whose CPU model is fixed at 2 W per thread."""
    write(
        project / "pyproject.toml",
        # ECO104 (opt-in) flags both loops of hot_cold.py
        '[tool.ecolint]\nextend-select = ["ECO104"]\n'
        "[tool.ecolint.energy]\nwatts-per-thread = 2.0\n",
    )
    shutil.copy(HERE / "hot_cold.py", project / "hot_cold.py")
    return project


def measured(invoke, *args: str) -> dict[int, dict]:
    result = invoke("check", "hot_cold.py", "--format", "json", *args)
    assert result.exit_code == 1, result.output
    return {f["line"]: f["measured"] for f in json.loads(result.output)["findings"]}


def test_the_hot_loop_gets_its_share_seconds_and_joules(hot_cold, invoke):
    cost = measured(invoke, "--profile", RAW, "--profile-rate", "1000")
    assert cost[15] == {
        "share": pytest.approx(1422 / 1438),
        "samples": 1422,
        "cpu_s": pytest.approx(1.422),
        "joules": pytest.approx(2.844),  # 1.422 s x 2 W
        "profile": RAW,
        "clock": "sampled",  # py-spy samples a thread that waits for a CPU too
    }
    assert cost[22]["samples"] == 1 and cost[22]["share"] < 0.001


def test_the_text_shows_the_cost_on_the_finding_line(hot_cold, invoke):
    result = invoke("check", "hot_cold.py", "--profile", RAW, "--profile-rate", "1000")
    lines = result.output.splitlines()
    assert lines[0].startswith("hot_cold.py:15:18: ECO104")
    assert lines[0].endswith("[hot 99% · ≤1.42 s · ≤2.84 J]")
    assert next(line for line in lines if line.startswith("hot_cold.py:22:")).endswith(
        "[hot <0.1% · ≤1.00 ms · ≤0.00200 J]"
    )
    assert (
        f"Profile {RAW}: 1438 samples at 1000 Hz (1.44 s sampled), 100% of them in the linted"
        in (result.output)
    )


def test_a_finding_no_sample_reached_is_not_hot_but_shown(hot_cold, invoke):
    result = invoke("check", "hot_cold.py", "--profile", FULL, "--profile-root", WHERE_RECORDED)
    cold = next(line for line in result.output.splitlines() if line.startswith("hot_cold.py:22"))
    assert cold.endswith("[not hot in this profile]")
    assert measured(invoke, "--profile", FULL)[22]["samples"] == 0


def test_the_whole_loop_is_charged_header_included(hot_cold, invoke):
    # speedscope at 1,000 Hz: 1,202 samples on line 15 and 1 on the `for` of line 14
    cost = measured(invoke, "--profile", SPEEDSCOPE)
    assert cost[15]["samples"] == 1203
    assert cost[15]["cpu_s"] == pytest.approx(1.203)


def test_among_several_profiles_a_finding_keeps_its_hottest(hot_cold, invoke):
    cost = measured(invoke, "--profile", FULL, "--profile", RAW, "--profile-rate", "1000")
    assert cost[15]["profile"] == RAW  # 98.9 % there, 95.4 % in the other
    assert cost[22]["profile"] == RAW


def test_paths_outside_the_recorded_root_match_nothing_and_the_summary_says_so(hot_cold, invoke):
    result = invoke("check", "hot_cold.py", "--profile", FULL, "--profile-root", "/app")
    assert "[hot" not in result.output and "not hot" not in result.output
    assert "none ran a linted file: record with py-spy --full-filenames" in result.output


def test_sort_cost_puts_the_hottest_first_and_unmeasured_last(hot_cold, invoke):
    write(hot_cold / "aaa.py", AAA)
    args = ("--profile", RAW, "--profile-rate", "1000", "-q")
    by_place = invoke("check", ".", *args).output.splitlines()
    by_cost = invoke("check", ".", *args, "--sort", "cost").output.splitlines()
    assert [line.split(":")[:2] for line in by_place] == [
        ["aaa.py", "2"],
        ["hot_cold.py", "15"],
        ["hot_cold.py", "22"],
    ]
    assert [line.split(":")[:2] for line in by_cost] == [
        ["hot_cold.py", "15"],
        ["hot_cold.py", "22"],
        ["aaa.py", "2"],
    ]


def test_min_cost_hides_and_counts_the_cheap_findings(hot_cold, invoke):
    write(hot_cold / "aaa.py", AAA)
    result = invoke("check", ".", "--profile", RAW, "--profile-rate", "1000", "--min-cost", "1%")
    assert "hot_cold.py:15:" in result.output
    assert "hot_cold.py:22:" not in result.output and "aaa.py" not in result.output
    assert "2 findings hidden below --min-cost" in result.output
    document = json.loads(
        invoke("check", ".", "--profile", RAW, "--min-cost", "0.01", "--format", "json").output
    )
    assert document["summary"]["below_cost"] == 2 and len(document["findings"]) == 1


def test_json_names_the_profiles_and_sarif_ranks_by_share(hot_cold, invoke):
    args = ("hot_cold.py", "--profile", RAW, "--profile-rate", "1000")
    document = json.loads(invoke("check", *args, "--format", "json").output)
    assert document["version"] == 3
    (profile,) = document["profiles"]
    # every sample but the 6 that caught no Python frame ran hot_cold.py (its imports too)
    assert profile["samples"] == 1438 and profile["mapped_samples"] == 1432
    assert profile["format"] == "collapsed" and profile["rate_hz"] == 1000
    assert profile["energy_model"] == "configured (watts-per-thread)"
    sarif = json.loads(invoke("check", *args, "--format", "sarif").output)
    hot, cold = sarif["runs"][0]["results"]
    assert hot["rank"] == pytest.approx(98.89, abs=0.01)
    assert hot["properties"]["measured"]["samples"] == 1422
    assert cold["rank"] == pytest.approx(0.07, abs=0.01)


def test_without_a_profile_findings_carry_no_cost(hot_cold, invoke):
    result = invoke("check", "hot_cold.py", "--format", "json")
    assert all(f["measured"] is None for f in json.loads(result.output)["findings"])


@pytest.mark.parametrize(
    "args",
    [
        ("--sort", "cost"),
        ("--min-cost", "5%"),
        ("--profile", RAW, "--fix"),
        ("--profile", RAW, "--diff"),
        ("--profile", RAW, "--min-cost", "150%"),
    ],
)
def test_options_that_need_or_exclude_a_profile_are_usage_errors(hot_cold, invoke, args):
    assert invoke("check", "hot_cold.py", *args).exit_code == 2


def test_a_file_that_is_not_a_profile_is_a_usage_error(hot_cold, invoke):
    result = invoke("check", "hot_cold.py", "--profile", "hot_cold.py")
    assert result.exit_code == 2
    assert "hot_cold.py:1: expected" in result.output


def test_the_cli_default_rate_is_the_readers():
    assert PY_SPY_RATE_HZ == DEFAULT_RATE_HZ == 100


@pytest.mark.slow
def test_check_without_a_profile_imports_none_of_it(hot_cold):
    code = (
        "import sys\n"
        "from ecolint.cli.main import cli\n"
        "try:\n"
        "    cli.main(['check', 'hot_cold.py', '-q'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('ecolint.profiles')))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=hot_cold, capture_output=True, text=True, timeout=120
    )
    assert run.stdout.splitlines()[-1] == "[]", run.stderr
