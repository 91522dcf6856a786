"""ECO401 sql-query-in-loop: n single-row INSERTs with `execute` in a loop vs `executemany`.

`n` is the number of rows; both forms run in one transaction and commit once, so the
difference is the per-statement round trip. SQLite on a temporary file by default;
`ECOLINT_BENCH_PG=postgresql://…` runs the same against PostgreSQL (psycopg 3, whose
`executemany` pipelines the statements).
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
        cur.execute(sql, row)  # the form ECO401 flags
    con.commit()
    return len(rows)


def good(state: tuple[Any, list[tuple[int, float]]]) -> int:
    con, rows = state
    cur = con.cursor()
    cur.executemany(insert_reading_sql(), rows)
    con.commit()
    return len(rows)


bad.mutates_state = True  # type: ignore[attr-defined]
good.mutates_state = True  # type: ignore[attr-defined]

if __name__ == "__main__":
    print(describe())
    main(__doc__, setup, bad, good, sizes=(100, 10_000, 1_000_000))
