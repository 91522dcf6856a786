"""ecolint as a pre-commit hook: the published ``.pre-commit-hooks.yaml``, run by pre-commit
itself on the staged files of a real repository; and ``--force-exclude``, which it uses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import git, git_environment, git_repository, write

HOOKS_FILE = Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml"
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"

SLEEPY = """\
import asyncio
import time


async def poll():
    time.sleep(1)
"""
FIXED = SLEEPY.replace("time.sleep(1)", "await asyncio.sleep(1)")


def local_config(hook: dict[str, object]) -> str:
    """The published hook as a ``repo: local`` hook running the ecolint installed here
    (``language: system``): same entry, file types and arguments, no environment to build."""
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": [{**hook, "language": "system"}]}]})


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A repository using the ecolint hook, with the hook installed in git."""
    (tmp_path / "repo").mkdir()
    repo = git_repository(tmp_path / "repo")
    (hook,) = yaml.safe_load(HOOKS_FILE.read_text())
    write(repo / ".pre-commit-config.yaml", local_config(hook))
    write(repo / "pyproject.toml", '[tool.ecolint]\nextend-exclude = ["generated"]\n')
    git(repo, "add", ".")
    pre_commit(repo, "install")
    return repo


def environment(repo: Path) -> dict[str, str]:
    return git_environment(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        PRE_COMMIT_HOME=str(repo.parent / "pre-commit-home"),
    )


def pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PRE_COMMIT), *args],
        cwd=repo,
        env=environment(repo),
        capture_output=True,
        text=True,
        timeout=300,
    )


def commit(repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "commit", "-m", "change"],
        cwd=repo,
        env=environment(repo),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_published_hook_is_a_valid_pre_commit_manifest():
    completed = subprocess.run(
        [str(PRE_COMMIT), "validate-manifest", str(HOOKS_FILE)], capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    (hook,) = yaml.safe_load(HOOKS_FILE.read_text())
    assert hook["id"] == "ecolint" and "--force-exclude" in hook["entry"]


@pytest.mark.slow
def test_the_hook_blocks_a_commit_of_wasteful_code_and_reads_only_staged_files(repository):
    write(repository / "staged.py", SLEEPY)
    write(repository / "untracked.py", SLEEPY)
    git(repository, "add", "staged.py")
    blocked = commit(repository)
    output = blocked.stdout + blocked.stderr  # git shows the hook's output on stderr
    assert blocked.returncode != 0
    assert "staged.py:6:5: ECO603" in output
    assert "untracked.py" not in output
    write(repository / "staged.py", FIXED)
    git(repository, "add", "staged.py")
    passed = commit(repository)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert git(repository, "ls-files").split() == [
        ".pre-commit-config.yaml",
        "pyproject.toml",
        "staged.py",
    ]


@pytest.mark.slow
def test_a_staged_file_that_the_configuration_excludes_passes_the_hook(repository):
    write(repository / "generated" / "api.py", SLEEPY)
    git(repository, "add", "generated/api.py")
    completed = pre_commit(repository, "run")  # the staged files, as in a commit
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "ecolint" in completed.stdout and "Passed" in completed.stdout


@pytest.mark.slow
def test_stub_files_are_checked_too(repository):
    write(repository / "api.pyi", "def f(:\n")
    git(repository, "add", "api.pyi")
    completed = pre_commit(repository, "run")
    assert completed.returncode == 1
    assert "api.pyi:1:" in completed.stdout and "ECO001" in completed.stdout


def test_force_exclude_drops_excluded_files_named_on_the_command_line(project, invoke):
    write(project / "pyproject.toml", '[tool.ecolint]\nextend-exclude = ["generated"]\n')
    write(project / "generated" / "api.py", SLEEPY)
    write(project / "app.py", SLEEPY)
    assert invoke("check", "generated/api.py").exit_code == 1
    alone = invoke("check", "--force-exclude", "generated/api.py")
    assert alone.exit_code == 0 and "All checks passed (0 files)" in alone.output
    both = invoke("check", "--force-exclude", "-q", "generated/api.py", "app.py")
    assert [line.split(":")[0] for line in both.output.splitlines()] == ["app.py"]
