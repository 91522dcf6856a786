"""ECO402 sql-select-star: `SELECT *` vs the 2 columns used, over n rows of a 10-column table.

`n` is the number of rows; the table has 8 numeric columns, a 40-byte name and a 200-byte
note; both forms sum `qty * price` over every row. SQLite on a temporary file by default;
`ECOLINT_BENCH_PG=postgresql://…` for PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from _databases import connect, describe
from harness import main

_CONNECTION: Any = None
_FILLED: set[int] = set()
_COLUMNS = "id, qty, price, a, b, c, d, e, name, note"


def setup(n: int) -> Any:
    global _CONNECTION
    if _CONNECTION is None:
        _CONNECTION = connect()
    con = _CONNECTION
    if n not in _FILLED:
        cur = con.cursor()
        cur.execute(f"DROP TABLE IF EXISTS wide_{n}")
        cur.execute(
            f"CREATE TABLE wide_{n} (id INTEGER PRIMARY KEY, qty INTEGER, price REAL, "
            "a INTEGER, b INTEGER, c INTEGER, d INTEGER, e INTEGER, name TEXT, note TEXT)"
        )
        mark = "%s" if "psycopg" in type(con).__module__ else "?"
        rows = [(i, i % 7, i * 0.25, i, i, i, i, i, f"name {i:<35}", "x" * 200) for i in range(n)]
        cur.executemany(
            f"INSERT INTO wide_{n} ({_COLUMNS}) VALUES ({', '.join([mark] * 10)})", rows
        )
        con.commit()
        _FILLED.add(n)
    return con, n


def bad(state: Any) -> float:
    con, n = state
    cur = con.cursor()
    cur.execute(f"SELECT * FROM wide_{n}")  # the form ECO402 flags
    return sum(row[1] * row[2] for row in cur)


def good(state: Any) -> float:
    con, n = state
    cur = con.cursor()
    cur.execute(f"SELECT qty, price FROM wide_{n}")
    return sum(qty * price for qty, price in cur)


if __name__ == "__main__":
    print(describe())
    main(__doc__, setup, bad, good, sizes=(100, 10_000, 1_000_000))
