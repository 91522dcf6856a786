"""The other linters the benchmark compares with: Fixit in a venv of its own, and ruff.

Fixit is installed only for the benchmark, into ``bench/.peers-venv`` (gitignored), created
on the first run and reused after: it pins its own libcst and must not change the versions
ecolint is developed and tested against. ruff is ecolint's own dev tool, found beside the
running interpreter.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

FIXIT = "fixit==2.2.1"
PEERS_VENV = Path(__file__).resolve().parent / ".peers-venv"
_BIN = "Scripts" if os.name == "nt" else "bin"
_STAMP = PEERS_VENV / (FIXIT.replace("==", "-") + ".installed")

# One process, like ``ecolint --jobs 1``: Fixit's own API with its process pool turned off.
FIXIT_ONE_PROCESS = """
import sys
from pathlib import Path
from fixit.api import fixit_paths
from fixit.ftypes import Options
violations = errors = 0
for result in fixit_paths([Path(sys.argv[1])], options=Options(), parallel=False):
    violations += result.violation is not None
    errors += result.error is not None
print(violations, errors)
"""


def ensure_fixit() -> tuple[Path | None, str]:
    """The peers venv's interpreter, or ``None`` and why Fixit could not be installed."""
    python = PEERS_VENV / _BIN / ("python.exe" if os.name == "nt" else "python")
    if _STAMP.exists() and python.exists():
        return python, f"{FIXIT} from {PEERS_VENV}"
    print(f"installing {FIXIT} into {PEERS_VENV} (once) …", file=sys.stderr)
    steps = (
        [sys.executable, "-m", "venv", str(PEERS_VENV)],
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", FIXIT],
    )
    for step in steps:
        completed = subprocess.run(step, capture_output=True, text=True, check=False)
        if completed.returncode != 0:
            detail = (completed.stderr or completed.stdout).strip().splitlines()[-1:]
            return None, f"could not install {FIXIT}: {' '.join(detail) or step}"
    _STAMP.write_text(FIXIT + "\n", encoding="utf-8")
    return python, f"{FIXIT} from {PEERS_VENV} (just installed)"


def fixit_commands(python: Path, corpus: Path) -> dict[str, list[str]]:
    cores = os.cpu_count() or 1
    fixit = python.parent / ("fixit.exe" if os.name == "nt" else "fixit")
    return {
        "fixit -j1": [str(python), "-c", FIXIT_ONE_PROCESS, str(corpus)],
        f"fixit (its CLI, {cores} cores)": [str(fixit), "lint", str(corpus)],
    }


def ruff_binary() -> str | None:
    beside = Path(sys.executable).parent / ("ruff.exe" if os.name == "nt" else "ruff")
    return str(beside) if beside.exists() else shutil.which("ruff")


def ruff_commands(corpus: Path) -> dict[str, list[str]]:
    """ruff's performance rules alone, and with the other rule sets closest to ecolint's."""
    ruff = ruff_binary()
    if ruff is None:
        return {}
    base = [ruff, "check", "--no-cache", "--exit-zero", "--isolated", "--quiet"]
    return {
        "ruff PERF": [*base, "--select", "PERF", str(corpus)],
        "ruff PERF,C4,FURB,SIM": [*base, "--select", "PERF,C4,FURB,SIM", str(corpus)],
    }
