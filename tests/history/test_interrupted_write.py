"""A writer killed in the middle of recording leaves the store readable and consistent.

The writer records large runs (200 findings and 20 pages each, so a record takes several
statements or git objects) in a loop and is killed with SIGKILL — no cleanup, no rollback
from Python — once some records are in. Every record read back afterwards must be whole.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from history_helpers import make_record

from ecolint.history.store import HistoryStore, open_store

pytest_plugins = ["history_stores"]
pytestmark = pytest.mark.slow  # real writer processes, killed mid-write

FINDINGS = 200
PAGES = 20
LOOPING_WRITER = textwrap.dedent(
    f"""
    import sys
    from pathlib import Path
    from ecolint.history.store import open_store
    from ecolint.records import HistoryRecord, RepoScore, ScorePart

    store = open_store(sys.argv[1], Path(sys.argv[2]))
    number = 0
    while True:
        number += 1
        store.record(HistoryRecord(
            repository="acme/killed",
            commit=str(number),
            recorded_at=f"2026-01-01T00:00:00.{{number:06d}}+00:00",
            score=RepoScore(40.0, "E", (ScorePart("code", 40.0, "E", ""),)),
            findings={{f"ECO{{rule:03d}}": 1 for rule in range({FINDINGS})}},
            ecoindex={{f"http://127.0.0.1/{{page}}": 50.0 for page in range({PAGES})}},
        ))
    """
)


def count(store: HistoryStore) -> int:
    return sum(1 for _ in store.records())


def kill_writer_after(url: str, root: Path, records: int) -> None:
    writer = subprocess.Popen([sys.executable, "-c", LOOPING_WRITER, url, str(root)])
    reader = None
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            time.sleep(0.2)
            if writer.poll() is not None:
                pytest.fail(f"the writer stopped by itself with {writer.returncode}")
            try:
                reader = reader or open_store(url, root)
                if count(reader) >= records:
                    break
            except Exception:  # the writer may still be creating the store
                continue
        else:
            pytest.fail(f"fewer than {records} records after 180 s")
        writer.send_signal(signal.SIGKILL)
    finally:
        writer.kill()
        writer.wait(timeout=60)
        if reader is not None:
            reader.close()


def assert_whole_and_still_writable(url: str, root: Path, at_least: int) -> None:
    store = open_store(url, root)
    try:
        records = list(store.records())
        assert len(records) >= at_least
        assert all(len(r.findings) == FINDINGS and len(r.ecoindex) == PAGES for r in records)
        assert [r.commit for r in records] == [str(n) for n in range(1, len(records) + 1)]
        store.record(make_record(repository="acme/after"))
        assert store.repositories() == ["acme/after", "acme/killed"]
    finally:
        store.close()


def test_a_killed_sql_writer_leaves_only_whole_records(sql_url: str, tmp_path: Path) -> None:
    kill_writer_after(sql_url, tmp_path, records=5)
    assert_whole_and_still_writable(sql_url, tmp_path, at_least=5)


def test_a_killed_sqlite_writer_leaves_a_file_that_passes_the_integrity_check(
    tmp_path: Path,
) -> None:
    import sqlite3

    path = tmp_path / "history.sqlite"
    kill_writer_after(f"sqlite:///{path}", tmp_path, records=5)
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_killed_data_branch_writer_leaves_a_readable_branch(tmp_path: Path) -> None:
    from helpers import git_repository

    git_repository(tmp_path)
    kill_writer_after("git", tmp_path, records=3)
    store = open_store("git", tmp_path)
    records = list(store.records())  # every stored line parses, or this raises
    assert len(records) >= 3
    assert all(len(r.findings) == FINDINGS for r in records)
