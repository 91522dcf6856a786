"""``ecolint energy ab`` on real git repositories, with real pytest runs (3 rounds)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from helpers import ECOLINT, git, git_repository, write

# The repositories' suites do not use hypothesis, whose plugin takes a second to import.
FAST = ("--", "-p", "no:hypothesispytest")
BURNER = """\
import hashlib

ITERATIONS = {iterations}


def burn():
    for _ in range(ITERATIONS):
        hashlib.sha256(b"x" * 100).digest()
"""
TESTS = """\
from burner import burn


def test_burns():
    burn()


def test_quick():
    assert True
"""


@pytest.fixture
def repository(project):
    """base: the burner does 2 000 rounds; head: 200 000 (far more CPU), in src/."""
    git_repository(project)
    write(project / "src" / "burner" / "__init__.py", BURNER.format(iterations=2_000))
    write(project / "tests" / "test_burner.py", TESTS)
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "base")
    git(project, "tag", "base")
    write(project / "src" / "burner" / "__init__.py", BURNER.format(iterations=200_000))
    git(project, "commit", "-q", "-am", "head")
    return project


def worktrees(repo) -> list[str]:
    return [line for line in git(repo, "worktree", "list").splitlines() if line]


def ab(repo, *args: str, tmp) -> subprocess.CompletedProcess[str]:
    tmp.mkdir(exist_ok=True)
    return subprocess.run(
        [*ECOLINT, "energy", "ab", *args],
        cwd=repo,
        env={**os.environ, "TMPDIR": str(tmp)},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_a_much_heavier_head_is_a_regression_with_its_figures_in_the_json(
    repository, tmp_path_factory, monkeypatch
):
    tmp = tmp_path_factory.mktemp("ab-tmp")
    out = tmp_path_factory.mktemp("ab-out") / "comparison.json"
    # As an editable install of this checkout (which holds head's code) would: the
    # worktrees must still import their own src/, or base would measure head's code.
    monkeypatch.setenv("PYTHONPATH", str(repository / "src"))
    result = ab(repository, "--base", "base", "--rounds", "3", "--json", str(out), *FAST, tmp=tmp)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "verdict: regression" in result.stdout
    assert "round 3/3" in result.stderr
    comparison = json.loads(out.read_text())["comparison"]
    assert comparison["base_sha"] == git(repository, "rev-parse", "base").strip()
    assert comparison["head_sha"] == git(repository, "rev-parse", "HEAD").strip()
    assert comparison["rounds"] == 3
    assert len(comparison["suite"]["ratios"]) == 3
    assert comparison["suite"]["low"] > 1.05
    assert comparison["noise"]["aa_pairs"] == 4  # (3 - 1) base pairs + (3 - 1) head pairs
    assert comparison["method"].startswith("model:") or comparison["method"] == "rapl"
    assert comparison["head"]["energy_j"] > comparison["base"]["energy_j"]
    assert len(worktrees(repository)) == 1
    assert list(tmp.iterdir()) == []


def test_an_unknown_ref_is_a_clear_error(repository, invoke):
    result = invoke("energy", "ab", "--base", "no-such-ref", "--rounds", "3")
    assert result.exit_code == 2
    assert "error: unknown revision: no-such-ref" in result.output
    assert len(worktrees(repository)) == 1


def test_outside_a_git_repository_it_is_a_clear_error(project, invoke):
    result = invoke("energy", "ab", "--base", "HEAD~1")
    assert result.exit_code == 2
    assert "error: not a git repository" in result.output


def test_fewer_than_three_rounds_is_a_usage_error(repository, invoke):
    result = invoke("energy", "ab", "--base", "base", "--rounds", "2")
    assert result.exit_code == 2


@pytest.mark.slow
def test_a_suite_that_cannot_run_is_a_clear_error_and_leaves_no_worktree(
    repository, tmp_path_factory
):
    write(repository / "tests" / "conftest.py", "raise ImportError('broken conftest')\n")
    git(repository, "add", ".")
    git(repository, "commit", "-q", "-m", "broken")
    tmp = tmp_path_factory.mktemp("ab-tmp")
    result = ab(repository, "--base", "base", "--rounds", "3", *FAST, tmp=tmp)
    assert result.returncode == 2
    assert "error: pytest exited with code" in result.stderr
    assert "broken conftest" in result.stderr
    assert len(worktrees(repository)) == 1
    assert list(tmp.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.slow
def test_an_interrupted_run_removes_its_worktrees(repository, tmp_path_factory, signum):
    tmp = tmp_path_factory.mktemp("ab-tmp")
    process = subprocess.Popen(
        [*ECOLINT, "energy", "ab", "--base", "base", "--rounds", "3", *FAST],
        cwd=repository,
        env={**os.environ, "TMPDIR": str(tmp)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while len(worktrees(repository)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)  # noqa: ECO602 -- another process's files: nothing to wait on
    assert len(worktrees(repository)) == 3, "the worktrees never appeared"
    process.send_signal(signum)
    process.communicate(timeout=60)
    assert process.returncode != 0
    assert len(worktrees(repository)) == 1
    assert list(tmp.iterdir()) == []
