"""Real git repositories for the tests, isolated from the user's git configuration."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


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
