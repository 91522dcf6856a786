"""Shared fixtures: run ecolint as a real subprocess and through click's runner."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from ecolint.cli.main import cli

pytest_plugins = ["pytester"]

ECOLINT = [sys.executable, "-m", "ecolint"]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder with its own configuration, as the working folder."""
    write(tmp_path / "pyproject.toml", "[tool.ecolint]\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def invoke():
    """Run the CLI in-process with click's runner."""
    runner = CliRunner()

    def run(*args: str, input: str | bytes | None = None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return run


@pytest.fixture
def run_ecolint():
    """Run the CLI as a real subprocess."""

    def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*ECOLINT, *args], cwd=cwd, capture_output=True, text=True, timeout=120
        )

    return run


def git_environment(**extra: str) -> dict[str, str]:
    """The environment for git in tests: a fixed author, none of the user's git settings."""
    return {
        **os.environ,
        "GIT_AUTHOR_NAME": "ecolint tests",
        "GIT_AUTHOR_EMAIL": "tests@ecolint.invalid",
        "GIT_COMMITTER_NAME": "ecolint tests",
        "GIT_COMMITTER_EMAIL": "tests@ecolint.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        **extra,
    }


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` (see ``git_environment``); a failure fails the test."""
    completed = subprocess.run(
        ["git", *args], cwd=repo, env=git_environment(), capture_output=True, text=True, timeout=120
    )
    if completed.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed:\n{completed.stdout}{completed.stderr}")
    return completed.stdout


def git_repository(folder: Path) -> Path:
    """``folder`` as a new git repository on branch ``main``."""
    git(folder, "init", "-q", "-b", "main")
    return folder


def require_component(available: bool, what: str, how: str) -> None:
    """Skip locally when a real component is missing; in CI (``CI=true``) fail instead.

    ``.ci/run`` installs every component, so in CI a missing one is a setup bug that must
    not hide as a skip. ``how`` names the command that installs it.
    """
    if available:
        return
    message = f"{what} is not available: {how}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI must install it)", pytrace=False)
    pytest.skip(message)
