"""ECO407 commit-in-loop: n single-row INSERTs committed one by one vs one commit.

`n` is the number of rows. Each commit makes the transaction durable (SQLite: journal
writes and fsync with the default `synchronous=FULL`; PostgreSQL: a WAL flush with
`fsync=on`). SQLite on a temporary file (ext4) by default; `ECOLINT_BENCH_PG=postgresql://…`
for PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from _databases import connect, describe, placeholder
from harness import main

_CONNECTION: Any = None


def setup(n: int) -> tuple[Any, list[tuple[int, float]]]:
    global _CONNECTION
    if _CONNECTION is None:
        _CONNECTION = connect()
    con = _CONNECTION
    cur = con.cursor()
    cur.execute("DROP TABLE IF EXISTS readings")
    cur.execute("CREATE TABLE readings (sensor INTEGER, value REAL)")
    con.commit()
    return con, [(i % 50, i * 0.5) for i in range(n)]


def _insert() -> str:
    mark = placeholder()
    return f"INSERT INTO readings (sensor, value) VALUES ({mark}, {mark})"


def bad(state: tuple[Any, list[tuple[int, float]]]) -> int:
    con, rows = state
    cur = con.cursor()
    sql = _insert()
    for row in rows:
        cur.execute(sql, row)
        con.commit()  # the form ECO407 flags
    return len(rows)


def good(state: tuple[Any, list[tuple[int, float]]]) -> int:
    con, rows = state
    cur = con.cursor()
    sql = _insert()
    for row in rows:
        cur.execute(sql, row)
    con.commit()
    return len(rows)


bad.mutates_state = True  # type: ignore[attr-defined]
good.mutates_state = True  # type: ignore[attr-defined]

if __name__ == "__main__":
    print(describe())
    main(__doc__, setup, bad, good, sizes=(10, 100, 1_000))
