from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import libcst as cst

from ecolint import Invalid, Rule, Valid, descendants, dotted_name, simple_assignments
from ecolint_rules.sql._db import call_chain, django_queryset
from ecolint_rules.sql._relations import MANY, Relations, module_relations

_EAGER_DJANGO = frozenset({"select_related", "prefetch_related", "values", "values_list"})
_EAGER_SQLALCHEMY = frozenset(
    {"options", "selectinload", "joinedload", "subqueryload", "contains_eager", "immediateload"}
)
_SELECTS = frozenset(
    {"sqlalchemy.select", "sqlalchemy.future.select", "sqlalchemy.sql.select", "sqlmodel.select"}
)
# Attributes of plain values (dates, strings, numbers, JSON): `row.created.year` is no query.
_VALUE_ATTRIBUTES = frozenset(
    {
        "year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo", "date",
        "time", "isoformat", "strftime", "timestamp", "weekday", "isoweekday", "days",
        "total_seconds", "lower", "upper", "strip", "lstrip", "rstrip", "split", "splitlines",
        "startswith", "endswith", "replace", "format", "encode", "decode", "title",
        "capitalize", "join", "keys", "items", "values", "get", "real", "imag", "quantize",
        "url", "path", "size", "width", "height", "hex", "bytes", "as_tuple",
    }
)  # fmt: skip
_NOT_RELATIONS = frozenset({"pk", "id", "objects", "_meta", "_state", "__class__", "__dict__"})


class OrmNPlusOne(Rule):
    """## What it does
    Flags a `for` loop over ORM rows that reads a relation of each row, when the query
    does not load that relation up front:
    - Django: the loop iterates `<Model>.objects…` (directly, or, in a module that
      imports Django, through a name assigned that queryset in the same scope) with no
      `select_related` / `prefetch_related` (nor `values` / `values_list`, which return
      no model instances), and the body reads `<row>.<fk>.<attr>` or
      `<row>.<name>_set…`.
    - SQLAlchemy: the loop iterates a `session.query(M)…` or a `select(M)` result with no
      loader option (`options(selectinload(…))`, `joinedload`, `subqueryload`,
      `contains_eager`), and the body reads `<row>.<rel>.<attr>` or loops over
      `<row>.<rel>`.
    When the model class is defined in the same module, only its relation fields
    (`ForeignKey`, `OneToOneField`, `ManyToManyField`, `relationship()`) count; otherwise
    attributes of plain values (`row.created.year`, `row.name.lower()`) are not flagged.

    ## Why is this wasteful?
    Each relation read on a row that was loaded without it is a query of its own: n rows
    cost n + 1 round trips, each parsed, planned and answered by the database, where one
    join (`select_related`, `joinedload`) or one extra `IN` query (`prefetch_related`,
    `selectinload`) would do.

    ## Example
    ```python
    for book in Book.objects.filter(published=True):
        print(book.title, book.author.name)
    ```

    Use instead:
    ```python
    for book in Book.objects.filter(published=True).select_related("author"):
        print(book.title, book.author.name)
    ```

    ## Evidence
    `bench/rules/eco404_orm_n_plus_one.py` on this 2-core machine (CPython 3.11, Django
    5.2; wall time, median of 7 paired runs; two runs, shared and loaded machine): n
    books, each reading `book.author.name`, without vs with `select_related("author")`.
    SQLite in memory: 182× / 17× at n=100, 25× / 20× at n=1,000, 19× / 15× at n=10⁴
    (run 1 / run 2; the 182× is the noisiest figure). PostgreSQL 15 (local server on
    127.0.0.1, psycopg 3): 78× / 36× at n=100, 69× / 44× at n=1,000, 36× / 35× at
    n=10⁴. The bad form runs n + 1 queries.

    Summary: SQLite 15–25× (17–182× at n=10²), PostgreSQL 35–78× at 10² / 10³ / 10⁴ rows
    (Django).

    ## References
    - Django docs, "Database access optimization" (`select_related`, `prefetch_related`)
    - SQLAlchemy docs, "Relationship Loading Techniques" (`selectinload`, `joinedload`)
    - greenlint GL012; creedengo CRJVM206 (N+1, Java)
    """

    code = "ECO404"
    name = "orm-n-plus-one"
    impact = "high"
    message = "`{access}` runs one query per row of `{source}`; load it up front with {remedy}"
    VALID = [
        Valid("for book in Book.objects.select_related('author'):\n    print(book.author.name)\n"),
        Valid(
            "books = Book.objects.filter(year=2020).prefetch_related('tags')\n"
            "for book in books:\n    print([t.name for t in book.tags.all()])\n"
        ),
        Valid("for book in Book.objects.all():\n    print(book.title, book.published.year)\n"),
        Valid(
            "for row in Book.objects.values('title', 'author__name'):\n    print(row.author.name)\n"
        ),
        Valid(
            "from django.db import models\n\nclass Book(models.Model):\n"
            "    title = models.CharField(max_length=100)\n    meta = models.JSONField()\n\n"
            "for book in Book.objects.all():\n    print(book.meta.color, book.title.initial)\n"
        ),
        Valid(
            "from sqlalchemy import select\nfrom sqlalchemy.orm import selectinload\n\n"
            "stmt = select(User).options(selectinload(User.addresses))\n"
            "for user in session.scalars(stmt):\n    for a in user.addresses:\n"
            "        print(a.email)\n"
        ),
        Valid("for book in books:\n    print(book.author.name)\n"),
    ]
    INVALID = [
        Invalid(
            "for book in Book.objects.filter(published=True):\n"
            "    print(book.title, book.author.name)\n",
            line=2,
        ),
        Invalid(
            "from django.http import JsonResponse\n\n"
            "def report(year):\n    books = Book.objects.filter(year=year).order_by('title')\n"
            "    for book in books:\n        yield book.title, book.review_set.count()\n",
            line=6,
        ),
        Invalid(
            "from django.db import models\n\nclass Book(models.Model):\n"
            "    tags = models.ManyToManyField('Tag')\n\n"
            "for book in Book.objects.all():\n    names = [t.name for t in book.tags.all()]\n",
            line=7,
        ),
        Invalid(
            "from sqlalchemy import select\nfrom sqlalchemy.orm import relationship\n\n"
            "class User(Base):\n    addresses = relationship('Address')\n\n"
            "def emails(session):\n    for user in session.scalars(select(User)):\n"
            "        for address in user.addresses:\n            yield address.email\n",
            line=9,
        ),
        Invalid(
            "import sqlalchemy\n\nfor order in session.query(Order).filter_by(open=True):\n"
            "    print(order.customer.email)\n",
            line=4,
        ),
    ]

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        self._relations_of: tuple[cst.Module, Relations] | None = None

    def visit_For(self, node: cst.For) -> None:
        if not isinstance(node.target, cst.Name):
            return
        source = self._rows_source(node)
        if source is None:
            return
        orm, model, text = source
        relations = self._relations().get(model) if model else None
        found = _relation_access(node, node.target.value, orm, relations)
        if found is None:
            return
        access, attribute, many = found
        if orm == "django":
            remedy = (
                f"`prefetch_related('{attribute}')`"
                if many
                else (f"`select_related('{attribute}')`")
            )
            if relations is None and not attribute.endswith("_set"):
                remedy = f"`select_related('{attribute}')` or `prefetch_related('{attribute}')`"
        else:
            remedy = f"`options(selectinload({model or 'Model'}.{attribute}))`"
        self.report(access, access=_dotted(access), source=text, remedy=remedy)

    def _relations(self) -> Relations:
        if self._relations_of is None or self._relations_of[0] is not self.module:
            self._relations_of = (self.module, module_relations(self))
        return self._relations_of[1]

    def _rows_source(self, loop: cst.For) -> tuple[str, str | None, str] | None:
        """("django" | "sqlalchemy", model name, how the source reads) or None."""
        iterable = loop.iter
        if isinstance(iterable, cst.Name):
            if not self.imports.imports_module("django", "sqlalchemy", "sqlmodel"):
                return None  # keeps the scope walk below off ordinary loops
            values = simple_assignments(self.enclosing_scope(loop), iterable.value)
            if len(values) != 1:
                return None
            iterable = values[0]
        queryset = django_queryset(iterable)
        if queryset is not None:
            model, methods = queryset
            if _EAGER_DJANGO.intersection(methods):
                return None
            return "django", model, f"{model}.objects…"
        if not self.imports.imports_module("sqlalchemy", "sqlmodel"):
            return None
        return self._sqlalchemy_source(loop, iterable)

    def _sqlalchemy_source(
        self, loop: cst.For, iterable: cst.BaseExpression
    ) -> tuple[str, str | None, str] | None:
        parts = [iterable, *descendants(iterable)]
        names = [p for p in parts if isinstance(p, cst.Name)]  # parts grows in the loop
        for name in names:
            values = simple_assignments(self.enclosing_scope(loop), name.value)
            if len(values) == 1 and isinstance(values[0], cst.Call):
                parts.extend([values[0], *descendants(values[0])])
        model: str | None = None
        query = False
        for part in parts:
            if not isinstance(part, cst.Call):
                continue
            func = part.func
            method = func.attr.value if isinstance(func, cst.Attribute) else None
            if method in _EAGER_SQLALCHEMY or self.qualified_name(part) in _EAGER_SQLALCHEMY:
                return None
            if method == "query" or self.qualified_name(part) in _SELECTS:
                query = True
                first = part.args[0].value if part.args else None
                if isinstance(first, cst.Name):
                    model = first.value
        if not query:
            return None
        root, _ = call_chain(iterable)
        return "sqlalchemy", model, f"{model}" if model else _dotted(root) or "the query"


