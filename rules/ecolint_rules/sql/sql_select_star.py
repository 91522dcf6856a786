from __future__ import annotations

import re

import libcst as cst

from ecolint import Invalid, Rule, Valid

# The rule's pattern. `COUNT(*)` and `t.*` do not match it: the `*` must follow SELECT.
_SELECT_STAR = re.compile(r"\bSELECT\s+\*\s+FROM\b", re.IGNORECASE)
# After FROM: a derived table `(SELECT a, b …)` or a table function `unnest(…)`, whose
# columns the query already chose.
_DERIVED_SOURCE = re.compile(r"\s*(\(|\w+\s*\()")
# A view definition stores the query; it transfers nothing.
_VIEW_BEFORE = re.compile(r"\bCREATE\b[^;]*\bVIEW\b[^;]*\bAS\s*$", re.IGNORECASE)
# Probes that read one row or none, for the column names (`cursor.description`).
_ONE_ROW = re.compile(
    r"^[^;]*?\b(LIMIT\s+[01]\b|ROWNUM\s*(<\s*2|<=\s*1|=\s*1)|FETCH\s+FIRST\s+1\s+ROWS?\b"
    r"|WHERE\s+(1\s*=\s*0|0\s*=\s*1|FALSE)\b)",
    re.IGNORECASE,
)
# What may come before a top-level SELECT in a string that is SQL: nothing, a previous
# statement, a set operator, or a WITH clause. Prose ("failed on sql …: try SELECT * …")
# is not a query.
_STATEMENT_START = re.compile(r"(^|;|\b(UNION(\s+ALL)?|INTERSECT|EXCEPT))\s*$", re.IGNORECASE)
_WITH = re.compile(r"^\s*WITH\b", re.IGNORECASE)
# The table must be named in the literal: with `FROM {table}` / `FROM %s` / `"… FROM " + t`
# the code serves any table (a dump, an export, a generic reader) and cannot list columns.
_NAMED_TABLE = re.compile(r"\s*[\"`\[]?[A-Za-z_]")
_PLACEHOLDER = "{}"
_ESCAPED_WHITESPACE = re.compile(r"\\[ntr]")


def selects_star(text: str) -> bool:
    """Whether ``text`` holds a ``SELECT * FROM`` whose ``*`` sends columns to the client."""
    if "*" not in text:
        return False
    return any(_wasteful(text, match) for match in _SELECT_STAR.finditer(text))


def _wasteful(text: str, match: re.Match[str]) -> bool:
    before, after = text[: match.start()], text[match.end() :]
    if before.count("(") > before.count(")"):
        return False  # a subquery (EXISTS, IN, a derived table): the outer query chooses
    if _DERIVED_SOURCE.match(after) or _VIEW_BEFORE.search(before):
        return False
    if not (_STATEMENT_START.search(before) or _WITH.match(before)):
        return False  # SQL quoted inside prose, such as an error message
    if not _NAMED_TABLE.match(after):
        return False  # a table chosen at run time: generic code, no column list to write
    return not _ONE_ROW.match(after)


