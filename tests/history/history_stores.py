"""A real PostgreSQL server for the history tests, and fresh stores of every kind.

Test modules load this file with ``pytest_plugins = ["history_stores"]`` (registered once,
so the server starts once per session): only the modules that need a store load it.

The server is a throwaway cluster: ``initdb`` in a temporary folder under /tmp (as the
``postgres`` user when the tests run as root, since initdb refuses root), started on a free
127.0.0.1 port with password authentication (so that bad credentials can be tested), and
stopped at the end of the session. Each test gets its own database.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from history_helpers import PASSWORD, free_port

from helpers import git_repository, require_component

# A test on the PostgreSQL store starts the session's server (seconds): `slow`.
STORE_KINDS = ("sqlite", pytest.param("postgresql", marks=pytest.mark.slow))


def _initdb() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[tuple[str, int]]:
    """``(host, port)`` of a running throwaway PostgreSQL; user postgres, password PASSWORD."""
    bindir = _initdb()
    try:
        import psycopg  # noqa: F401
    except ModuleNotFoundError:
        bindir = None
    how = "make deps-postgres, and pip install -e '.[postgres]'"
    require_component(bindir is not None, "PostgreSQL server and psycopg", how)
    assert bindir is not None
    folder = Path(tempfile.mkdtemp(prefix="ecolint-pg.", dir="/tmp"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    password_file = folder / "password"
    password_file.write_text(PASSWORD + "\n")
    if os.geteuid() == 0:
        shutil.chown(password_file, "postgres", "postgres")
    data, log = folder / "data", folder / "log"
    port = free_port()
    subprocess.run(
        _as_server_user([
            str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=scram-sha-256",
            f"--pwfile={password_file}", "--no-sync", "-E", "UTF8",
        ]),
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        _as_server_user(
            [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-o", options, "start"]
        ),
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    try:
        yield "127.0.0.1", port
    finally:
        subprocess.run(
            _as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            capture_output=True, timeout=120, check=False,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


def postgres_database(server: tuple[str, int]) -> str:
    """A new empty database on the server; its SQLAlchemy URL."""
    import psycopg

    host, port = server
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = f"host={host} port={port} user=postgres password={PASSWORD} dbname=postgres"
    with contextlib.closing(psycopg.connect(admin, autocommit=True)) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres:{PASSWORD}@{host}:{port}/{name}"


@pytest.fixture(params=STORE_KINDS)
def sql_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh SQL store URL: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store' / 'history.sqlite'}"
    return postgres_database(request.getfixturevalue("postgres_server"))


@pytest.fixture(params=(*STORE_KINDS, "git"))
def any_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Like ``sql_url`` plus the git data-branch store (its repository is ``tmp_path``)."""
    if request.param == "git":
        git_repository(tmp_path)
        return "git"
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store' / 'history.sqlite'}"
    return postgres_database(request.getfixturevalue("postgres_server"))
