"""Shared fixtures: run ecolint as a real subprocess and through click's runner.

Plain helpers (files, git, real components) live in the `helpers` package beside this file."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from ecolint.cli.main import cli
from helpers import ECOLINT, write

pytest_plugins = ["pytester"]


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
