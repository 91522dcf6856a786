"""What the GitHub Actions runner tells a step: environment variables and the event file.

Why its own module: every later decision (compare or only score, post or only collect,
which sha to annotate) depends on a handful of facts that GitHub spreads over a dozen
variables and a JSON payload whose shape differs per event. They are read once, here,
and checked, so a malformed payload is a clear error rather than a ``KeyError`` later.

Facts worth knowing (GitHub's "Events that trigger workflows":
https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows):

- on ``pull_request``, ``GITHUB_SHA`` is the merge commit; reports are about
  ``pull_request.head.sha`` and compare with the merge-base of base and head;
- a fork PR is one whose head repository differs from the base repository (``head.repo``
  is null for a deleted fork); its token is read-only, so nothing is written;
- a ``workflow_run`` payload's ``pull_requests`` list is empty for forks: the publisher
  finds the PR through the API from the head repository, branch and sha.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_API_URL = "https://api.github.com"
EVENT_LIMIT = 25 * 1024 * 1024  # GitHub caps webhook payloads at 25 MB


class ContextError(ValueError):
    """The runner's environment or event payload cannot be used (exit 2)."""


@dataclass(frozen=True)
class PullRequest:
    number: int
    base_sha: str
    head_sha: str
    base_ref: str
    head_ref: str
    head_repository: str  # "owner/name", "" when the fork was deleted
    is_fork: bool


@dataclass(frozen=True)
class WorkflowRun:
    """The run of the unprivileged workflow a ``workflow_run`` publisher reacts to."""

    id: int
    event: str
    conclusion: str
    head_sha: str
    head_branch: str
    head_owner: str
    head_repository: str


@dataclass(frozen=True)
class CIContext:
    event_name: str
    repository: str  # "owner/name"
    api_url: str
    server_url: str
    token: str
    sha: str  # the commit this run reports on (a PR's head, a push's after)
    ref: str
    default_branch: str
    run_id: str
    workspace: Path
    step_summary: Path | None
    output: Path | None
    pull_request: PullRequest | None = None
    workflow_run: WorkflowRun | None = None
    before: str = ""  # a push's previous tip

    @property
    def owner(self) -> str:
        return self.repository.partition("/")[0]

    @property
    def name(self) -> str:
        return self.repository.partition("/")[2]

    @property
    def is_default_branch_push(self) -> bool:
        return self.event_name == "push" and self.ref == f"refs/heads/{self.default_branch}"

    @property
    def can_write(self) -> bool:
        """A fork PR's token is read-only: writing would only earn a 403."""
        if self.pull_request is not None and self.pull_request.is_fork:
            return False
        return bool(self.token)

    @property
    def run_url(self) -> str:
        if not self.run_id:
            return ""
        return f"{self.server_url}/{self.repository}/actions/runs/{self.run_id}"


