"""Which repository, branch and commit a run belongs to: CI variables first, then git.

Why CI first: on GitHub Actions a pull request's checkout is a detached merge commit, so
``git`` alone names neither the branch nor the repository; ``GITHUB_*`` variables do.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ecolint import git

TEAM_ENV = "ECOLINT_TEAM"


@dataclass(frozen=True)
class RunContext:
    repository: str
    branch: str
    commit: str
    team: str


def detect_context(
    root: Path, configured_repository: str | None = None, configured_team: str | None = None
) -> RunContext:
    """Best-effort names for a run at ``root``; never fails (empty strings when unknown).

    The repository: ``$GITHUB_REPOSITORY``, the configured name, the ``origin`` remote, the
    folder's name. The team: ``$ECOLINT_TEAM``, the configured team.
    """
    environ = os.environ
    repository = (
        environ.get("GITHUB_REPOSITORY") or configured_repository or _repository_from_remote(root)
    )
    branch = environ.get("GITHUB_HEAD_REF") or environ.get("GITHUB_REF_NAME") or ""
    commit = environ.get("GITHUB_SHA") or ""
    if not branch:
        branch = _git(root, "rev-parse", "--abbrev-ref", "HEAD")
        branch = "" if branch == "HEAD" else branch
    if not commit:
        commit = _git(root, "rev-parse", "HEAD")
    return RunContext(
        repository=repository or root.resolve().name,
        branch=branch,
        commit=commit,
        team=environ.get(TEAM_ENV) or configured_team or "",
    )


def _repository_from_remote(root: Path) -> str:
    """``owner/name`` from the ``origin`` URL (https, ssh or scp-like), else ''."""
    url = _git(root, "remote", "get-url", "origin")
    match = re.search(r"[:/]([^/:]+/[^/]+?)(?:\.git)?/?$", url)
    return match.group(1) if match else ""


def _git(root: Path, *args: str) -> str:
    """git's answer, or '' when it has none (no git, not a repository, no remote): these
    names are best effort."""
    try:
        return git.run(root, *args).strip()
    except git.GitError:
        return ""
