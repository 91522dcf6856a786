"""A real profile of a real program: py-spy records hot_cold.py, ecolint joins it.

The issue's target: on a program whose hot loop takes at least 80 % of the CPU, that loop's
finding gets at least 70 % of the samples and the cold loop's under 2 %.
"""

from __future__ import annotations

import json
import shutil

import pytest

from helpers.profiling import COLD_LINE, HOT_COLD, HOT_LINE, record_profile


@pytest.mark.slow
def test_py_spys_profile_puts_the_hot_loop_first_and_the_cold_one_under_2_percent(project, invoke):
    shutil.copy(HOT_COLD, project / "prog.py")
    record_profile(project / "prog.py", project / "profile.txt", cwd=project)
    result = invoke(  # ECO104 (opt-in) flags both loops
        "check", "prog.py", "--extend-select", "ECO104", "--profile", "profile.txt",
        "--format", "json",
    )  # fmt: skip
    cost = {f["line"]: f["measured"] for f in json.loads(result.output)["findings"]}
    assert cost[HOT_LINE]["share"] >= 0.70, cost
    assert cost[COLD_LINE]["share"] < 0.02, cost
