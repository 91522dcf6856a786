from __future__ import annotations

import re

import libcst as cst

from ecolint import Invalid, Rule, Valid, dotted_name, find_all
from ecolint_rules.sql._db import imports_database, runs_other_statements

# Receivers named like a connection or session commit a database transaction even in a
# module that imports no driver (the connection is passed in).
_DATABASE_NAME = re.compile(
    r"(^|[._])(conn|connection|con|cnx|db|database|session|sess|tx|transaction)s?$",
    re.IGNORECASE,
)


_ISOLATED = (
    "`{call}` in a loop flushes the database log on every iteration; it also keeps one "
    "item's failure from undoing the others, which a savepoint per item "
    "(`begin_nested()`, `transaction.atomic()`) and one commit after the loop keep too "
    "(worth it only if the loop runs many times)"
)


class CommitInLoop(Rule):
    """## What it does
    Flags `<x>.commit()` with no arguments inside a loop or comprehension, when the
    module imports a database driver, SQLAlchemy, SQLModel or Django, or when the
    receiver is named like a connection or session (`conn`, `self.db`, `session`, …).
    `repo.commit("message")` and other commits that take arguments are not database
    transactions, and are left alone; so is a loop whose only statements are schema or
    session changes (`CREATE EXTENSION …`, a list of migration statements), where one
    commit per step is deliberate. A commit in the body of a `try` with `except`
    handlers inside the loop gives each item its own transaction, so that one failure
    does not undo the others: that finding is graded low and its message says how to
    keep the isolation (a savepoint per item, one commit after the loop).

    ## Why is this wasteful?
    A commit makes the transaction durable: the database writes and flushes its log (an
    `fsync` on SQLite and on PostgreSQL) and the client waits for it. Committing every
    row pays that flush n times; one commit after the loop (or one every few thousand
    rows) pays it once.

    ## Why opt-in
    Judged on 12 real applications (`bench/precision.md`): 0 of 10 (baseline) and 0 of 8 (after
    grading) sampled findings were worth a change: a commit per iteration costs one log flush,
    which matters only over many cheap iterations; the loops went over a few rows or made a
    network call per row, and a commit per item is often there to isolate failures.

    ## Example
    ```python
    for row in rows:
        conn.execute("INSERT INTO readings VALUES (?, ?)", row)
        conn.commit()
    ```

    Use instead:
    ```python
    for row in rows:
        conn.execute("INSERT INTO readings VALUES (?, ?)", row)
    conn.commit()
    ```

    ## Evidence
    `bench/rules/eco407_commit_in_loop.py` on a 2-core x86-64 VM (CPython 3.11; wall time,
    median of 7 (SQLite run 1) or 5 paired runs; two runs, shared and loaded machine): n
    single-row `INSERT`s with a commit after each vs one commit after the loop. SQLite
    (temporary file on ext4, default `synchronous=FULL`, rollback journal): 23× / 9.6× at
    n=10, 82× / 93× at n=100, 1,382× / 447× at n=1,000 (run 1 / run 2); each commit costs
    milliseconds of journal writes and fsync on this virtual disk. PostgreSQL 15 (local
    server on 127.0.0.1 with `fsync=on`, `synchronous_commit=on`, psycopg 3): 8.7× /
    4.2×, 35× / 6.7×, 52× / 26× (a WAL flush per commit).

    Summary: SQLite 9.6–23× / 82–93× / 447–1,382×, PostgreSQL 4.2–8.7× / 6.7–35× /
    26–52× at 10 / 10² / 10³ rows.

    ## References
    - SQLite FAQ 19 ("INSERT is really slow"); PostgreSQL docs, "Populating a Database"
      (disable autocommit, one transaction)
    """

    code = "ECO407"
    opt_in = True
    name = "commit-in-loop"
    impact = "high"
    message = (
        "`{call}` in a loop flushes the database log on every iteration; commit once after the loop"
    )
    VALID = [
        Valid(
            """
            import sqlite3

            for row in rows:
                con.execute('INSERT INTO t VALUES (?)', row)
            con.commit()
            """
        ),
        Valid("""
            for change in changes:
                repo.index.commit(change.message)
            """),
        Valid("""
            for item in items:
                item.commit()
            """),
        Valid(
            """
            import sqlite3

            for row in rows:
                def save():
                    con.commit()
                hooks.append(save)
            """
        ),
    ]
    VALID = [
        *VALID,
        Valid(
            """
            from sqlalchemy import text

            for ext in extensions:
                conn.execute(text(f'CREATE EXTENSION IF NOT EXISTS {ext}'))
                conn.commit()
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from sqlalchemy.orm import Session

            def refresh_costs(db_session, cases):
                for case in cases:
                    try:
                        case.cost = compute_cost(case)
                        db_session.commit()
                    except Exception:
                        db_session.rollback()
            """,
            line=7,
            confidence="low",
        ),
        Invalid(
            """
            import sqlite3

            con = sqlite3.connect('app.db')
            for row in rows:
                con.execute('INSERT INTO readings VALUES (?, ?)', row)
                con.commit()
            """,
            line=6,
        ),
        Invalid(
            """
            def store(self, events):
                for event in events:
                    self.db.insert(event)
                    self.db.commit()
            """,
            line=4,
        ),
        Invalid(
            """
            from sqlalchemy.orm import Session

            with Session(engine) as s:
                while batch := next_batch():
                    s.add_all(batch)
                    s.commit()
            """,
            line=6,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "commit") or node.args:
            return
        receiver = dotted_name(func.value) or ""
        if not (imports_database(self) or _DATABASE_NAME.search(receiver)):
            return
        loop = self.enclosing_loop(node)
        if loop is None or _commits_schema_changes(self, loop):
            return
        call = f"{receiver or '…'}.commit()"
        if _isolates_failures(self, node, loop):
            self.report(node, _ISOLATED.format(call=call), confidence="low")
        else:
            self.report(node, call=call)


def _isolates_failures(rule: Rule, node: cst.Call, loop: cst.CSTNode) -> bool:
    """Whether the commit sits in the body of a ``try`` with ``except`` handlers inside the
    loop: each item gets its own transaction so that one failure does not undo the
    others, which one commit after the loop would change."""
    child: cst.CSTNode = node
    for ancestor in rule.ancestors(node):
        if ancestor is loop:
            return False
        if isinstance(ancestor, cst.Try) and child is ancestor.body and ancestor.handlers:
            return True
        child = ancestor
    return False


def _commits_schema_changes(rule: Rule, loop: cst.CSTNode) -> bool:
    """Whether every statement the loop executes is DDL or a statement list (a migration
    step, `CREATE EXTENSION`): committing each is how such steps are usually isolated."""
    executes = [
        call
        for call in find_all(loop, cst.Call)
        if isinstance(call, cst.Call)
        and isinstance(call.func, cst.Attribute)
        and call.func.attr.value == "execute"
        and call.args
    ]
    return bool(executes) and all(runs_other_statements(rule, c, loop) for c in executes)
