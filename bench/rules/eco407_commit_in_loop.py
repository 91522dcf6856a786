"""ECO407 commit-in-loop: n single-row INSERTs committed one by one vs one commit.

`n` is the number of rows. Each commit makes the transaction durable (SQLite: journal
writes and fsync with the default `synchronous=FULL`; PostgreSQL: a WAL flush with
`fsync=on`). SQLite on a temporary file (ext4) by default; `ECOLINT_BENCH_PG=postgresql://…`
for PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from _databases import describe, insert_reading_sql, readings_table
from harness import main

setup = readings_table


def bad(state: tuple[Any, list[tuple[int, float]]]) -> int:
    con, rows = state
    cur = con.cursor()
    sql = insert_reading_sql()
    for row in rows:
        cur.execute(sql, row)
        con.commit()  # the form ECO407 flags
    return len(rows)


def good(state: tuple[Any, list[tuple[int, float]]]) -> int:
    con, rows = state
    cur = con.cursor()
    sql = insert_reading_sql()
    for row in rows:
        cur.execute(sql, row)
    con.commit()
    return len(rows)


bad.mutates_state = True  # type: ignore[attr-defined]
good.mutates_state = True  # type: ignore[attr-defined]

if __name__ == "__main__":
    print(describe())
    main(__doc__, setup, bad, good, sizes=(10, 100, 1_000))
