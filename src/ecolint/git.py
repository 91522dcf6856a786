"""Every git command ecolint runs goes through :func:`run`: one way to call git, one error.

Policies, in one place instead of one per caller:

- **Timeout.** Each command gets :data:`TIMEOUT_S` (10 minutes), then it is stopped and
  :class:`GitError` says so. Real commands finish well within it, the slow ones being a
  worktree of a large repository and a push or fetch of the history branch; a command
  still running then is hung on something that will not come (a lock, a credential
  prompt, a dead network share), and a CI job should fail with that said rather than
  wait for its own limit of hours.
- **Parseable output whatever the user's git config.** ``core.quotePath=false`` (non-ASCII
  paths printed as they are, not octal-escaped), ``--literal-pathspecs`` (a path given to
  git is a path, never a glob), ``--no-pager``. Output is decoded as UTF-8 with
  ``surrogateescape``, so a path that is not UTF-8 still round-trips to the same bytes.
- **Errors.** git missing, a folder that does not exist, a timeout or a non-zero exit all
  raise :class:`GitError`, whose message names the command and carries git's own words.
  Callers that expect a refusal (``rev-parse --verify``, a rejected push) read
  :attr:`GitError.ran` and :attr:`GitError.stderr`; the others let it reach the CLI.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

TIMEOUT_S = 600.0
_OPTIONS = ("-c", "core.quotePath=false", "--literal-pathspecs", "--no-pager")


class GitError(Exception):
    """A git command that did not succeed: ``returncode`` is None when git did not run
    (not installed, no such folder) or did not finish (timeout)."""

    def __init__(self, message: str, *, returncode: int | None = None, stderr: str = "") -> None:
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr

    @property
    def ran(self) -> bool:
        """git ran to the end and said no (unknown revision, not a repository, rejected)."""
        return self.returncode is not None


def run(
    cwd: Path,
    *args: str,
    input: str | None = None,
    env: Mapping[str, str] | None = None,
) -> str:
    """git's standard output for ``git ARGS`` run in ``cwd``, unstripped (a blob's content
    is returned byte for byte). ``input`` is sent on standard input; ``env`` adds variables
    to the inherited environment. Raises :class:`GitError` unless git exits with 0."""
    command = ("git", *_OPTIONS, *args)
    name = f"git {args[0]}" if args else "git"
    try:
        completed = subprocess.run(
            command,
            cwd=cwd,
            input=None if input is None else input.encode("utf-8", "surrogateescape"),
            capture_output=True,
            env=None if env is None else {**os.environ, **env},
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise GitError(f"{name} did not finish within {TIMEOUT_S:g} s: stopped") from error
    except FileNotFoundError as error:
        if not Path(cwd).is_dir():
            raise GitError(f"cannot run {name} in {cwd}: no such folder") from error
        raise GitError("git is not installed (or not on PATH)") from error
    except OSError as error:
        raise GitError(f"cannot run {name} in {cwd}: {error.strerror}") from error
    if completed.returncode != 0:
        stderr = completed.stderr.decode("utf-8", "replace").strip()
        raise GitError(
            f"{name} failed: {stderr}"
            if stderr
            else f"{name} failed (exit {completed.returncode})",
            returncode=completed.returncode,
            stderr=stderr,
        )
    return completed.stdout.decode("utf-8", "surrogateescape")