def _relation_access(
    loop: cst.For, variable: str, orm: str, relations: dict[str, str] | None
) -> tuple[cst.Attribute, str, bool] | None:
    """The first ``<row>.<rel>.<x>`` (or ``for … in <row>.<rel>``) in the loop body:
    (that node, the relation's name, whether it is a many relation)."""
    for node in descendants(loop.body):
        if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            continue
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Attribute):
            inner = node.value
            if not (isinstance(inner.value, cst.Name) and inner.value.value == variable):
                continue
            attribute = inner.attr.value
            if _is_relation(attribute, node.attr.value, orm, relations):
                many = attribute.endswith("_set") or (relations or {}).get(attribute) == MANY
                return node, attribute, many
        elif (
            orm == "sqlalchemy"
            and isinstance(node, (cst.For, cst.CompFor))
            and isinstance(node.iter, cst.Attribute)
            and isinstance(node.iter.value, cst.Name)
            and node.iter.value.value == variable
            and _is_relation(node.iter.attr.value, "", orm, relations)
        ):
            return node.iter, node.iter.attr.value, True
    return None


def _is_relation(attribute: str, then: str, orm: str, relations: dict[str, str] | None) -> bool:
    if attribute in _NOT_RELATIONS or attribute.endswith("_id") or then in _VALUE_ATTRIBUTES:
        return False
    if orm == "django" and attribute.endswith("_set"):
        return True
    if relations is not None:  # the model is defined here: trust its fields
        return attribute in relations
    return not attribute.startswith("_")


def _dotted(node: cst.BaseExpression) -> str:
    return dotted_name(node) or "…"
