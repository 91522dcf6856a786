from __future__ import annotations

import re

import libcst as cst

from ecolint import Invalid, Rule, Valid, dotted_name, find_all, simple_assignments

_SELECT = re.compile(r"^\s*(\(\s*)*(SELECT|WITH)\b", re.IGNORECASE)
_BOUNDED = re.compile(r"\b(LIMIT|TOP|FETCH\s+(FIRST|NEXT)|WHERE)\b", re.IGNORECASE)
# One row whatever the table size: an aggregate select list without GROUP BY.
_AGGREGATE_ONLY = re.compile(
    r"^\s*SELECT\s+(COUNT|SUM|MIN|MAX|AVG|TOTAL)\s*\([^)]*\)\s*(AS\s+\w+\s*)?FROM\b",
    re.IGNORECASE,
)
_GROUP_BY = re.compile(r"\bGROUP\s+BY\b", re.IGNORECASE)


def is_unbounded_select(sql: str) -> bool:
    """A SELECT with no LIMIT / TOP / FETCH FIRST and no WHERE, that may return many rows."""
    if not _SELECT.match(sql) or _BOUNDED.search(sql):
        return False
    return not (_AGGREGATE_ONLY.match(sql) and not _GROUP_BY.search(sql))


class UnboundedFetchall(Rule):
    """## What it does
    Flags `<cursor>.fetchall()` when the SQL that the same cursor executed in the same
    scope is a string literal (or a name assigned one) with a `SELECT` that has no
    `LIMIT`, `TOP`, `FETCH FIRST` and no `WHERE`: the whole table comes back as one list.
    Both `cur.execute(sql)` followed by `cur.fetchall()` and the chained
    `con.execute(sql).fetchall()` are recognised; a query that only aggregates (`SELECT
    COUNT(*) FROM t`, no `GROUP BY`) returns one row and is not flagged. SQL that is not a
    literal in the scope is unknown, and left alone.

    ## Why is this wasteful?
    `fetchall()` builds every row as a Python tuple in one list before the first is used:
    memory grows with the table, and a client that only needs the first rows or processes
    them one by one holds all of them anyway.

    The rule is opt-in (enable it with `extend-select = ["ECO403"]`): small lookup tables
    are often read whole on purpose, a static check cannot know a table's size, and the
    saving is memory more than time (see Evidence).

    ## Example
    ```python
    cur.execute("SELECT id, payload FROM events")
    for row in cur.fetchall():
        handle(row)
    ```

    Use instead:
    ```python
    cur.execute("SELECT id, payload FROM events")
    for row in cur:  # or cur.fetchmany(1000), a server-side cursor, or LIMIT/pagination
        handle(row)
    ```

    ## Evidence
    `bench/rules/eco403_unbounded_fetchall.py` on a 2-core x86-64 VM (CPython 3.11; wall
    time, median of 7 paired runs; two runs, shared and loaded machine; SQLite on a
    temporary file, summing one column of n rows). Time: 0.84× / 1.01× at n=100,
    0.78× / 1.18× at n=10⁴, 1.50× / 1.43× at n=10⁶ (run 1 / run 2): within noise until
    the list gets large. Peak memory (tracemalloc): 1.6 kB vs 0.7 kB at n=100, 1.08 MB vs
    0.8 kB at n=10⁴, 120 MB vs 0.8 kB at n=10⁶: iterating the cursor keeps one batch.
    Mostly a memory saving, and only on large tables: hence opt-in.

    Summary: time 0.8–1.2× up to 10⁴ rows, 1.4–1.5× at 10⁶; peak memory 2.3× / 1,409× /
    156,472× at 10² / 10⁴ / 10⁶.

    ## References
    - creedengo GCI24 (limit SQL results; specification); PEP 249 `fetchmany`
    """

    code = "ECO403"
    name = "unbounded-fetchall"
    opt_in = True
    impact = "low"
    message = (
        "`fetchall()` of `{sql}` loads the whole table into memory; iterate the cursor, "
        "use `fetchmany(n)` or paginate"
    )
    VALID = [
        Valid("""
            cur.execute('SELECT id FROM events WHERE day = ?', (d,))
            rows = cur.fetchall()
            """),
        Valid("""
            cur.execute('SELECT id FROM events LIMIT 100')
            rows = cur.fetchall()
            """),
        Valid("""
            cur.execute('SELECT COUNT(*) FROM events')
            (total,) = cur.fetchall()[0]
            """),
        Valid("""
            cur.execute(query)
            rows = cur.fetchall()
            """),
        Valid("""
            cur.execute('SELECT id FROM events')
            for row in cur:
                print(row)
            """),
        Valid(
            """
            def f(cur):
                cur.execute('SELECT id FROM t')

            def g(cur):
                return cur.fetchall()
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            def dump(cur):
                cur.execute('SELECT id, payload FROM events')
                for row in cur.fetchall():
                    print(row)
            """,
            line=3,
        ),
        Invalid("rows = con.execute('select * from users order by name').fetchall()\n", line=1),  # noqa: ECO402
        Invalid(
            """
            SQL = '''
                SELECT name, total
                FROM orders
                ORDER BY total DESC
            '''
            cursor.execute(SQL)
            result = cursor.fetchall()
            """,
            line=7,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "fetchall"):
            return
        if node.args:
            return
        receiver = func.value
        if isinstance(receiver, cst.Call):  # con.execute(sql).fetchall()
            sqls = self._sql_of(receiver, node)
        else:
            sqls = self._executed_on(receiver, node)
        if sqls and all(is_unbounded_select(sql) for sql in sqls):
            self.report(node, sql=_short(sqls[0]))

    def _executed_on(self, receiver: cst.BaseExpression, node: cst.Call) -> list[str]:
        """The SQL literals of every ``<receiver>.execute(...)`` in the scope of ``node``;
        empty if any of them is not a literal."""
        name = dotted_name(receiver)
        if name is None:
            return []
        scope = self.enclosing_scope(node)
        found: list[str] = []
        for call in find_all(scope, cst.Call):
            assert isinstance(call, cst.Call)
            func = call.func
            if (
                isinstance(func, cst.Attribute)
                and func.attr.value == "execute"
                and dotted_name(func.value) == name
            ):
                sqls = self._sql_of(call, node)
                if not sqls:
                    return []
                found.extend(sqls)
        return found

    def _sql_of(self, call: cst.Call, node: cst.CSTNode) -> list[str]:
        if not (
            isinstance(call.func, cst.Attribute) and call.func.attr.value == "execute" and call.args
        ):
            return []
        value = call.args[0].value
        if isinstance(value, cst.Name):
            values = simple_assignments(self.enclosing_scope(node), value.value) or (
                simple_assignments(self.module, value.value)
            )
            if len(values) != 1:
                return []
            value = values[0]
        text = _literal(value)
        return [text] if text is not None else []


def _literal(value: cst.BaseExpression) -> str | None:
    if isinstance(value, (cst.SimpleString, cst.ConcatenatedString)):
        evaluated = value.evaluated_value
        if evaluated is None:  # an f-string inside a concatenation
            return None
        if isinstance(evaluated, bytes):
            return evaluated.decode("utf-8", "replace")
        return evaluated
    return None


def _short(sql: str) -> str:
    text = " ".join(sql.split())
    return text if len(text) <= 40 else text[:37] + "..."
