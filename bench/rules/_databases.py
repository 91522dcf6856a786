"""Database connections for the ECO4xx benchmarks: SQLite on a temporary file by default,
or the PostgreSQL server named by ``ECOLINT_BENCH_PG`` (a libpq URL such as
``postgresql://postgres@127.0.0.1:54330/postgres``; ``tests/history/history_stores.py``
starts a throwaway server with ``initdb``, the way to get one).
"""

from __future__ import annotations

import atexit
import os
import sqlite3
import tempfile
from functools import cache
from typing import Any

PG_URL = os.environ.get("ECOLINT_BENCH_PG")
_DIR = tempfile.TemporaryDirectory()
atexit.register(_DIR.cleanup)


def backend() -> str:
    return "postgresql" if PG_URL else "sqlite"


def sqlite_path(name: str = "bench.db") -> str:
    return os.path.join(_DIR.name, name)


def connect() -> Any:
    """A DB-API connection, not in autocommit mode (each benchmark commits itself)."""
    if PG_URL:
        import psycopg

        return psycopg.connect(PG_URL)
    return sqlite3.connect(sqlite_path())


def placeholder() -> str:
    return "%s" if PG_URL else "?"


def describe() -> str:
    if PG_URL:
        return "PostgreSQL (local server, psycopg 3)"
    return f"SQLite {sqlite3.sqlite_version} on a temporary file"


@cache
def shared_connection() -> Any:
    """One connection for all rounds of a benchmark (connecting is not what is measured)."""
    return connect()


def readings_table(n: int) -> tuple[Any, list[tuple[int, float]]]:
    """An empty ``readings (sensor, value)`` table and ``n`` rows to insert into it."""
    con = shared_connection()
    cur = con.cursor()
    cur.execute("DROP TABLE IF EXISTS readings")
    cur.execute("CREATE TABLE readings (sensor INTEGER, value REAL)")
    con.commit()
    return con, [(i % 50, i * 0.5) for i in range(n)]


def insert_reading_sql() -> str:
    mark = placeholder()
    return f"INSERT INTO readings (sensor, value) VALUES ({mark}, {mark})"
