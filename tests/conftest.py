"""Shared fixtures: run ecolint as a real subprocess and through click's runner."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from ecolint.cli.main import cli

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

    def run(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return run


@pytest.fixture
def run_ecolint():
    """Run the CLI as a real subprocess."""

    def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*ECOLINT, *args], cwd=cwd, capture_output=True, text=True, timeout=120
        )

    return run
