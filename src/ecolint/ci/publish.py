"""Writes through the API: the sticky comment, the optional check run, the PR lookup.

Why the sticky comment is found by marker *and* author: a marker alone can be copied into
any comment by anyone (and a quoted reply copies it); only a comment written by this
token's own login and carrying the marker is ours to update. An identical body is not
rewritten: no notification, no "edited" noise, one request less.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ecolint.ci.context import WorkflowRun
from ecolint.ci.github import GitHubClient, GitHubError
from ecolint.ci.markdown import cap
from ecolint.ci.model import FindingRef

ACTIONS_LOGIN = "github-actions[bot]"  # GITHUB_TOKEN's author; it may not call GET /user
ANNOTATIONS_PER_REQUEST = 50  # the Checks API's limit
CHECK_SUMMARY_LIMIT = 65_535
_LEVELS = {"error": "failure", "warning": "warning", "info": "notice"}


@dataclass(frozen=True)
class CommentResult:
    action: str  # "created", "updated", "unchanged"
    comment_id: int


def token_login(client: GitHubClient, configured: str = "") -> str:
    """The login comments by this token carry: configured, else ``GET /user`` (a PAT),
    else the Actions bot (an installation token gets 403 on ``/user``)."""
    if configured:
        return configured
    try:
        user = client.get("/user")
    except GitHubError as error:
        if error.status in (401, 403, 404):
            return ACTIONS_LOGIN
        raise
    login = user.get("login") if isinstance(user, dict) else None
    return login if isinstance(login, str) and login else ACTIONS_LOGIN


def find_sticky(
    client: GitHubClient, repository: str, number: int, marker: str, login: str
) -> dict[str, Any] | None:
    """The oldest comment on the PR by ``login`` whose body carries ``marker`` (the JSON
    object GitHub sent)."""
    path = f"/repos/{repository}/issues/{number}/comments"
    for comment in client.paginate(path):
        author = comment.get("user") or {}
        body = comment.get("body") or ""
        if author.get("login") == login and marker in body:
            return comment
    return None


def upsert_comment(
    client: GitHubClient, repository: str, number: int, body: str, marker: str, login: str
) -> CommentResult:
    """Update the sticky comment, create it only when none exists; never a second one."""
    if marker not in body:
        raise ValueError("the comment body must carry its marker, or it could never be found")
    existing = find_sticky(client, repository, number, marker, login)
    if existing is None:
        created = client.post(f"/repos/{repository}/issues/{number}/comments", {"body": body})
        return CommentResult("created", int(created["id"]))
    comment_id = int(existing["id"])
    if existing.get("body") == body:
        return CommentResult("unchanged", comment_id)
    client.patch(f"/repos/{repository}/issues/comments/{comment_id}", {"body": body})
    return CommentResult("updated", comment_id)


def annotation(finding: FindingRef) -> dict[str, object]:
    return {
        "path": finding.path,
        "start_line": max(finding.line, 1),
        "end_line": max(finding.line, 1),
        "annotation_level": _LEVELS.get(finding.severity, "warning"),
        "title": f"{finding.code} {finding.name}"[:255],
        "message": finding.message[:60_000] or finding.code,
    }


def create_check_run(
    client: GitHubClient,
    repository: str,
    head_sha: str,
    *,
    conclusion: str,
    title: str,
    summary: str,
    findings: Sequence[FindingRef],
    name: str = "ecolint",
) -> tuple[int, int]:
    """A completed check run with one annotation per finding, sent 50 per request (the
    first batch with the creation, the rest appended by updates). Returns the check
    run's id and the number of requests made."""
    batches = [
        [annotation(f) for f in findings[start : start + ANNOTATIONS_PER_REQUEST]]
        for start in range(0, len(findings), ANNOTATIONS_PER_REQUEST)
    ] or [[]]
    summary = cap(summary, CHECK_SUMMARY_LIMIT, "*Cut to fit: see the job summary.*")
    output = {"title": title[:255], "summary": summary}
    created = client.post(
        f"/repos/{repository}/check-runs",
        {
            "name": name,
            "head_sha": head_sha,
            "status": "completed",
            "conclusion": conclusion,
            "output": {**output, "annotations": batches[0]},
        },
    )
    check_id = int(created["id"])
    for batch in batches[1:]:
        client.patch(
            f"/repos/{repository}/check-runs/{check_id}",
            {"output": {**output, "annotations": batch}},
        )
    return check_id, len(batches)


def find_pull_request(client: GitHubClient, repository: str, run: WorkflowRun) -> int | None:
    """The open PR whose head is the run's head branch *and* sha, looked up through the
    API (a number written in the artifact is not trusted; ``pull_requests`` of the
    payload is empty for forks)."""
    params = {"state": "open", "head": f"{run.head_owner}:{run.head_branch}"}
    for pull in client.paginate(f"/repos/{repository}/pulls", params):
        head = pull.get("head") or {}
        if head.get("sha") == run.head_sha and isinstance(pull.get("number"), int):
            return int(pull["number"])
    return None
