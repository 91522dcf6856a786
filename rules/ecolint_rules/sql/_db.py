"""Names shared by the ECO4xx rules: database drivers, Django querysets, SQLAlchemy queries."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import libcst as cst

from ecolint import dotted_name, names_bound, names_read, simple_assignments

if TYPE_CHECKING:
    from ecolint import Rule

# DB-API drivers (PEP 249), and asyncpg, which has the same per-call round trip.
DRIVERS = (
    "sqlite3",
    "psycopg2",
    "psycopg",
    "pymysql",
    "MySQLdb",
    "mysql.connector",
    "cx_Oracle",
    "oracledb",
    "pyodbc",
    "pymssql",
    "asyncpg",
)
# `import mysql.connector` binds (and records) only `mysql`.
_IMPORTED = (*DRIVERS, "mysql")


def imports_driver_or_sqlalchemy(rule: Rule) -> bool:
    return rule.imports.imports_module(*_IMPORTED, "sqlalchemy")


def imports_database(rule: Rule) -> bool:
    """A driver, SQLAlchemy, SQLModel or Django's ORM."""
    return rule.imports.imports_module(*_IMPORTED, "sqlalchemy", "sqlmodel", "django")


def call_chain(node: cst.BaseExpression) -> tuple[cst.BaseExpression, list[str]]:
    """The root of a method chain and its method names in call order:
    ``Book.objects.filter(x).order_by(y)`` → (``Book.objects``, ["filter", "order_by"])."""
    methods: list[str] = []
    while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        methods.append(node.func.attr.value)
        node = node.func.value
    methods.reverse()
    return node, methods


# Queryset methods that return another queryset of model instances (rows still fetched).
QUERYSET_METHODS = frozenset(
    {
        "all",
        "filter",
        "exclude",
        "order_by",
        "reverse",
        "distinct",
        "defer",
        "only",
        "using",
        "annotate",
        "alias",
        "select_for_update",
        "none",
        "union",
        "intersection",
        "difference",
        "extra",
        "values",
        "values_list",
        "select_related",
        "prefetch_related",
        "iterator",
    }
)


def django_manager(root: cst.BaseExpression) -> str | None:
    """``Book`` for ``Book.objects`` (a capitalised class name, as Django models are)."""
    name = dotted_name(root)
    if name is None:
        return None
    head, _, attr = name.rpartition(".")
    if attr != "objects" or not head:
        return None
    model = head.rpartition(".")[2]
    return model if model[:1].isupper() else None


def django_queryset(node: cst.BaseExpression) -> tuple[str, list[str]] | None:
    """(model, methods) when ``node`` is ``<M>.objects`` followed only by queryset
    methods: a queryset whose rows are fetched when it is evaluated."""
    root, methods = call_chain(node)
    model = django_manager(root)
    if model is None or not all(m in QUERYSET_METHODS for m in methods):
        return None
    return model, methods


# Statements that change the schema, the session or the transaction: a loop over them runs
# different statements, each once; nothing is repeated per row.
_NOT_PER_ROW = re.compile(
    r"^[\s(]*(CREATE|DROP|ALTER|GRANT|REVOKE|TRUNCATE|COMMENT|SET|RESET|VACUUM|ANALYZE|"
    r"REINDEX|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|LOCK|USE)\b",
    re.IGNORECASE,
)
_DDL_CONSTRUCT = re.compile(r"^(Create|Drop|Alter|Add|Set)[A-Z]\w*$|^DDL$")
_TEXT = frozenset({"sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text"})


