"""Names shared by the ECO4xx rules: database drivers, Django querysets, SQLAlchemy queries."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import libcst as cst

from ecolint import dotted_name, names_bound

if TYPE_CHECKING:
    from ecolint import Rule

# DB-API drivers (and asyncpg, which has the same per-call round trip) named by RULES.md.
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
    SQL is the loop's variable, or DDL / session statements) or a batch of rows."""
    sql = node.args[0].value
    if isinstance(sql, cst.Name) and sql.value in names_bound(loop):
        return True
    if len(node.args) > 1 and isinstance(node.args[1].value, (cst.List, cst.ListComp)):
        return True  # a list of parameter sets: one batched statement
    if isinstance(sql, cst.Call):
        name = rule.qualified_name(sql) or ""
        short = (dotted_name(sql.func) or "").rpartition(".")[2]
        if (name in _TEXT or short == "text") and sql.args:  # also `from ... import text`
            sql = sql.args[0].value
        elif _DDL_CONSTRUCT.match(short):
            return True
    text = _leading_text(sql)
    return text is not None and bool(_NOT_PER_ROW.match(text))


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
