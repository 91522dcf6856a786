from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, descendants, dotted_name, find_all, names_read
from ecolint_rules.sql._db import django_manager

_CREATE_METHODS = frozenset({"create", "update_or_create"})


class OrmWriteInLoop(Rule):
    """## What it does
    Flags ORM writes of one row per iteration inside a loop or comprehension:
    - Django: `<obj>.save()` (with no positional argument, in a module that imports
      Django), `<Model>.objects.create(...)` and `<Model>.objects.update_or_create(...)`;
    - SQLAlchemy: `<session>.add(x)` when the same loop body also calls
      `<session>.flush()`, which sends that row's `INSERT` right away.
    A `session.add(x)` in a loop with one flush or commit after the loop is batched by
    the unit of work, and is not flagged. A `save()` in a retry loop (`while True:`, or
    a `for` whose variable is never read, as when a fresh session key is drawn after a
    collision) writes one row, and is not flagged either.

    ## Why is this wasteful?
    Each call is its own `INSERT` or `UPDATE` round trip (in Django's autocommit mode,
    its own transaction too): parse, plan, write, and a reply, n times. `bulk_create`,
    `bulk_update` and `add_all` with one flush send the rows in a few statements.

    ## Example
    ```python
    for row in rows:
        Measurement.objects.create(sensor=row.sensor, value=row.value)
    ```

    Use instead:
    ```python
    Measurement.objects.bulk_create(
        Measurement(sensor=row.sensor, value=row.value) for row in rows
    )
    ```

    ## Evidence
    `bench/rules/eco406_orm_write_in_loop.py` on this 2-core machine (CPython 3.11, Django
    5.2; wall time, median of 7 paired runs; two runs, shared and loaded machine): n rows
    with `objects.create` in a loop vs one `bulk_create`, inside one
    `transaction.atomic()`. SQLite in memory: 3.9× / 3.6× at n=100, 4.7× / 4.2× at
    n=1,000, 4.4× / 4.2× at n=10⁴ (run 1 / run 2); SQLite on a temporary file: 3.9× /
    1.6×, 4.9× / 4.3×, 4.7× / 4.0×. PostgreSQL 15 (local server on 127.0.0.1, psycopg 3):
    20× / 8.5×, 44× / 11×, 31× / 10× (a round trip per row).

    Summary: SQLite 1.6–4.9×, PostgreSQL 8.5–44× at 10² / 10³ / 10⁴ rows (Django).

    ## References
    - Django docs, "Database access optimization": `bulk_create`, `bulk_update`
    - SQLAlchemy docs, "Session Basics": flushing; greenlint GL012; creedengo GCI72
    """

    code = "ECO406"
    name = "orm-write-in-loop"
    impact = "high"
    message = "`{call}` writes one row per iteration; use {remedy}"
    VALID = [
        Valid(
            "from django.db import IntegrityError\n\nwhile True:\n    obj.key = new_key()\n"
            "    try:\n        obj.save(force_insert=True)\n    except IntegrityError:\n"
            "        continue\n    break\n"
        ),
        Valid("Item.objects.bulk_create(Item(name=n) for n in names)\n"),
        Valid("from django.db import models\n\nfor image in images:\n    image.save(path)\n"),
        Valid("for doc in docs:\n    doc.save()\n"),
        Valid(
            "from sqlalchemy.orm import Session\n\nwith Session(engine) as session:\n"
            "    for row in rows:\n        session.add(Item(**row))\n    session.commit()\n"
        ),
        Valid("item = Item.objects.create(name='x')\n"),
    ]
    INVALID = [
        Invalid(
            "for row in rows:\n    Measurement.objects.create(sensor=row.sensor, value=row.v)\n",
            line=2,
        ),
        Invalid(
            "from django.db import transaction\n\nfor user in users:\n"
            "    user.last_seen = now\n    user.save(update_fields=['last_seen'])\n",
            line=5,
        ),
        Invalid(
            "from sqlalchemy.orm import Session\n\nwith Session(engine) as session:\n"
            "    for row in rows:\n        session.add(Item(**row))\n        session.flush()\n",
            line=5,
        ),
        Invalid(
            "tags = [Tag.objects.update_or_create(name=n)[0] for n in names]\n",
            line=1,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        if method == "save":
            if any(arg.keyword is None for arg in node.args):
                return  # `image.save(path)`: a file, not a row
            if not self.imports.imports_module("django"):
                return
            loop = self.enclosing_loop(node)
            if loop is None or _is_retry_loop(loop):
                return
            self.report(node, call=".save()", remedy="`bulk_create` / `bulk_update`")
        elif method in _CREATE_METHODS:
            if django_manager(func.value) is None or not self.in_loop(node):
                return
            remedy = (
                "`bulk_create`" if method == "create" else "`bulk_create(update_conflicts=True)`"
            )
            self.report(node, call=f"objects.{method}()", remedy=remedy)
        elif method == "add" and len(node.args) == 1:
            loop = self.enclosing_loop(node)
            if loop is None or not self.imports.imports_module("sqlalchemy", "sqlmodel"):
                return
            session = dotted_name(func.value)
            if session is not None and _flushes(loop, session):
                self.report(node, call=f"{session}.add()", remedy="`add_all` and one flush")


def _is_retry_loop(loop: cst.CSTNode) -> bool:
    """`while True:` or a `for` whose variable the body never reads (`for _ in
    range(10)`): the loop retries one write (a fresh key after a collision), it does
    not write one row per item."""
    if isinstance(loop, cst.While):
        return isinstance(loop.test, cst.Name) and loop.test.value == "True"
    if isinstance(loop, cst.For):
        targets = {
            n.value for n in (loop.target, *descendants(loop.target)) if isinstance(n, cst.Name)
        }
        return not (targets & names_read(loop.body))
    return False


def _flushes(loop: cst.CSTNode, session: str) -> bool:
    """Whether ``loop`` calls ``<session>.flush()``."""
    for call in find_all(loop, cst.Call):
        assert isinstance(call, cst.Call)
        func = call.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "flush"
            and dotted_name(func.value) == session
        ):
            return True
    return False
