"""ECO403 unbounded-fetchall: `cur.fetchall()` of a whole table vs iterating the cursor.

`n` is the number of rows (id, value); both forms sum the values. Iterating fetches rows in
batches as they are used; `fetchall()` builds one list of n tuples first. The timing is
about the same; after the table the script prints each form's peak memory (tracemalloc).
SQLite on a temporary file.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from _databases import sqlite_path
from harness import main, print_peak_memory

SIZES = (100, 10_000, 1_000_000)
_CONNECTION = sqlite3.connect(sqlite_path("fetchall.db"))
_FILLED: set[int] = set()


def setup(n: int) -> tuple[Any, int]:
    if n not in _FILLED:
        _CONNECTION.execute(f"CREATE TABLE t_{n} (id INTEGER PRIMARY KEY, value REAL)")
        _CONNECTION.executemany(
            f"INSERT INTO t_{n} VALUES (?, ?)", ((i, i * 0.5) for i in range(n))
        )
        _CONNECTION.commit()
        _FILLED.add(n)
    return _CONNECTION, n


def bad(state: tuple[Any, int]) -> float:
    con, n = state
    cur = con.execute(f"SELECT id, value FROM t_{n}")
    return sum(value for _, value in cur.fetchall())  # the form ECO403 flags


def good(state: tuple[Any, int]) -> float:
    con, n = state
    cur = con.execute(f"SELECT id, value FROM t_{n}")
    return sum(value for _, value in cur)


if __name__ == "__main__":
    main(__doc__, setup, bad, good, sizes=SIZES)
    print_peak_memory(setup, bad, good, SIZES)
