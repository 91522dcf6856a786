"""Concurrent writers lose nothing: 8 processes × 100 records at the same time.

Each writer is a real process with its own connection; they all start recording at the
same instant (a start file), on a store that none of them has created or migrated yet, so
the first-run migration races too.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest

from ecolint.history.store import open_store

pytest_plugins = ["history_stores"]
pytestmark = pytest.mark.slow  # 8 writer processes at once, seconds each

WRITER = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from ecolint.history.store import open_store
    from ecolint.records import HistoryRecord, RepoScore, ScorePart

    url, root, start, writer, count = sys.argv[1:6]
    while not os.path.exists(start):
        time.sleep(0.005)
    store = open_store(url, Path(root))
    for number in range(int(count)):
        store.record(HistoryRecord(
            repository=f"writer-{writer}",
            commit=f"{writer}-{number}",
            recorded_at=f"2026-01-01T00:{int(writer):02d}:{number % 60:02d}.{number:06d}+00:00",
            score=RepoScore(50.0, "D", (ScorePart("code", 50.0, "D", "concurrent"),)),
            findings={"ECO102": number, "ECO201": 1},
            ecoindex={"http://127.0.0.1/": 70.0},
        ))
    store.close()
    """
)


def run_writers(url: str, root: Path, writers: int, each: int) -> None:
    start = root / "start"
    # Eight writers at once are the point of the test:
    processes = [
        subprocess.Popen(  # noqa: ECO605
            [sys.executable, "-c", WRITER, url, str(root), str(start), str(n), str(each)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(writers)
    ]
    time.sleep(1.0)  # let every interpreter import and wait at the start line
    start.touch()
    failures = []
    for process in processes:
        _, stderr = process.communicate(timeout=600)
        if process.returncode != 0:
            failures.append(stderr)
    assert not failures, "\n".join(failures)


def assert_every_record_is_there(url: str, root: Path, writers: int, each: int) -> None:
    store = open_store(url, root)
    try:
        records = list(store.records())
    finally:
        store.close()
    assert len(records) == writers * each
    assert Counter(r.repository for r in records) == {f"writer-{n}": each for n in range(writers)}
    assert {r.commit for r in records} == {f"{w}-{n}" for w in range(writers) for n in range(each)}
    assert all(r.findings["ECO102"] == int(r.commit.split("-")[1]) for r in records)
    assert all(len(r.score.parts) == 1 and r.ecoindex for r in records)


def test_eight_processes_recording_100_runs_each_lose_nothing(sql_url: str, tmp_path: Path) -> None:
    run_writers(sql_url, tmp_path, writers=8, each=100)
    assert_every_record_is_there(sql_url, tmp_path, writers=8, each=100)


@pytest.mark.usefixtures("git_repo")
def test_concurrent_appends_to_the_data_branch_lose_nothing(tmp_path: Path) -> None:
    run_writers("git", tmp_path, writers=4, each=10)
    assert_every_record_is_there("git", tmp_path, writers=4, each=10)


@pytest.fixture
def git_repo(tmp_path: Path) -> Path:
    from helpers import git_repository

    return git_repository(tmp_path)
