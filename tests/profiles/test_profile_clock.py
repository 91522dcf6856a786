"""Which clock a profile's seconds come from, carried to every place that shows them.

py-spy (and speedscope, Austin without ``-s``) takes a sample whenever a thread is not
idle, so on a busy machine it also counts time spent waiting for a CPU: its seconds and
joules are upper bounds, shown with ``≤``. ``pytest --eco-profile`` charges each stack the
CPU time its thread used and marks its file as such.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ecolint.ci.comment import _cost
from ecolint.ci.model import MeasuredRef, ReportFormatError
from ecolint.profiles.model import CPU_CLOCK_HEADER
from ecolint.profiles.read import read_profile
from ecolint.render.text import cost_tag
from ecolint.results import Measured

RECORDED = Path(__file__).parent / "recorded"


def test_py_spy_profiles_are_wall_sampled_and_austin_cpu_mode_is_cpu_time():
    assert read_profile(RECORDED / "hot_cold.raw.txt").clock == "sampled"
    assert read_profile(RECORDED / "hot_cold.speedscope.json").clock == "sampled"
    assert read_profile(RECORDED / "hot_cold.austin").clock == "cpu"  # recorded with -s


def test_the_header_the_test_run_sampler_writes_marks_cpu_time_and_is_not_a_stack(tmp_path):
    recorded = (RECORDED / "hot_cold.raw.txt").read_text(encoding="utf-8")
    marked = tmp_path / "profile.txt"
    marked.write_text(f"{CPU_CLOCK_HEADER}\n{recorded}", encoding="utf-8")
    plain = read_profile(RECORDED / "hot_cold.raw.txt")
    profile = read_profile(marked)
    assert profile.clock == "cpu"
    assert (profile.samples, len(profile.stacks)) == (plain.samples, len(plain.stacks))


@pytest.mark.parametrize(("clock", "tag"), [("cpu", "1.50 s · 3.00 J"), ("sampled", "≤1.50 s")])
def test_the_finding_line_says_when_its_cost_is_an_upper_bound(clock, tag):
    measured = Measured(0.5, 150, 1.5, 3.0, "p.txt", clock)
    assert tag in cost_tag(measured)
    assert ("≤" in cost_tag(measured)) is (clock == "sampled")
    ref = MeasuredRef(0.5, 150, 1.5, 3.0, "p.txt", clock)
    assert ("≤" in _cost(ref)) is (clock == "sampled")


def test_a_ci_artifact_with_an_unknown_clock_is_refused():
    with pytest.raises(ReportFormatError, match="clock"):
        MeasuredRef(0.5, 150, 1.5, 3.0, "p.txt", "wall")
