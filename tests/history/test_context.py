"""Naming a run: CI variables, then the configuration, then git, then the folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecolint.history.context import detect_context
from helpers import git, git_repository

CI_VARIABLES = ("GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_REF_NAME", "GITHUB_HEAD_REF")


@pytest.fixture(autouse=True)
def outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*CI_VARIABLES, "ECOLINT_TEAM"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    "remote",
    [
        "git@github.com:acme/shop.git",
        "https://github.com/acme/shop.git",
        "https://github.com/acme/shop",
        "ssh://git@gitlab.example.com:2222/acme/shop.git",
    ],
)
def test_the_repository_is_named_from_the_origin_remote(tmp_path: Path, remote: str) -> None:
    git_repository(tmp_path)
    git(tmp_path, "remote", "add", "origin", remote)
    assert detect_context(tmp_path).repository == "acme/shop"


def test_without_git_the_folder_names_the_repository(tmp_path: Path) -> None:
    folder = tmp_path / "shopstats"
    folder.mkdir()
    context = detect_context(folder)
    assert (context.repository, context.commit, context.team) == ("shopstats", "", "")


def test_the_configured_names_come_before_git_but_after_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git_repository(tmp_path)
    git(tmp_path, "remote", "add", "origin", "git@github.com:acme/shop.git")
    assert detect_context(tmp_path, "acme/configured", "core").repository == "acme/configured"
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/ci")
    monkeypatch.setenv("ECOLINT_TEAM", "platform")
    context = detect_context(tmp_path, "acme/configured", "core")
    assert (context.repository, context.team) == ("acme/ci", "platform")


def test_a_detached_head_has_no_branch_name(tmp_path: Path) -> None:
    git_repository(tmp_path)
    git(tmp_path, "commit", "-q", "--allow-empty", "-m", "one")
    git(tmp_path, "checkout", "-q", "--detach")
    context = detect_context(tmp_path)
    assert context.branch == "" and len(context.commit) == 40
