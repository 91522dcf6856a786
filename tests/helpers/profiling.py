"""Real CPU profiles for tests: py-spy records a program, as a user would.

``tests/profiles/hot_cold.py`` is the program with one hot and one cold ECO104 finding
(``sorted(...)[0]`` in a loop, lines 15 and 22); the profile of its run is written by py-spy
(``record -f raw``), never by the code under test.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from helpers.components import require_component

HOT_COLD = Path(__file__).parents[1] / "profiles" / "hot_cold.py"
HOT_LINE, COLD_LINE = 15, 22  # the ECO104 findings of hot_cold.py


def py_spy() -> str | None:
    """py-spy beside this Python (``pip install -e '.[dev]'`` ships it), else on the PATH."""
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


def record_profile(script: Path, output: Path, *, cwd: Path, full_filenames: bool = False) -> Path:
    """Run ``script`` under ``py-spy record -f raw`` from ``cwd``; the profile is ``output``."""
    binary = py_spy()
    require_component(binary is not None, "py-spy", "pip install -e '.[dev]' (it ships py-spy)")
    assert binary is not None
    command = [binary, "record", "-f", "raw", "-o", str(output)]
    command += ["--full-filenames"] if full_filenames else []
    recorded = subprocess.run(
        [*command, "--", sys.executable, str(script)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert recorded.returncode == 0, recorded.stderr
    return output
