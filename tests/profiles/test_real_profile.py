"""A real profile of a real program: py-spy records hot_cold.py, ecolint joins it.

The issue's target: on a program whose hot loop takes at least 80 % of the CPU, that loop's
finding gets at least 70 % of the samples and the cold loop's under 2 %.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import require_component

HERE = Path(__file__).parent


def py_spy() -> str | None:
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


@pytest.mark.slow
def test_py_spys_profile_puts_the_hot_loop_first_and_the_cold_one_under_2_percent(project, invoke):
    binary = py_spy()
    require_component(binary is not None, "py-spy", "pip install -e '.[dev]' (it ships py-spy)")
    assert binary is not None
    shutil.copy(HERE / "hot_cold.py", project / "prog.py")
    recorded = subprocess.run(
        [binary, "record", "-f", "raw", "-o", "profile.txt", "--", sys.executable, "prog.py"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert recorded.returncode == 0, recorded.stderr
    result = invoke(  # ECO104 (opt-in) flags both loops
        "check",
        "prog.py",
        "--extend-select",
        "ECO104",
        "--profile",
        "profile.txt",
        "--format",
        "json",
    )
    cost = {f["line"]: f["measured"] for f in json.loads(result.output)["findings"]}
    assert cost[15]["share"] >= 0.70, cost
    assert cost[22]["share"] < 0.02, cost