class SqlSelectStar(Rule):
    """## What it does
    Flags a string literal, an implicitly concatenated string or an f-string whose text
    matches `SELECT * FROM` (case-insensitive, any whitespace), wherever it is used: a
    cursor's `execute`, SQLAlchemy's `text()`, `pd.read_sql`, a constant. The SQL is
    matched on its words, so `SELECT COUNT(*) FROM` and `SELECT t.* FROM` are not
    flagged. Nor are the forms where the `*` sends no extra column to the client:
    - a `SELECT *` inside parentheses (`EXISTS (…)`, `IN (…)`, a derived table): the
      outer query chooses the columns, and the planner drops the others;
    - `SELECT * FROM (subquery)` and `SELECT * FROM func(…)`: the subquery or the table
      function already lists what it returns;
    - `CREATE VIEW … AS SELECT * …`: a definition, not a transfer;
    - one-row probes for the column names: `LIMIT 0` / `LIMIT 1`, `ROWNUM < 2`,
      `FETCH FIRST 1 ROW`, `WHERE 1 = 0`.
    The table must be named in the string: `f"SELECT * FROM {table}"`, `"… FROM %s" %
    t` or `"SELECT * FROM " + t` serve any table (dumps, exports, generic readers), which
    cannot list columns they do not know. The `SELECT` must start the string's SQL (or
    follow a `;`, a `WITH` clause or a set operator): SQL quoted inside prose, such as
    an error message, is not a query. A string that is a statement of its own (a
    docstring) is not SQL that runs either.
    These exemptions come from the findings judged on real applications
    (`bench/precision/apps-*.toml`, summed up in `bench/precision.md`).

    ## Why opt-in
    Judged on the real-application corpus (`bench/precision.md`): 3 of 68 findings shown in
    one batch were worth a change (the three read a blob column the model drops). Most
    `SELECT *` fill a model that maps every column of the table, read a table of two or
    three columns, or run in a start-up check or a data migration: listing the columns
    saves nothing there, and the rule cannot see the table's width nor what the code
    reads. Enable it (`extend-select = ["ECO402"]`) to review queries over wide tables
    (blobs, JSON, long text).

    ## Why is this wasteful?
    The database reads, converts and sends every column, and the driver decodes them
    into Python objects, even those the code never uses (wide text, blobs, JSON). A `*`
    also defeats covering indexes: the server must visit the table rows.

    ## Example
    ```python
    cur.execute("SELECT * FROM orders WHERE customer_id = ?", (customer,))
    ```

    Use instead:
    ```python
    cur.execute("SELECT id, total FROM orders WHERE customer_id = ?", (customer,))
    ```

    ## Evidence
    `bench/rules/eco402_sql_select_star.py` on a 2-core x86-64 VM (CPython 3.11; wall
    time, median of 7 paired runs; two runs, shared and loaded machine; SQLite on a
    temporary file, a table of 10 columns including a 200-byte text, reading 2 of them):
    1.9× / 3.3× at n=100 rows, 1.7× / 2.8× at n=10⁴, 2.7× / 2.7× at n=10⁶ (run 1 /
    run 2). A constant factor that depends on how wide the unused columns are; over a
    network the transferred bytes add to it.

    Summary: 1.9–3.3× at 10², 1.7–2.8× at 10⁴, 2.7× at 10⁶ rows (SQLite, 2 of 10 columns
    used).

    ## References
    - creedengo GCI74 (its regex also flags `COUNT(*)`; this rule does not); greenlint GL005
    """

    code = "ECO402"
    name = "sql-select-star"
    impact = "medium"
    opt_in = True
    message = "`SELECT *` fetches every column; list the columns the code uses"
    VALID = [
        Valid("cur.execute('SELECT COUNT(*) FROM orders')\n"),
        Valid("cur.execute('SELECT o.* FROM orders o')\n"),
        Valid("cur.execute('SELECT id, total FROM orders WHERE id = ?', (i,))\n"),
        Valid(
            "q = 'SELECT id FROM users u WHERE EXISTS (SELECT * FROM orders o "
            "WHERE o.user_id = u.id)'\n"
        ),
        Valid('def find():\n    """Runs SELECT * FROM users, then filters."""\n'),  # noqa: ECO402
        Valid("""
            total = price * quantity
            print('select from * menu')
            """),
        Valid("sql = 'SELECT * FROM (%s) subquery' % inner\n"),
        Valid("cur.execute('SELECT * FROM %s LIMIT 1' % table)\n"),
        Valid("rows = con.execute(f'SELECT * FROM {table}').fetchall()\n"),
        Valid("raise ValueError(f'cannot read {name}; try SELECT * FROM {name} instead')\n"),
        Valid("ddl = 'CREATE VIEW active AS SELECT * FROM users WHERE active'\n"),
        Valid(
            """
            q = (
                'SELECT sql FROM (SELECT * FROM sqlite_master UNION ALL '
                'SELECT * FROM sqlite_temp_master) WHERE name = ?'
            )
            """
        ),
    ]
    INVALID = [
        Invalid("cur.execute('SELECT * FROM orders WHERE id = ?', (i,))\n", line=1),  # noqa: ECO402
        Invalid(
            "import pandas as pd\n\ndf = pd.read_sql(\n"
            "    f'select *\\n  from events where day = {day!r}', con)\n",
            line=4,
        ),
        Invalid(
            """
            from sqlalchemy import text

            query = text(
                'SELECT * '
                'FROM users WHERE active'
            )
            """,
            line=4,
        ),
        Invalid(
            """
            QUERY = '''
                SELECT name FROM (
                SELECT * FROM users) AS u
            '''
            ALL = '''
                select *
                FROM users
                ORDER BY name
            '''
            """,
            line=5,
        ),
    ]

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if "*" not in node.value or isinstance(self.parent_of(node), cst.ConcatenatedString):
            return  # a part is judged with its neighbours
        if selects_star(_text(node)) and not self._is_statement(node):
            self.report(node)

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> None:
        if isinstance(self.parent_of(node), cst.ConcatenatedString):
            return  # the outermost concatenation holds all the parts
        if not any(_may_hold_star(part) for part in _parts(node)):
            return  # cheaper than building the text, for the many strings without `*`
        text = _text(node)
        if "*" in text and selects_star(text) and not self._is_statement(node):
            self.report(node)

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        if isinstance(self.parent_of(node), cst.ConcatenatedString):
            return  # judged with its neighbours
        text = _text(node)
        if "*" in text and selects_star(text):
            self.report(node)

    def _is_statement(self, node: cst.CSTNode) -> bool:
        parent = self.parent_of(node)
        while isinstance(parent, cst.ConcatenatedString):
            parent = self.parent_of(parent)
        return isinstance(parent, cst.Expr)


def _parts(node: cst.ConcatenatedString) -> list[cst.BaseString]:
    parts: list[cst.BaseString] = []
    current: cst.BaseExpression = node
    while isinstance(current, cst.ConcatenatedString):
        parts.append(current.left)
        current = current.right
    assert isinstance(current, cst.BaseString)
    parts.append(current)
    return parts


def _may_hold_star(part: cst.BaseString) -> bool:
    """Whether ``_text(part)`` may hold a ``*``, read from the literal's own text."""
    if isinstance(part, cst.SimpleString):
        return "*" in part.value
    if isinstance(part, cst.FormattedString):
        return any(isinstance(p, cst.FormattedStringText) and "*" in p.value for p in part.parts)
    return False


def _text(node: cst.BaseString) -> str:
    """The text between the quotes, with ``{}`` for each f-string field and the escapes
    ``\\n``, ``\\t``, ``\\r`` read as the whitespace they stand for."""
    if isinstance(node, cst.FormattedString):
        raw = "".join(
            part.value if isinstance(part, cst.FormattedStringText) else _PLACEHOLDER
            for part in node.parts
        )
    elif isinstance(node, cst.ConcatenatedString):
        return " ".join(_text(part) for part in _parts(node))
    elif isinstance(node, cst.SimpleString):
        raw = node.raw_value
    else:
        return ""
    return _ESCAPED_WHITESPACE.sub(" ", raw)