def read_context(env: Mapping[str, str]) -> CIContext:
    """The context from the runner's variables (``GITHUB_*``) and ``GITHUB_EVENT_PATH``."""
    event_name = env.get("GITHUB_EVENT_NAME", "")
    repository = env.get("GITHUB_REPOSITORY", "")
    if not event_name or "/" not in repository:
        raise ContextError(
            "not running in GitHub Actions: GITHUB_EVENT_NAME and GITHUB_REPOSITORY "
            "(owner/name) must be set"
        )
    event = _read_event(env.get("GITHUB_EVENT_PATH", ""))
    default_branch = str(_get(event, "repository", "default_branch", default="") or "")
    pull_request = None
    workflow_run = None
    sha = env.get("GITHUB_SHA", "")
    before = ""
    if event_name in ("pull_request", "pull_request_target"):
        pull_request = _pull_request(event)
        sha = pull_request.head_sha
    elif event_name == "push":
        sha = str(event.get("after") or sha)
        before = str(event.get("before") or "")
    elif event_name == "workflow_run":
        workflow_run = _workflow_run(event)
        sha = workflow_run.head_sha
    return CIContext(
        event_name=event_name,
        repository=repository,
        api_url=(env.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/"),
        server_url=(env.get("GITHUB_SERVER_URL") or "https://github.com").rstrip("/"),
        token=env.get("GITHUB_TOKEN", "") or env.get("INPUT_GITHUB_TOKEN", ""),
        sha=sha,
        ref=env.get("GITHUB_REF", ""),
        default_branch=default_branch,
        run_id=env.get("GITHUB_RUN_ID", ""),
        workspace=Path(env.get("GITHUB_WORKSPACE") or "."),
        step_summary=_optional_path(env.get("GITHUB_STEP_SUMMARY")),
        output=_optional_path(env.get("GITHUB_OUTPUT")),
        pull_request=pull_request,
        workflow_run=workflow_run,
        before=before,
    )


def _optional_path(value: str | None) -> Path | None:
    return Path(value) if value else None


def _read_event(path: str) -> dict[str, Any]:
    if not path:
        raise ContextError("GITHUB_EVENT_PATH is not set: the event payload is needed")
    try:
        with open(path, "rb") as handle:
            data = handle.read(EVENT_LIMIT + 1)
    except OSError as error:
        raise ContextError(f"cannot read the event payload {path}: {error.strerror}") from error
    if len(data) > EVENT_LIMIT:
        raise ContextError(f"the event payload {path} is larger than 25 MB")
    try:
        event = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise ContextError(f"the event payload {path} is not JSON: {error}") from error
    if not isinstance(event, dict):
        raise ContextError(f"the event payload {path} is not a JSON object")
    return event


def _get(document: Any, *keys: str, default: Any = None) -> Any:
    for key in keys:
        if not isinstance(document, dict) or key not in document:
            return default
        document = document[key]
    return document


def _required(document: Any, *keys: str, kind: type = str) -> Any:
    value = _get(document, *keys)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ContextError(f"the event payload has no valid {'.'.join(keys)}")
    return value


def _pull_request(event: dict[str, Any]) -> PullRequest:
    base_repo = _required(event, "pull_request", "base", "repo", "full_name")
    head_repo = _get(event, "pull_request", "head", "repo", "full_name", default=None)
    return PullRequest(
        number=_required(event, "pull_request", "number", kind=int),
        base_sha=_required(event, "pull_request", "base", "sha"),
        head_sha=_required(event, "pull_request", "head", "sha"),
        base_ref=_required(event, "pull_request", "base", "ref"),
        head_ref=_required(event, "pull_request", "head", "ref"),
        head_repository=head_repo if isinstance(head_repo, str) else "",
        # head.repo.fork is also true for a same-repo PR in a forked repository
        is_fork=head_repo != base_repo,
    )


def _workflow_run(event: dict[str, Any]) -> WorkflowRun:
    return WorkflowRun(
        id=_required(event, "workflow_run", "id", kind=int),
        event=_required(event, "workflow_run", "event"),
        conclusion=str(_get(event, "workflow_run", "conclusion", default="") or ""),
        head_sha=_required(event, "workflow_run", "head_sha"),
        head_branch=_required(event, "workflow_run", "head_branch"),
        head_owner=_required(event, "workflow_run", "head_repository", "owner", "login"),
        head_repository=_required(event, "workflow_run", "head_repository", "full_name"),
    )


def local_context(root: Path, base: str, head_sha: str, base_sha: str, branch: str) -> CIContext:
    """A pull request from ``base`` to the working tree, for ``ecolint ci --local``: the
    same comment a pull request would get, rendered without GitHub (no token, no API)."""
    repository = f"local/{root.name or 'repository'}"
    pull = PullRequest(
        number=0,
        base_sha=base_sha,
        head_sha=head_sha,
        base_ref=base,
        head_ref=branch,
        head_repository=repository,
        is_fork=False,
    )
    return CIContext(
        event_name="pull_request",
        repository=repository,
        api_url=DEFAULT_API_URL,
        server_url="https://github.com",
        token="",
        sha=head_sha,
        ref="",
        default_branch="",
        run_id="",
        workspace=root,
        step_summary=None,
        output=None,
        pull_request=pull,
    )
