"""Helpers and fixtures for ``ecolint ci`` tests: the GitHub stand-in, event payloads, real
git repositories. Test modules bind the fixtures they use by assignment, so only the
``ecolint ci`` tests load them."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from github_standin import SPEC_FILE, StandIn

from helpers import git, git_repository, require_component, write

OWNER_REPO = "acme/shop"
FORK_REPO = "mallory/shop"


@pytest.fixture(scope="session")
def github_spec() -> dict[str, Any]:
    require_component(
        SPEC_FILE.is_file(),
        "GitHub's OpenAPI description (@octokit/openapi)",
        "npm ci (make deps-node)",
    )
    try:
        import openapi_core  # noqa: F401
    except ImportError:
        require_component(False, "openapi-core", "pip install -e '.[dev]'")
    return _load_github_spec()


@functools.cache
def _load_github_spec() -> dict[str, Any]:
    """The 73 MB description, parsed once per session (about 2 s) however many modules
    bind ``github_spec``: each binding is a fixture of its own module."""
    return json.loads(SPEC_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def github(github_spec: dict[str, Any]) -> Iterator[StandIn]:
    from openapi_core import Config, OpenAPI

    def validator(url: str) -> Any:
        spec = {**github_spec, "servers": [{"url": url}]}
        return OpenAPI.from_dict(spec, config=Config(spec_validator_cls=None))

    with StandIn(validator) as standin:
        yield standin


BASE_CODE = """\
def total(orders):
    text = b""
    for order in orders:
        text += bytes(order)
    return text


def names(users):
    return [u.name for u in users]
"""

HEAD_CODE = """\
import time


def total(orders):
    return b"".join(bytes(order) for order in orders)


def names(users):
    return [u.name for u in users]


async def poll(job):
    while not job.done():
        time.sleep(1)
"""


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def pr_repo(tmp_path: Path) -> dict[str, Any]:
    """A repository with ``main`` (base: one ECO102 finding) and a PR branch ``feature``
    (head: that finding fixed, one blocking sleep added), ``feature`` checked out."""
    (tmp_path / "repo").mkdir()
    repo = git_repository(tmp_path / "repo")
    write(repo / "pyproject.toml", '[tool.ecolint]\nextend-select = ["ECO102"]\n')
    write(repo / "shop" / "orders.py", BASE_CODE)
    base = commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo / "shop" / "orders.py", HEAD_CODE)
    head = commit_all(repo, "head")
    return {"root": repo, "base": base, "head": head}


def pull_request_event(base: str, head: str, *, fork: bool = False, number: int = 7) -> dict:
    head_repo = FORK_REPO if fork else OWNER_REPO
    return {
        "action": "synchronize",
        "number": number,
        "pull_request": {
            "number": number,
            "title": "Faster totals",
            "base": {"ref": "main", "sha": base, "repo": {"full_name": OWNER_REPO}},
            "head": {
                "ref": "feature",
                "sha": head,
                "label": f"{head_repo.split('/')[0]}:feature",
                "repo": {"full_name": head_repo, "fork": fork},
            },
        },
        "repository": {"full_name": OWNER_REPO, "default_branch": "main"},
        "sender": {"login": "mallory" if fork else "alice"},
    }


def push_event(before: str, after: str) -> dict:
    return {
        "ref": "refs/heads/main",
        "before": before,
        "after": after,
        "repository": {"full_name": OWNER_REPO, "default_branch": "main"},
    }


def workflow_run_event(head: str, *, owner: str = "mallory", run_id: int = 4242) -> dict:
    return {
        "action": "completed",
        "workflow_run": {
            "id": run_id,
            "event": "pull_request",
            "conclusion": "success",
            "head_sha": head,
            "head_branch": "feature",
            "head_repository": {"full_name": f"{owner}/shop", "owner": {"login": owner}},
            "pull_requests": [],
        },
        "repository": {"full_name": OWNER_REPO, "default_branch": "main"},
    }


def runner_env(
    folder: Path, event_name: str, event: dict, api_url: str, token: str = "ghs_test"
) -> dict[str, str]:
    """The variables a GitHub runner sets for a step (``GITHUB_*``), files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    event_path = folder / "event.json"
    event_path.write_text(json.dumps(event), encoding="utf-8")
    for name in ("summary.md", "output.txt"):
        (folder / name).touch()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "ECOLINT_"))}
    return {
        **clean,
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_REPOSITORY": OWNER_REPO,
        "GITHUB_API_URL": api_url,
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_RUN_ID": "99",
        "GITHUB_REF": "refs/pull/7/merge" if event_name == "pull_request" else "refs/heads/main",
        "GITHUB_SHA": "0" * 40,
        "GITHUB_STEP_SUMMARY": str(folder / "summary.md"),
        "GITHUB_OUTPUT": str(folder / "output.txt"),
        "GITHUB_TOKEN": token,
    }


def read_outputs(path: Path) -> dict[str, str]:
    """Parse ``$GITHUB_OUTPUT`` heredocs as the runner does."""
    values: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        name, _, delimiter = lines[index].partition("<<")
        end = lines.index(delimiter, index + 1)
        values[name] = "\n".join(lines[index + 1 : end])
        index = end + 1
    return values


def cli_env(env: dict[str, str]) -> dict[str, str | None]:
    """``env`` for click's runner, which only adds variables: the outer job's own
    ``GITHUB_*`` / ``ECOLINT_*`` (when the suite itself runs in GitHub Actions) are unset."""
    stale = {k: None for k in os.environ if k.startswith(("GITHUB_", "ECOLINT_")) and k not in env}
    return {**stale, **env}


def run_ci(root: Path, env: dict[str, str], *args: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``ecolint ci`` in-process from ``root``, with the runner's environment ``env``."""
    from click.testing import CliRunner

    from ecolint.cli.main import cli

    monkeypatch.chdir(root)
    return CliRunner().invoke(cli, ["ci", *args], env=cli_env(env), catch_exceptions=False)
