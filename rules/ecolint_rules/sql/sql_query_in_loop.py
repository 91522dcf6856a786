from __future__ import annotations

import re

import libcst as cst

from ecolint import Invalid, Rule, Valid, find_all
from ecolint_rules._loop_exit import leaves_loop_after
from ecolint_rules.sql._db import imports_driver_or_sqlalchemy, runs_other_statements

# Names that say the loop goes over slices of the data: `for batch in batches`,
# `for chunk in chunked(rows, 500)`, `_in_safe_batches(events)`.
_BATCH_WORDS = re.compile(r"batch|chunk|page|slice", re.IGNORECASE)


class SqlQueryInLoop(Rule):
    """## What it does
    Flags `<x>.execute(...)` called inside a loop or comprehension, in a module that
    imports a DB-API driver (sqlite3, psycopg2, psycopg, pymysql, MySQLdb,
    mysql.connector, cx_Oracle, oracledb, pyodbc, pymssql, asyncpg) or SQLAlchemy.
    `executemany(...)` is the remedy, not the problem, and is never flagged.

    A loop that runs a different statement each time is not a per-row query, and is
    left alone: the SQL is the loop's own variable (`for stmt in statements:
    cur.execute(stmt)`), a SQLAlchemy statement on the loop's table (`t.select()`,
    `t.delete()`, `insert(t)` in `for t in meta.sorted_tables`), or a schema, session or
    transaction statement (`CREATE`, `DROP`, `ALTER`, `SET`, …, as text or as a
    SQLAlchemy DDL construct such as `DropConstraint(...)`).

    In SQLAlchemy, `execute(stmt, rows)` given a list of parameter sets is already one
    batched executemany, and is never reported: a list display or comprehension, or a
    name, unless that name is the loop's own variable (`for row in rows:
    conn.execute(stmt, row)`) or is bound to a single mapping (`{…}`, `dict(…)`). A
    DB-API driver's `execute` takes one parameter set, whatever its type.

    Nor is a query that runs once per entry into the loop (a `break`, `return` or
    `raise` follows it: a retry loop around a locked database), or a loop over slices of
    the data (`range(start, stop, step)`, a `for` whose item or iterable is named like
    a `batch`, `chunk`, `page` or `slice`, a `while` that reads such a name, as in
    `.limit(batch_size)`): one statement per slice is the batching the rule asks for,
    sized to the driver's parameter limit.

    ## Why opt-in
    Judged on the real-application corpus (`bench/precision.md`): 2 of 38 findings in
    the Django/Flask and FastAPI batches were worth a change (a per-day query for a
    statistics endpoint). The loops went over a project's handful of statuses, the
    levels of one tree, a deployment's few schedules, or ran once (a data migration, an
    opt-in vacuum job); already batched loops and retry loops are now left alone, but
    how many rows a loop sees is what decides, and the rule cannot see it. Enable it
    (`extend-select = ["ECO401"]`) to review the loops of jobs and list endpoints.

    ## Why is this wasteful?
    Every `execute` is a round trip to the database: the client encodes the statement,
    the server parses and plans it, runs it, and sends a result back. A loop of n
    single-row statements pays this n times; one set-based statement (`IN`, a `JOIN`),
    `executemany` or `COPY` pays it once or a few times.

    ## Example
    ```python
    for order_id in order_ids:
        cur.execute("SELECT total FROM orders WHERE id = ?", (order_id,))
        totals.append(cur.fetchone()[0])
    ```

    Use instead:
    ```python
    marks = ",".join("?" * len(order_ids))
    cur.execute(f"SELECT total FROM orders WHERE id IN ({marks})", order_ids)
    totals = [row[0] for row in cur]
    ```

    ## Evidence
    `bench/rules/eco401_sql_query_in_loop.py` on a 2-core x86-64 VM (CPython 3.11; wall
    time, median of 7 paired runs; two runs on a shared machine whose load changed
    several-fold between them): n single-row `INSERT`s with `execute` in a loop vs one
    `executemany`, in one transaction. PostgreSQL 15 (local server on 127.0.0.1, psycopg
    3, whose `executemany` pipelines the statements): 4.6× / 2.2× at n=100, 13.6× / 2.6×
    at n=1,000, 11.1× / 2.8× at n=10⁴ (run 1 / run 2); the bad form pays one client–server
    round trip per row, which the load stretched from 0.04 ms to 1.3 ms. SQLite
    (temporary file, in-process, so no round trip): 1.36× / 0.99× at n=100, 1.15× / 1.34×
    at n=10⁴, 1.51× / 1.67× at n=10⁶: the per-call overhead of the driver only. The saving
    is the round trip of a database server; over a real network it is larger.

    Summary: PostgreSQL 2.2–4.6× at n=10², 2.6–13.6× at 10³, 2.8–11× at 10⁴; SQLite
    in-process 1.0–1.7×.

    ## References
    - creedengo GCI72 (SQL queries in loops); greenlint GL012
    - Python `sqlite3` docs: `Cursor.executemany`; PostgreSQL docs: "Populating a
      Database" (COPY, one transaction)
    """

    code = "ECO401"
    name = "sql-query-in-loop"
    impact = "high"
    opt_in = True
    message = (
        "`{call}` in a loop sends one query per iteration; use `executemany`, set-based "
        "SQL (IN, JOIN) or COPY"
    )
    VALID = [
        Valid(
            """
            import sqlalchemy as sa

            async def delete_in_batches(session, model, condition, batch_size):
                while True:
                    ids = sa.select(model.id).where(condition).limit(batch_size)
                    result = await session.execute(sa.delete(model).where(model.id.in_(ids)))
                    if result.rowcount == 0:
                        break
            """
        ),
        Valid(
            """
            import sqlite3

            def query(c, sql, args):
                for attempt in range(5):
                    try:
                        result = c.execute(sql, args)
                        break
                    except sqlite3.OperationalError:
                        time.sleep(0.1)
                return result
            """
        ),
        Valid(
            """
            from sqlalchemy import insert

            async def backfill(session, rows, size):
                for i in range(0, len(rows), size):
                    chunk = rows[i : i + size]
                    await session.execute(insert(MeterEvent).values(chunk))
            """
        ),
        Valid(
            """
            import sqlalchemy as sa

            async def write(session, events):
                for batch in _in_safe_batches(events):
                    rows = [event.as_row() for event in batch]
                    await session.execute(sa.insert(Event).values(rows))
            """
        ),
        Valid("""
            import sqlite3

            for statement in SCHEMA:
                con.execute(statement)
            """),
        Valid(
            """
            from sqlalchemy import text

            for ext in extensions:
                conn.execute(text(f'CREATE EXTENSION IF NOT EXISTS {ext}'))
            """
        ),
        Valid(
            """
            from sqlalchemy.schema import DropConstraint

            for fk in fks:
                conn.execute(DropConstraint(fk))
            """
        ),
        Valid(
            """
            import sqlalchemy

            for table in tables:
                conn.execute(table.insert(), [{'x': 1}, {'x': 2}])
            """
        ),
        Valid(
            """
            import sqlite3

            con = sqlite3.connect('app.db')
            con.executemany('INSERT INTO t VALUES (?)', [(r,) for r in rows])
            """
        ),
        Valid(
            """
            import sqlite3

            cur.execute('SELECT id FROM t')
            for row in cur:
                print(row)
            """
        ),
        Valid("""
            for task in tasks:
                executor.execute(task)
            """),
        Valid(
            """
            import psycopg

            for row in rows:
                def insert(cur):
                    cur.execute('INSERT INTO t VALUES (%s)', (row,))
                jobs.append(insert)
            """
        ),
        Valid("""
            import sqlite3

            for row in cur.execute('SELECT a FROM t'):
                print(row)
            """),
        Valid(
            """
            from sqlalchemy import insert

            def restore(connection, meta, data):
                for table_name, rows in data.items():
                    table = meta.tables[table_name]
                    connection.execute(table.delete())
                    connection.execute(insert(table), rows)
            """
        ),
        Valid(
            """
            import sqlalchemy

            def dump(connection, meta):
                return {
                    table.name: connection.execute(table.select()).mappings().all()
                    for table in meta.sorted_tables
                }
            """
        ),
        Valid(
            """
            from sqlalchemy import update

            def reprice(session, batches):
                for batch in batches:
                    params = [{"id": p.id, "price": p.price} for p in batch]
                    session.execute(update(Product), params)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import sqlite3

            con = sqlite3.connect('app.db')
            for order_id in ids:
                row = con.execute('SELECT total FROM orders WHERE id = ?', (order_id,))
            """,
            line=5,
        ),
        Invalid(
            """
            from psycopg import connect

            with connect(DSN) as conn, conn.cursor() as cur:
                for name in names:
                    cur.execute('INSERT INTO users (name) VALUES (%s)', (name,))
            """,
            line=5,
        ),
        Invalid(
            """
            from sqlalchemy import text

            def totals(session, ids):
                return [session.execute(text('SELECT 1 WHERE :i'), {'i': i}) for i in ids]
            """,
            line=4,
        ),
        Invalid(
            """
            import mysql.connector

            while queue:
                cursor.execute(queue.pop())
            """,
            line=4,
        ),
        Invalid(
            """
            import sqlite3

            def pairs(con, batches):
                for first, second in batches:
                    con.execute("SELECT * FROM t WHERE id IN (?, ?)", [first, second])
            """,
            line=5,
        ),
        Invalid(
            """
            import sqlalchemy

            def load(conn, readings, rows):
                for row in rows:
                    conn.execute(readings.insert(), row)
            """,
            line=5,
        ),
        Invalid(
            """
            from sqlalchemy import text

            def touch(session, ids):
                for user_id in ids:
                    params = {"id": user_id}
                    session.execute(text("UPDATE users SET seen = 1 WHERE id = :id"), params)
            """,
            line=6,
        ),
        Invalid(
            """
            from sqlalchemy import select

            def owners(conn, tables, user):
                for table in tables:
                    for row_id in user.row_ids:
                        conn.execute(select(table).where(table.c.id == row_id))
            """,
            line=6,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "execute") or not node.args:
            return
        if not imports_driver_or_sqlalchemy(self):
            return
        loop = self.enclosing_loop(node)
        if loop is None or runs_other_statements(self, node, loop):
            return
        if leaves_loop_after(self, node, loop) or _over_slices(self, loop):
            return  # a retry loop, or one statement per batch: already batched
        self.report(node, call=".execute()")


def _over_slices(rule: Rule, loop: cst.CSTNode) -> bool:
    """Whether ``loop`` goes over slices of the data: ``range(start, stop, step)``, an
    item or iterable named like a batch (``for chunk in chunked(rows, 500)``), or a
    ``while`` loop that reads such a name (``.limit(batch_size)``: delete in batches)."""
    if isinstance(loop, cst.While):
        return any(_BATCH_WORDS.search(name.value) for name in find_all(loop, cst.Name))
    if not isinstance(loop, cst.For):
        return False
    if (
        isinstance(loop.iter, cst.Call)
        and rule.qualified_name(loop.iter) == "builtins.range"
        and len(loop.iter.args) == 3
    ):
        return True
    names = find_all(loop.target, cst.Name), find_all(loop.iter, cst.Name)
    return any(_BATCH_WORDS.search(name.value) for found in names for name in found)
