"""The data-branch store: append-only history on an orphan branch, strict about its lines."""

from __future__ import annotations

import itertools
import json
import subprocess
from pathlib import Path

import pytest
from history_helpers import make_record

from ecolint.history.store import HistoryError, open_store
from helpers import git, git_environment, git_repository, write

BRANCH = "ecolint-history"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git_repository(tmp_path)
    write(tmp_path / "app.py", "x = 1\n")
    git(tmp_path, "add", "app.py")
    git(tmp_path, "commit", "-q", "-m", "first")
    return tmp_path


def branch_commits(repo: Path) -> list[str]:
    return git(repo, "rev-list", "--reverse", BRANCH).split()


def commit_file(repo: Path, path: str, text: str) -> None:
    """Append a commit to the data branch by hand (as a person editing it would)."""
    env = git_environment()
    blob = subprocess.run(
        ["git", "hash-object", "-w", "--stdin"], cwd=repo, input=text, env=env,
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    tip = git(repo, "rev-parse", BRANCH).strip()
    entries = git(repo, "ls-tree", f"{tip}:history")
    folder = {line.split("\t")[1]: line.split("\t")[0] for line in entries.splitlines()}
    folder[path.split("/")[1]] = f"100644 blob {blob}"
    tree_input = "".join(f"{v}\t{k}\n" for k, v in sorted(folder.items()))
    subtree = subprocess.run(
        ["git", "mktree"], cwd=repo, input=tree_input, env=env, capture_output=True,
        text=True, check=True,
    ).stdout.strip()  # fmt: skip
    root = git(repo, "ls-tree", tip).replace(
        git(repo, "rev-parse", f"{tip}:history").strip(), subtree
    )
    root_tree = subprocess.run(
        ["git", "mktree"], cwd=repo, input=root, env=env, capture_output=True, text=True,
        check=True,
    ).stdout.strip()  # fmt: skip
    commit = git(repo, "commit-tree", root_tree, "-p", tip, "-m", "hand edit").strip()
    git(repo, "update-ref", f"refs/heads/{BRANCH}", commit)


def test_each_record_is_one_commit_on_top_of_the_previous_ones(repo: Path) -> None:
    store = open_store("git", repo)
    store.record(make_record(commit="a"))
    first = branch_commits(repo)
    store.record(make_record(commit="b"))
    store.record(make_record(commit="c"))
    after = branch_commits(repo)
    assert len(first) == 1 and len(after) == 3
    assert after[:1] == first  # the old commit is still there, unchanged
    for older, newer in itertools.pairwise(after):
        assert git(repo, "rev-parse", f"{newer}^").strip() == older


def test_an_append_only_adds_a_line_and_never_changes_an_old_one(repo: Path) -> None:
    store = open_store("git", repo)
    store.record(make_record(commit="a"))
    store.record(make_record(commit="b"))
    diff = git(repo, "diff", f"{BRANCH}^", BRANCH, "--unified=0")
    changed = [
        line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert len(changed) == 1 and changed[0].startswith("+{")
    assert json.loads(changed[0][1:])["commit"] == "b"


def test_the_branch_is_an_orphan_and_the_checkout_is_untouched(repo: Path) -> None:
    head = git(repo, "rev-parse", "HEAD")
    open_store("git", repo).record(make_record())
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain") == ""
    (root,) = branch_commits(repo)
    assert git(repo, "rev-list", "--parents", "-n", "1", root).split() == [root]  # an orphan
    assert git(repo, "ls-tree", "--name-only", BRANCH).split() == ["README.md", "history"]


def test_records_are_kept_in_one_file_per_month(repo: Path) -> None:
    store = open_store("git", repo)
    store.record(make_record(recorded_at="2026-01-31T23:59:59+00:00"))
    store.record(make_record(recorded_at="2026-02-01T00:00:00+00:00"))
    names = git(repo, "ls-tree", "--name-only", f"{BRANCH}:history").split()
    assert names == ["2026-01.jsonl", "2026-02.jsonl"]


def test_a_custom_branch_name_is_used(repo: Path) -> None:
    open_store("git:metrics/eco", repo).record(make_record())
    assert git(repo, "rev-parse", "--verify", "refs/heads/metrics/eco")


def test_a_record_that_cannot_be_stored_faithfully_is_refused_and_nothing_committed(
    repo: Path,
) -> None:
    store = open_store("git", repo)
    store.record(make_record(commit="good"))
    before = branch_commits(repo)
    with pytest.raises(HistoryError, match="energy_kwh"):
        store.record(make_record(energy_kwh=float("inf")))
    assert branch_commits(repo) == before


def test_a_stored_line_that_does_not_parse_is_an_error_naming_file_and_line(repo: Path) -> None:
    store = open_store("git", repo)
    store.record(make_record(recorded_at="2026-01-02T00:00:00+00:00"))
    good = git(repo, "show", f"{BRANCH}:history/2026-01.jsonl")
    commit_file(repo, "history/2026-01.jsonl", good + '{"version": 1, "repository": 3}\n')
    with pytest.raises(HistoryError, match=r"history/2026-01\.jsonl line 2"):
        list(store.records())


def test_a_hand_edited_month_without_a_final_newline_is_not_appended_to(repo: Path) -> None:
    store = open_store("git", repo)
    store.record(make_record(recorded_at="2026-01-02T00:00:00+00:00"))
    good = git(repo, "show", f"{BRANCH}:history/2026-01.jsonl")
    commit_file(repo, "history/2026-01.jsonl", good.rstrip("\n"))
    before = branch_commits(repo)
    with pytest.raises(HistoryError, match="refusing to append"):
        store.record(make_record(recorded_at="2026-01-03T00:00:00+00:00"))
    assert branch_commits(repo) == before