def runs_other_statements(rule: Rule, node: cst.Call, loop: cst.CSTNode) -> bool:
    """Whether ``<x>.execute(...)`` in ``loop`` runs a different statement each time (the
    SQL is the loop's variable, a statement on the loop's table, or DDL / session
    statements) or a batch of rows (SQLAlchemy's executemany form)."""
    sql = node.args[0].value
    bound = names_bound(loop)
    if isinstance(sql, cst.Name) and sql.value in bound:
        return True
    if _per_table_statement(rule, sql, bound) or _batched_parameters(rule, node, loop):
        return True
    if isinstance(sql, cst.Call):
        name = rule.qualified_name(sql) or ""
        short = (dotted_name(sql.func) or "").rpartition(".")[2]
        if (name in _TEXT or short == "text") and sql.args:  # also `from ... import text`
            sql = sql.args[0].value
        elif _DDL_CONSTRUCT.match(short):
            return True
    text = _leading_text(sql)
    return text is not None and bool(_NOT_PER_ROW.match(text))


# SQLAlchemy statement constructors that take a table: `insert(t)`, `t.insert()`, ….
_TABLE_STATEMENTS = frozenset({"select", "insert", "delete", "update"})
_SQLALCHEMY_MODULES = ("sqlalchemy", "sqlmodel")


def _per_table_statement(rule: Rule, sql: cst.BaseExpression, bound: set[str]) -> bool:
    """``t.select()``, ``t.delete()``, ``insert(t)``… where ``t`` is bound by the loop and
    no other name of the loop enters the statement: one statement per table (a dump or a
    restore), not one per row."""
    if not rule.imports.imports_module(*_SQLALCHEMY_MODULES):
        return False
    root, methods = call_chain(sql)
    table: cst.BaseExpression | None = None
    if isinstance(root, cst.Name) and methods and methods[0] in _TABLE_STATEMENTS:
        table = root
    elif (
        isinstance(root, cst.Call)
        and root.args
        and (rule.qualified_name(root) or "").rpartition(".")[2] in _TABLE_STATEMENTS
    ):
        table = root.args[0].value
    if not isinstance(table, cst.Name) or table.value not in bound:
        return False
    return not (names_read(sql) & bound) - {table.value}


def _batched_parameters(rule: Rule, node: cst.Call, loop: cst.CSTNode) -> bool:
    """Whether ``execute(stmt, params)`` passes a list of parameter sets, which SQLAlchemy
    runs as one executemany. DB-API drivers take one parameter set in ``execute``, so
    only SQLAlchemy code counts; a name counts unless it is the loop's own variable (one
    row per iteration) or is bound to a single mapping."""
    if (
        len(node.args) < 2
        or node.args[1].star
        or not rule.imports.imports_module(*_SQLALCHEMY_MODULES)
    ):
        return False
    params = node.args[1].value
    if not isinstance(params, cst.Name):
        return _is_parameter_list(rule, params)
    if isinstance(loop, cst.For) and _is_name(loop.target, params.value):
        return False  # `for row in rows: execute(stmt, row)`
    values = simple_assignments(rule.enclosing_scope(node), params.value)
    return not any(_is_single_mapping(rule, value) for value in values)


def _is_name(node: cst.BaseExpression, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name


def _is_parameter_list(rule: Rule, params: cst.BaseExpression) -> bool:
    if isinstance(params, (cst.List, cst.ListComp)):
        return True
    return isinstance(params, cst.Call) and rule.qualified_name(params) == "builtins.list"


def _is_single_mapping(rule: Rule, value: cst.BaseExpression) -> bool:
    if isinstance(value, (cst.Dict, cst.DictComp)):
        return True
    return isinstance(value, cst.Call) and rule.qualified_name(value) == "builtins.dict"


def _leading_text(sql: cst.BaseExpression) -> str | None:
    """The literal text at the start of ``sql`` (a string, an f-string, ``"…" % x``)."""
    if isinstance(sql, cst.BinaryOperation):
        sql = sql.left
    if isinstance(sql, cst.Call) and isinstance(sql.func, cst.Attribute):
        sql = sql.func.value  # "…".format(...)
    if isinstance(sql, cst.ConcatenatedString):
        sql = sql.left
    if isinstance(sql, cst.SimpleString):
        return sql.raw_value
    if isinstance(sql, cst.FormattedString):
        first = sql.parts[0] if sql.parts else None
        return first.value if isinstance(first, cst.FormattedStringText) else None
    return None
