"""``ecolint explain RULE --profile F``: the rule's findings with their measured cost and
the saving its benchmark suggests, labelled an estimate.

The ratios come from each rule's ``## Evidence`` (``lint/evidence.py``); the profile is
py-spy's, of ``tests/profiles/hot_cold.py`` (one hot and one cold ECO104 finding).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ecolint.lint.evidence import Ratio, benchmark_ratios, nearest, saving
from ecolint.lint.registry import find_rule
from helpers.profiling import COLD_LINE, HOT_COLD, HOT_LINE, record_profile

EVIDENCE = """
## What it does
Something.

## Evidence
`bench/rules/x.py` on a VM (median of 7 paired runs): 3.2x at n=100, 56× at n=10⁴,
1,005x at n=1,000; str attribute 4.3x, 66x; another case 2x at n=10, 9x at n=100.

A second paragraph: 99x at n=10⁸.
"""


def test_the_first_series_of_ratios_at_sizes_is_read_from_the_evidence():
    assert benchmark_ratios(EVIDENCE) == (Ratio(100, 3.2), Ratio(10_000, 56.0))


def test_the_runs_of_one_size_give_their_smallest_ratio():
    doc = "## Evidence\nTwo runs: 4.6× / 2.2× at n=100, 13.6× / 2.6× at n=1,000 (run 1 / run 2).\n"
    assert benchmark_ratios(doc) == (Ratio(100, 2.2), Ratio(1000, 2.6))


@pytest.mark.parametrize(
    "doc",
    ["", "## Evidence\nNot measured: no GPU.\n", "## Evidence\n102 ms against 10.7 ms at n=10.\n"],
)
def test_evidence_without_ratios_at_sizes_gives_none(doc):
    assert benchmark_ratios(doc) == ()


def test_every_measured_loop_rule_has_a_series():
    """The rules whose evidence is a time ratio per size (a regression guard for the parse:
    their docstrings are edited by hand)."""
    for code in ("ECO101", "ECO102", "ECO104", "ECO109"):
        rule = find_rule(code)
        assert rule is not None and len(benchmark_ratios(rule.info().doc)) >= 3, code


def test_the_nearest_size_is_taken_on_a_log_scale_and_a_ratio_of_1_saves_nothing():
    ratios = (Ratio(100, 1.2), Ratio(10_000, 3.2), Ratio(1_000_000, 8.5))
    assert nearest(ratios, 900) == Ratio(100, 1.2)  # 10^2.95: nearer 10^2 than 10^4
    assert nearest(ratios, 1100) == Ratio(10_000, 3.2)
    assert nearest(ratios, 10**9) == Ratio(1_000_000, 8.5)
    assert saving(10.0, 4.0) == pytest.approx(7.5)
    assert saving(10.0, 0.9) == 0.0


def test_paths_without_a_profile_are_a_usage_error(invoke):
    from click.testing import CliRunner

    from ecolint.cli.main import cli

    result = CliRunner().invoke(cli, ["explain", "ECO104", "--size", "10"])
    assert result.exit_code == 2 and "go with --profile" in result.output


@pytest.fixture(scope="module")
def profiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("explain")
    shutil.copy(HOT_COLD, root / "prog.py")
    record_profile(Path("prog.py"), root / "profile.txt", cwd=root)
    return root


@pytest.mark.slow
def test_a_hot_finding_gets_an_estimated_saving_at_each_benchmarked_size(
    profiled, invoke, monkeypatch
):
    monkeypatch.chdir(profiled)
    output = invoke("explain", "ECO104", "--profile", "profile.txt", "prog.py").output
    head, doc = output.split("## What it does", 1)
    assert "Measured in profile.txt: 2 ECO104 findings" in head
    hot = re.search(
        rf"prog\.py:{HOT_LINE}:\d+  \[hot (\d+)% · ≤[\d.]+ \w?s · ≤([\d.]+) J\]\n"
        r"    estimated saving per run: (.*)\n",
        head,
    )
    assert hot is not None and int(hot[1]) >= 70, head
    cost, estimates = float(hot[2]), hot[3]
    ratios = benchmark_ratios(find_rule("ECO104").info().doc)  # type: ignore[union-attr]
    shown = [float(j) for j in re.findall(r"≤([\d.]+) J at n=", estimates)]
    assert shown == pytest.approx([saving(cost, r.ratio) for r in ratios], rel=0.01)
    # the cold loop comes second (its few samples, if any, are under 2 %)
    assert head.index(f"prog.py:{COLD_LINE}:") > hot.end()
    assert "Estimates, not measurements of this code" in head
    assert "Flags `sorted(...)[0]`" in doc  # then the documentation, as without a profile


@pytest.mark.slow
def test_size_picks_the_nearest_benchmarked_size(profiled, invoke, monkeypatch):
    monkeypatch.chdir(profiled)
    output = invoke("explain", "ECO104", "--profile", "profile.txt", "--size", "20000").output
    ratios = benchmark_ratios(find_rule("ECO104").info().doc)  # type: ignore[union-attr]
    near = nearest(ratios, 20_000)
    assert re.search(rf"estimated saving: ≤[\d.]+ J per run at n={near.size:,} \(", output)
