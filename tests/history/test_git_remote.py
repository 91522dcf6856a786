"""The data branch shared through a remote (``--db git+origin``): fetch, append, push.

The remote is a real bare repository on disk; two clones play two CI runners.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from history_helpers import make_record

from ecolint.history.store import HistoryError, open_store
from helpers import git, git_environment

BRANCH = "refs/heads/ecolint-history"


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True, env=git_environment())
    return bare


def clone(remote: Path, folder: Path) -> Path:
    subprocess.run(
        ["git", "clone", "-q", str(remote), str(folder)],
        check=True, capture_output=True, env=git_environment(),
    )  # fmt: skip
    return folder


def remote_history(remote: Path) -> list[str]:
    return git(remote, "rev-list", "--reverse", BRANCH).split()


def test_a_record_is_pushed_to_the_remote(remote: Path, tmp_path: Path) -> None:
    runner = clone(remote, tmp_path / "runner")
    open_store("git+origin", runner).record(make_record(commit="a"))
    assert len(remote_history(remote)) == 1
    assert git(runner, "rev-parse", BRANCH) == git(remote, "rev-parse", BRANCH)


@pytest.mark.slow
def test_two_runners_append_to_one_linear_history(remote: Path, tmp_path: Path) -> None:
    first = clone(remote, tmp_path / "first")
    second = clone(remote, tmp_path / "second")
    seen: list[list[str]] = []
    for number, runner in enumerate((first, second, first, second)):
        open_store("git+origin", runner).record(make_record(commit=str(number)))
        seen.append(remote_history(remote))
    for before, after in itertools.pairwise(seen):
        assert after[: len(before)] == before  # the remote only ever grows
    assert len(seen[-1]) == 4
    records = list(open_store("git+origin", first).records())
    assert sorted(r.commit for r in records) == ["0", "1", "2", "3"]


@pytest.mark.slow
def test_runners_pushing_at_the_same_time_lose_nothing(remote: Path, tmp_path: Path) -> None:
    writer = (
        "import sys; from pathlib import Path; from history_helpers import make_record; "
        "from ecolint.history.store import open_store; "
        "store = open_store('git+origin', Path(sys.argv[1])); "
        "[store.record(make_record(commit=f'{sys.argv[2]}-{n}')) for n in range(5)]"
    )
    helpers = str(Path(__file__).parent)
    runners = [clone(remote, tmp_path / f"runner{n}") for n in range(3)]
    processes = [
        subprocess.Popen(  # noqa: ECO605 - concurrent pushers are the point of the test
            [sys.executable, "-c", writer, str(folder), str(n)],
            env={**git_environment(), "PYTHONPATH": helpers},
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, folder in enumerate(runners)
    ]
    errors = [p.communicate(timeout=300)[1] for p in processes if p.wait(timeout=300) != 0]
    assert not errors, errors
    commits = sorted(r.commit for r in open_store("git+origin", runners[0]).records())
    assert commits == sorted(f"{w}-{n}" for w in range(3) for n in range(5))
    assert len(remote_history(remote)) == 15


def test_diverged_local_and_remote_histories_are_refused_untouched(
    remote: Path, tmp_path: Path
) -> None:
    first = clone(remote, tmp_path / "first")
    second = clone(remote, tmp_path / "second")
    open_store("git+origin", first).record(make_record(commit="pushed"))
    open_store("git", second).record(make_record(commit="local only"))  # never pushed
    before = remote_history(remote)
    with pytest.raises(HistoryError, match="diverged"):
        open_store("git+origin", second).record(make_record(commit="next"))
    assert remote_history(remote) == before


def test_an_unreachable_remote_is_a_clear_error(tmp_path: Path) -> None:
    runner = tmp_path / "runner"
    runner.mkdir()
    git(runner, "init", "-q")
    git(runner, "remote", "add", "origin", str(tmp_path / "nowhere.git"))
    with pytest.raises(HistoryError, match="cannot fetch ecolint-history from origin"):
        open_store("git+origin", runner).record(make_record())
    assert git(runner, "for-each-ref") == ""  # nothing was written
