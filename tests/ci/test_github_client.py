"""The REST client against the stand-in: headers, pagination, retries, refusals."""

from __future__ import annotations

import ci_support
import pytest

from ecolint.ci.github import GitHubClient, GitHubError
from ecolint.ci.publish import token_login, upsert_comment

github_spec = ci_support.github_spec
github = ci_support.github


def test_pages_are_followed_through_the_link_header(github):
    for number in range(250):
        github.state.add_comment(3, f"comment {number}", "alice")
    client = GitHubClient(github.url, "t")
    bodies = [c["body"] for c in client.paginate("/repos/acme/shop/issues/3/comments")]
    assert bodies == [f"comment {n}" for n in range(250)]
    assert client.requests == 3
    assert github.state.violations == []


def test_a_next_link_to_another_host_is_refused(github):
    client = GitHubClient(github.url, "t")
    with pytest.raises(GitHubError, match="another host"):
        client._next('<https://evil.example/steal?page=2>; rel="next"')


def test_a_plain_403_fails_at_once_without_retrying(github):
    github.state.read_only = True
    slept: list[float] = []
    client = GitHubClient(github.url, "t", sleep=slept.append)
    with pytest.raises(GitHubError) as raised:
        client.post("/repos/acme/shop/issues/3/comments", {"body": "hi"})
    assert raised.value.status == 403
    assert slept == [] and client.requests == 1


def test_a_rate_limit_reset_too_far_away_fails_instead_of_stalling(github):
    github.state.rate_limit_once_for_s = 3600
    client = GitHubClient(github.url, "t", sleep=lambda s: None, max_wait_s=60)
    with pytest.raises(GitHubError, match="rate limited"):
        client.get("/repos/acme/shop/issues/3/comments")


def test_a_request_the_api_description_rejects_is_caught_by_the_stand_in(github):
    client = GitHubClient(github.url, "t")
    with pytest.raises(GitHubError):
        client.post("/repos/acme/shop/issues/3/comments", {"text": "no body field"})
    assert github.state.violations and "body" in github.state.violations[0]


def test_an_installation_token_is_taken_for_the_actions_bot(github):
    assert token_login(GitHubClient(github.url, "t")) == "github-actions[bot]"


def test_a_comment_by_someone_else_with_the_marker_is_not_taken_over(github):
    marker = "<!-- ecolint:report id=default -->"
    github.state.add_comment(3, f"{marker}\nforged", "mallory")
    client = GitHubClient(github.url, "t")
    result = upsert_comment(
        client, "acme/shop", 3, f"{marker}\nreal", marker, "github-actions[bot]"
    )
    assert result.action == "created"
    assert [c["body"] for c in github.state.comments[3]] == [f"{marker}\nforged", f"{marker}\nreal"]
