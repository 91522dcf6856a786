"""A store that cannot be used is one clear error line, exit 2, and nothing written."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from history_helpers import PASSWORD, free_port, make_record

from ecolint.history.store import HistoryError, open_store
from helpers import write

pytest_plugins = ["history_stores"]


@pytest.fixture
def scored_project(tmp_path: Path) -> Path:
    """A small project to record, with one finding."""
    write(tmp_path / "pyproject.toml", "[tool.ecolint]\n")
    write(
        tmp_path / "app.py",
        "def join(parts):\n    out = ''\n    for p in parts:\n        out += p\n",
    )
    return tmp_path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_recording_into_an_unreachable_postgresql_exits_2_and_says_so(
    scored_project: Path, run_ecolint
) -> None:
    url = f"postgresql+psycopg://postgres:{PASSWORD}@127.0.0.1:{free_port()}/history"
    result = run_ecolint("history", "record", "--db", url, cwd=scored_project)
    assert result.returncode == 2
    assert "Connection refused" in result.stderr
    assert "is the database server running" in result.stderr
    assert PASSWORD not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_bad_credentials_exit_2_without_showing_the_password(
    scored_project: Path, run_ecolint, postgres_server: tuple[str, int]
) -> None:
    host, port = postgres_server
    url = f"postgresql+psycopg://postgres:wrong-password@{host}:{port}/postgres"
    result = run_ecolint("history", "record", "--db", url, cwd=scored_project)
    assert result.returncode == 2
    assert "password authentication failed" in result.stderr
    assert "wrong-password" not in result.stderr + result.stdout


@pytest.mark.slow
def test_bad_credentials_in_the_environment_variable_are_the_same_clear_error(
    scored_project: Path, run_ecolint, postgres_server: tuple[str, int], monkeypatch
) -> None:
    host, port = postgres_server
    url = f"postgresql+psycopg://nobody:nothing@{host}:{port}/postgres"
    monkeypatch.setenv("ECOLINT_DATABASE_URL", url)
    result = run_ecolint("history", "list", cwd=scored_project)
    assert result.returncode == 2
    assert "password authentication failed" in result.stderr


@pytest.mark.slow
def test_a_corrupt_sqlite_file_exits_2_and_is_left_byte_for_byte_as_it_was(
    scored_project: Path, run_ecolint
) -> None:
    store = scored_project / ".ecolint" / "history.sqlite"
    store.parent.mkdir()
    store.write_bytes(b"this is not a database, it was damaged " * 200)
    before = digest(store)
    result = run_ecolint("history", "record", cwd=scored_project)
    assert result.returncode == 2
    assert "file is not a database" in result.stderr
    assert digest(store) == before
    assert sorted(os.listdir(store.parent)) == ["history.sqlite"]  # no -wal/-journal left


def test_a_sqlite_file_damaged_inside_is_a_clear_error_when_read(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    store = open_store(str(path), tmp_path)
    for number in range(50):
        store.record(make_record(commit=str(number)))
    store.close()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    data[2 * page : 4 * page] = b"\xff" * (2 * page)  # overwrite table pages, keep the header
    path.write_bytes(bytes(data))
    with pytest.raises(HistoryError, match=r"history\.sqlite"):
        reopened = open_store(str(path), tmp_path)
        list(reopened.records())


@pytest.mark.slow
def test_an_unknown_store_name_is_a_usage_error(scored_project: Path, run_ecolint) -> None:
    result = run_ecolint("history", "list", "--db", "mongodb-please", cwd=scored_project)
    assert result.returncode == 2
    assert "unknown history store" in result.stderr


@pytest.mark.slow
def test_the_data_branch_store_outside_a_git_repository_is_a_clear_error(
    scored_project: Path, run_ecolint, monkeypatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(scored_project.parent))
    result = run_ecolint("history", "record", "--db", "git", cwd=scored_project)
    assert result.returncode == 2
    assert "not" in result.stderr and "git repository" in result.stderr
