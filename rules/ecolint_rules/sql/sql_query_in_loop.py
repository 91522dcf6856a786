from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid
from ecolint_rules.sql._db import imports_driver_or_sqlalchemy, runs_other_statements


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
    `bench/rules/eco401_sql_query_in_loop.py` on this 2-core machine (CPython 3.11; wall
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
    message = (
        "`{call}` in a loop sends one query per iteration; use `executemany`, set-based "
        "SQL (IN, JOIN) or COPY"
    )
    VALID = [
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
        self.report(node, call=".execute()")
