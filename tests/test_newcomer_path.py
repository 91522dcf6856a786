"""A newcomer's first hour, for real: README.md top to bottom on a project of their own.

Not `examples/` (written for ecolint) but a tiny package with one wasteful module, two
tests and a git history, in a temporary folder. ecolint is installed as a user gets it: a
wheel built from this checkout, installed with its extras into a fresh virtual environment,
and every command runs with that environment's executables only, never this checkout's
`.venv`. Each step is a command line the README shows (the test fails if the README stops
showing it), in the README's order, checked against the outcome the README describes.

Dependencies come from the package index through pip's cache (`make` filled it when it
installed `.venv`). Without network or cache the test is skipped locally; in CI it fails.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers import git, git_environment, git_repository, require_component, write

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")

# pip's words when the package index cannot be reached (no network and nothing cached)
NO_INDEX = (
    "No matching distribution found",
    "Could not find a version that satisfies",
    "NewConnectionError",
    "Temporary failure in name resolution",
    "Network is unreachable",
)
# Settings of the test run that a newcomer's shell would not have.
FOREIGN = ("PYTHON", "PYTEST_", "VIRTUAL_ENV", "GITHUB_", "ECOLINT_", "COV_CORE_")

FIRST_COMMIT = {
    "pyproject.toml": """\
        [project]
        name = "orders"
        version = "0.1.0"

        [tool.pytest.ini_options]
        pythonpath = ["."]

        [tool.ecolint.energy]
        country = "FRA"

        [tool.ecolint.energy.budget]
        suite-cpu-s = 30
        """,
    ".gitignore": ".eco/\n.ecolint/\nsite/\n",
    "orders/__init__.py": "",
    "orders/report.py": """\
        \"\"\"Daily order reports.\"\"\"

        import asyncio
        import time


        def append_lines(path, lines):
            for line in lines:
                with open(path, "a") as handle:
                    handle.write(line + "\\n")
        """,
    "tests/test_report.py": """\
        import asyncio

        from orders import report


        def test_lines_are_appended(tmp_path):
            report.append_lines(tmp_path / "log.txt", ["a", "b"])
            assert (tmp_path / "log.txt").read_text() == "a\\nb\\n"
        """,
}
# The branch's commit: a coroutine that blocks its event loop (ECO603, a safe fix).
SECOND_COMMIT = {
    "orders/report.py": """\


        async def wait_for_batches(delays):
            for delay in delays:
                time.sleep(delay)
            await asyncio.sleep(0)
        """,
    "tests/test_report.py": """\


        def test_batches_are_awaited():
            asyncio.run(report.wait_for_batches([0, 0]))
        """,
}


def test_a_newcomer_follows_the_readme_on_their_own_project(tmp_path: Path) -> None:
    venv = install_ecolint(build_wheel(tmp_path / "wheels"), tmp_path / "venv")
    project = own_project(tmp_path / "orders")
    readme = Newcomer(venv, project, tmp_path / "pytest-tmp")

    # "Install in your project", then "Using it": lint, then apply the safe fixes
    out = readme.run("ecolint check", exit_code=1)
    assert f"orders/report.py:{line_of(project, 'with open(')}:14: ECO202" in out
    assert f"orders/report.py:{line_of(project, 'time.sleep(')}:9: ECO603 [*]" in out
    out = readme.run("ecolint check --fix", exit_code=1)  # ECO202 has no fix: it stays
    assert "Fixed 1 finding." in out and "ECO603" not in out and "ECO202" in out
    assert "await asyncio.sleep(delay)" in (project / "orders/report.py").read_text()

    # "The GitHub Action and `ecolint ci`": the comment for the working tree against main
    readme.run("ecolint ci --local main -o comment.md")
    comment = (project / "comment.md").read_text(encoding="utf-8")
    assert re.search(r"\*\*Score [\d.]+/100 \([A-G]\)\*\* .* · 0 new findings · 0 fixed", comment)
    assert git(project, "status", "--porcelain").splitlines() == [
        " M orders/report.py",  # the fix, not committed: part of the "pull request"
        "?? comment.md",  # and nothing else left in the repository
    ]

    # "Measure your test suite": the summary, and the report where the score looks for it
    out = readme.run("pytest --eco")
    assert re.search(r"^method: (rapl|model:cpu-time) ", out, re.MULTILINE), out
    assert "2 passed" in out
    energy = json.loads((project / ".eco/energy.json").read_text(encoding="utf-8"))
    assert energy["session"]["tests"] == 2 and energy["session"]["complete"]

    # "Repository score and history": code and tests parts, then one recorded run
    out = readme.run("ecolint score")
    score = re.search(r"^Ecodesign score of orders: ([\d.]+) / 100, grade ([A-G])$", out, re.M)
    assert score, out
    assert re.search(r"^  code +[\d.]+  [A-G]  1 finding", out, re.MULTILINE), out
    assert re.search(
        r"^  tests +[\d.]+  [A-G]  suite-cpu-s .* s of a budget of 30 s .*, from ", out, re.M
    ), out
    out = readme.run("ecolint history record")
    assert "Recorded orders" in out and (project / ".ecolint/history.sqlite").is_file()
    _header, *rows = readme.run("ecolint history list").splitlines()
    assert len(rows) == 1 and "orders" in rows[0], rows
    assert f"{score[1]} {score[2]}" in rows[0] and "feature@" in rows[0]

    # "Dashboard": the static site of that history
    readme.run("ecolint dashboard -o site/")
    index = (project / "site/index.html").read_text(encoding="utf-8")
    assert ">orders</a>" in index and f'title="grade {score[2]}"' in index


class Newcomer:
    """Runs README command lines in the project, with the fresh environment's executables."""

    def __init__(self, venv: Path, project: Path, pytest_tmp: Path) -> None:
        self.bin = venv / "bin"
        self.project = project
        here = {str(REPO / ".venv" / "bin"), str(Path(sys.executable).parent)}
        path = [p for p in os.environ["PATH"].split(os.pathsep) if p not in here]
        self.env = {
            **{k: v for k, v in git_environment().items() if not k.startswith(FOREIGN)},
            "PATH": os.pathsep.join([str(self.bin), *path]),  # as `source venv/bin/activate`
            "VIRTUAL_ENV": str(venv),
            "PYTEST_DEBUG_TEMPROOT": str(pytest_tmp),  # the inner pytest's tmp_path, apart
        }
        pytest_tmp.mkdir()

    def run(self, command: str, *, exit_code: int = 0) -> str:
        """Run ``command``, a line the README shows; return its output (stdout + stderr)."""
        assert command in README, f"the README no longer shows `{command}`"
        program, *args = shlex.split(command)
        completed = subprocess.run(
            [str(self.bin / program), *args],
            cwd=self.project,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        output = completed.stdout + completed.stderr
        assert completed.returncode == exit_code, (
            f"`{command}` exited {completed.returncode}:\n{output}"
        )
        return output


def build_wheel(wheels: Path) -> Path:
    """ecolint's wheel, built from this checkout offline (hatchling from the dev extra)."""
    found = importlib.util.find_spec("hatchling") is not None
    require_component(found, "hatchling", "pip install -e '.[dev]'")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    run_checked([*command, "--quiet", "--wheel-dir", str(wheels), str(REPO)])
    [wheel] = wheels.glob("ecolint-*.whl")
    return wheel


def install_ecolint(wheel: Path, venv: Path) -> Path:
    """A fresh virtual environment with ecolint[energy,history] and pytest, as in the README."""
    run_checked([sys.executable, "-m", "venv", str(venv)])
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    completed = subprocess.run(
        [*pip, f"{wheel}[energy,history]", "pytest"], capture_output=True, text=True, timeout=900
    )
    output = completed.stdout + completed.stderr
    if completed.returncode != 0 and any(words in output for words in NO_INDEX):
        why = "network access, or pip's cache as `make` leaves it"
        require_component(False, "ecolint's dependencies on the package index", why)
    assert completed.returncode == 0, output
    python = venv / "bin" / "python"
    where = run_checked([str(python), "-c", "import ecolint; print(ecolint.__file__)"])
    assert where.startswith(str(venv)), f"ecolint imported from {where}, not the wheel"
    return venv


def own_project(root: Path) -> Path:
    """The newcomer's project: main (first commit) and the branch `feature` (second)."""
    root.mkdir()
    git_repository(root)
    for name, text in FIRST_COMMIT.items():
        write(root / name, text)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Append order lines to a file")
    git(root, "switch", "-q", "-c", "feature")
    for name, text in SECOND_COMMIT.items():
        with (root / name).open("a", encoding="utf-8") as file:
            file.write(textwrap.dedent(text))
    git(root, "commit", "-q", "-a", "-m", "Wait for the batches")
    return root


def line_of(project: Path, text: str) -> int:
    """The line of orders/report.py holding ``text`` (1-based)."""
    lines = (project / "orders/report.py").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def run_checked(command: list[str]) -> str:
    completed = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout.strip()
