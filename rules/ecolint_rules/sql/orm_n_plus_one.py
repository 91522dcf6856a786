from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import libcst as cst

from ecolint import (
    SCOPE_BOUNDARIES,
    Invalid,
    Rule,
    Valid,
    descendants,
    dotted_name,
    names_bound,
    names_read,
    simple_assignments,
)
from ecolint.lint.analysis import enclosing_loops
from ecolint.lint.bounds import data_dependent_loop, repeats_boundedly
from ecolint_rules.sql._db import call_chain, django_manager, django_queryset
from ecolint_rules.sql._relations import MANY, Relations, module_relations

_QUERY_PER_ROW = (
    "`{access}()` runs one query per row of `{source}`, and a prefetch would not serve it "
    "(it builds a new query); fetch the related rows of all of them in one query (filter "
    "the related model on `__in`, or `Prefetch('{rel}', queryset=…)`)"
)
_LOOKUP_PER_ROW = (
    "`{call}` in a loop runs one query per row; fetch the rows in one query with `__in` "
    "(or `{model}.objects.in_bulk(…)`) and look them up in a dict"
)
_FEW_ITERATIONS = " (worth it only if the loop runs many times)"

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
# Calls on `<row>.<rel>` that change the relation or a plain list (`.groups.add(g)`, a
# JSON list field's `.remove(x)`): writes, not the reads a prefetch would serve.
_WRITES = frozenset(
    {
        "add", "remove", "set", "clear", "create", "get_or_create", "update_or_create",
        "bulk_create", "update", "delete", "append", "extend", "insert", "pop", "discard",
        "sort", "reverse", "setdefault",
    }
)  # fmt: skip
# Related-manager calls that a `prefetch_related` cache serves (`count` and `exists` read
# its length), and those that build a new query and ignore it (Django, "prefetch_related":
# "chained methods which imply a different database query will ignore cached results").
_SERVED_BY_PREFETCH = frozenset({"all"})
_COUNTS = frozenset({"count", "exists"})
_NEW_QUERIES = frozenset(
    {
        "filter", "exclude", "values_list", "order_by", "first", "last", "latest",
        "earliest", "aggregate", "annotate", "distinct", "in_bulk", "iterator", "only",
        "defer", "select_related", "prefetch_related", "using",
    }
)  # fmt: skip
# What a relation access needs: a join, a prefetch, a count in the query, or a query of
# its own that no loading option serves.
SINGLE_ACCESS, MANY_ACCESS, COUNT_ACCESS, QUERY_ACCESS = "single", "many", "count", "query"
# Methods that end a per-row lookup on a manager: `M.objects.get(...)`,
# `M.objects.filter(...).first()` / `.exists()`.
_LOOKUP_ENDS = frozenset({"get", "first", "last", "exists"})
_LOOKUP_STEPS = frozenset(
    {"filter", "exclude", "select_related", "only", "defer", "using", "order_by", "values",
     "values_list", "annotate"}
)  # fmt: skip


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
    attributes of plain values (`row.created.year`, `row.name.lower()`) and of classes
    (`row.specific_class.DoesNotExist`) are not flagged.

    The advice follows what the access needs. A related-manager call marks a to-many
    relation (a many-to-many or a reverse foreign key), on which `select_related`
    raises `FieldError`: `.all()` and iterating are served by `prefetch_related`;
    `.count()` / `.exists()` are better counted in the query (`annotate(Count(…))`);
    `.filter()`, `.exclude()`, `.values_list()`, `.order_by()`, `.first()`… build a new
    query that ignores any prefetch, so the advice is one query for the related rows
    of all rows (`__in`, or a `Prefetch` with its own queryset). Any other attribute
    read through the relation (`book.author.name`) marks a foreign key or one-to-one:
    `select_related`. Writes are not N+1 reads and are never flagged:
    many-to-many `add` / `remove` / `set` / `clear` / `create`, and `append` / `extend`
    / `remove` on a plain list (a property, a JSON list field).

    Also flagged: a per-row lookup on a manager inside a loop, `Model.objects.get(...)`,
    `Model.objects.filter(...).first()` / `.last()` / `.exists()`, whose arguments read a
    name the loop binds (`Customer.objects.get(pk=row.customer_id)`): one query per
    row where one `__in` query and a dict lookup would do (not when it reads back the
    loop's own row, `Check.objects.filter(id=check.id).exists()`). Graded low when no
    loop around it goes over data of any size (database rows, a parameter); not
    reported when every loop around it is bounded (`for code in ("fr", "de")`).

    ## Why is this wasteful?
    Each relation read on a row that was loaded without it is a query of its own: n rows
    cost n + 1 round trips, each parsed, planned and answered by the database, where one
    join (`select_related`, `joinedload`) or one extra `IN` query (`prefetch_related`,
    `selectinload`) would do.

    ## Why opt-in
    Judged on 12 real applications (`bench/precision.md`): 4 of 23 shown findings were worth a
    change. A per-row query costs in proportion to the rows the loop sees, which ecolint cannot
    know, and most loops went over a handful of rows (filter values, the children of one
    object). Enable it (`extend-select = ["ECO404"]`) to review the loops of list views and
    jobs.

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

    Per-row lookup:
    ```python
    for row in rows:
        row.customer = Customer.objects.get(pk=row.customer_id)
    ```

    Use instead:
    ```python
    customers = Customer.objects.in_bulk({row.customer_id for row in rows})
    for row in rows:
        row.customer = customers[row.customer_id]
    ```

    ## Evidence
    `bench/rules/eco404_orm_n_plus_one.py` on a 2-core x86-64 VM (CPython 3.11, Django
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
    - Django docs, QuerySet API reference, `prefetch_related`: chained methods that imply
      a different database query ignore the prefetched results; `in_bulk`
    - SQLAlchemy docs, "Relationship Loading Techniques" (`selectinload`, `joinedload`)
    - greenlint GL012; creedengo CRJVM206 (N+1, Java)
    """

    code = "ECO404"
    opt_in = True
    name = "orm-n-plus-one"
    impact = "high"
    message = "`{access}` runs one query per row of `{source}`; load it up front with {remedy}"
    VALID = [
        Valid("""
            for book in Book.objects.select_related('author'):
                print(book.author.name)
            """),
        Valid(
            """
            books = Book.objects.filter(year=2020).prefetch_related('tags')
            for book in books:
                print([t.name for t in book.tags.all()])
            """
        ),
        Valid("""
            for book in Book.objects.all():
                print(book.title, book.published.year)
            """),
        Valid(
            """
            for row in Book.objects.values('title', 'author__name'):
                print(row.author.name)
            """
        ),
        Valid(
            """
            from django.db import models

            class Book(models.Model):
                title = models.CharField(max_length=100)
                meta = models.JSONField()

            for book in Book.objects.all():
                print(book.meta.color, book.title.initial)
            """
        ),
        Valid(
            """
            from sqlalchemy import select
            from sqlalchemy.orm import selectinload

            stmt = select(User).options(selectinload(User.addresses))
            for user in session.scalars(stmt):
                for a in user.addresses:
                    print(a.email)
            """
        ),
        Valid("""
            for book in books:
                print(book.author.name)
            """),
        Valid(
            """
            from django.contrib.auth.models import User

            def promote(staff, perm):
                for user in User.objects.filter(is_staff=True):
                    user.groups.add(staff)
                    user.user_permissions.remove(perm)
            """
        ),
        Valid(
            """
            def forget_field(field_id):
                for view in SavedView.objects.filter(display_fields__isnull=False):
                    if field_id in view.display_fields:
                        view.display_fields.remove(field_id)
                        view.save()
            """
        ),
        Valid(
            """
            def fix_pages():
                for page in Page.objects.all():
                    try:
                        page.specific
                    except page.specific_class.DoesNotExist:
                        page.delete()
            """
        ),
        Valid(
            """
            from sqlalchemy.orm import relationship

            def tag(session, signal_ids, entity):
                for signal in session.query(Signal).filter(Signal.id.in_(signal_ids)):
                    signal.entities.append(entity)
            """
        ),
        Valid(
            """
            def wait_for(job_id):
                for attempt in range(3):
                    job = Job.objects.get(pk=job_id)
            """
        ),
        Valid(
            """
            def countries():
                return [Country.objects.get(code=code) for code in ("fr", "de", "it")]
            """
        ),
        Valid(
            """
            def prune():
                for check in Check.objects.filter(n_pings__gt=100):
                    if not Check.objects.filter(id=check.id).exists():
                        continue
            """
        ),
        Valid(
            """
            def tags(names):
                return [Tag.objects.get_or_create(name=name)[0] for name in names]
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            for book in Book.objects.filter(published=True):
                print(book.title, book.author.name)
            """,
            line=2,
        ),
        Invalid(
            """
            from django.http import JsonResponse

            def report(year):
                books = Book.objects.filter(year=year).order_by('title')
                for book in books:
                    yield book.title, book.review_set.count()
            """,
            line=6,
        ),
        Invalid(
            """
            from django.db import models

            class Book(models.Model):
                tags = models.ManyToManyField('Tag')

            for book in Book.objects.all():
                names = [t.name for t in book.tags.all()]
            """,
            line=7,
        ),
        Invalid(
            """
            from sqlalchemy import select
            from sqlalchemy.orm import relationship

            class User(Base):
                addresses = relationship('Address')

            def emails(session):
                for user in session.scalars(select(User)):
                    for address in user.addresses:
                        yield address.email
            """,
            line=9,
        ),
        Invalid(
            """
            import sqlalchemy

            for order in session.query(Order).filter_by(open=True):
                print(order.customer.email)
            """,
            line=4,
        ),
        Invalid(
            """
            def interface_ids(names):
                ids = []
                for vm in VirtualMachine.objects.filter(name__in=names):
                    ids.extend(vm.interfaces.values_list("id", flat=True))
                return ids
            """,
            line=4,
        ),
        Invalid(
            """
            def link(rows):
                for row in rows:
                    row.customer = Customer.objects.get(pk=row.customer_id)
            """,
            line=3,
        ),
        Invalid(
            """
            def apply(document, fields):
                for field in CustomField.objects.filter(pk__in=fields):
                    instance = CustomFieldInstance.objects.filter(
                        field=field, document=document
                    ).first()
            """,
            line=3,
        ),
        Invalid(
            """
            def known(emails):
                return [e for e in emails.split() if User.objects.filter(email=e).exists()]
            """,
            line=2,
        ),
        Invalid(
            """
            def invited():
                emails = pending_invitations()
                return [e for e in emails if User.objects.filter(email=e).exists()]
            """,
            line=3,
            confidence="low",
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
        access, attribute, kind = found
        name = _dotted(access)
        if orm != "django":
            remedy = f"`options(selectinload({model or 'Model'}.{attribute}))`"
        elif kind == COUNT_ACCESS:
            remedy = f"`annotate(Count('{attribute}'))` (or `prefetch_related('{attribute}')`)"
        elif kind == QUERY_ACCESS:
            self.report(access, _QUERY_PER_ROW.format(access=name, source=text, rel=attribute))
            return
        else:
            loader = "prefetch_related" if kind == MANY_ACCESS else "select_related"
            remedy = f"`{loader}('{attribute}')`"
        self.report(access, access=name, source=text, remedy=remedy)

    def visit_Call(self, node: cst.Call) -> None:
        """A per-row lookup, ``M.objects.get(pk=row.x)`` in a loop over rows: the N+1 of
        a loop that fetches what one ``__in`` query would."""
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in _LOOKUP_ENDS:
            return
        root, methods = call_chain(node)
        model = django_manager(root)
        if model is None or not _is_lookup(methods):
            return
        loops = enclosing_loops(node, self.ancestors(node))
        if not loops or not _reads_loop_names(node, loops) or repeats_boundedly(self, node):
            return
        if _refreshes_row(node, model, loops[0]):
            return
        call = f"{model}.objects.{'.'.join(f'{m}()' for m in methods)}"
        message = _LOOKUP_PER_ROW.format(call=call, model=model)
        if any(data_dependent_loop(self, loop) for loop in loops):
            self.report(node, message)
        else:
            self.report(node, message + _FEW_ITERATIONS, confidence="low")

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
) -> tuple[cst.Attribute, str, str] | None:
    """The first ``<row>.<rel>.<x>`` (or ``for … in <row>.<rel>``) in the loop body that
    reads the relation: (that node, the relation's name, what the access needs:
    ``SINGLE_ACCESS``, ``MANY_ACCESS``, ``COUNT_ACCESS`` or ``QUERY_ACCESS``). Writes
    (``.add()``, ``.remove()``, ``.append()``…) are no reads and are skipped."""
    called = {
        id(node.func)
        for node in descendants(loop.body)
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)
    }
    for node in descendants(loop.body):
        if isinstance(node, SCOPE_BOUNDARIES):
            continue
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Attribute):
            inner = node.value
            if not (isinstance(inner.value, cst.Name) and inner.value.value == variable):
                continue
            attribute, then = inner.attr.value, node.attr.value
            if then in _WRITES or not _is_relation(attribute, then, orm, relations):
                continue
            kind = _access_kind(attribute, then if id(node) in called else None, relations)
            if kind is not None:
                return node, attribute, kind
        elif (
            orm == "sqlalchemy"
            and isinstance(node, (cst.For, cst.CompFor))
            and isinstance(node.iter, cst.Attribute)
            and isinstance(node.iter.value, cst.Name)
            and node.iter.value.value == variable
            and _is_relation(node.iter.attr.value, "", orm, relations)
        ):
            return node.iter, node.iter.attr.value, MANY_ACCESS
    return None


def _access_kind(attribute: str, method: str | None, relations: dict[str, str] | None) -> str:
    """What ``<row>.<attribute>.<x>`` needs, ``method`` being ``x`` when it is called.
    A related-manager call tells a to-many relation whatever the model; any other
    attribute read through the relation (``book.author.name``) tells a foreign key or
    one-to-one, since a to-many manager has no such attribute."""
    if method in _SERVED_BY_PREFETCH:
        return MANY_ACCESS
    if method in _COUNTS:
        return COUNT_ACCESS
    if method in _NEW_QUERIES:
        return QUERY_ACCESS
    known = (relations or {}).get(attribute)
    if attribute.endswith("_set") or known == MANY:
        return MANY_ACCESS
    return SINGLE_ACCESS


def _is_lookup(methods: list[str]) -> bool:
    """``get(...)``, or ``filter(...)…`` ending in ``first()``/``last()``/``exists()``/
    ``get()``: one row (or a yes/no) fetched by a lookup of its own."""
    if not methods or methods[-1] not in _LOOKUP_ENDS:
        return False
    steps = methods[:-1]
    if methods[-1] != "get" and not steps:
        return False  # `M.objects.first()`: no lookup, the same row every time
    return all(step in _LOOKUP_STEPS for step in steps)


def _refreshes_row(node: cst.Call, model: str, loop: cst.CSTNode) -> bool:
    """``for check in Check.objects…: Check.objects.filter(id=check.id).exists()``: the
    lookup reads back the loop's own row (whether it still exists, its current state),
    which no query before the loop can answer."""
    if not (isinstance(loop, cst.For) and isinstance(loop.target, cst.Name)):
        return False
    rows = django_queryset(loop.iter)
    if rows is None or rows[0] != model:
        return False
    own = (loop.target.value, f"{loop.target.value}.pk", f"{loop.target.value}.id")
    call: cst.BaseExpression = node
    while isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute):
        if any(dotted_name(arg.value) in own for arg in call.args):
            return True
        call = call.func.value
    return False


def _reads_loop_names(node: cst.Call, loops: list[cst.CSTNode]) -> bool:
    """Whether the lookup's arguments read a name the loops bind: a per-row lookup."""
    read: set[str] = set()
    call: cst.BaseExpression = node
    while isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute):
        for arg in call.args:
            read |= names_read(arg.value)
        call = call.func.value
    return any(read & names_bound(loop) for loop in loops)


def _is_relation(attribute: str, then: str, orm: str, relations: dict[str, str] | None) -> bool:
    if attribute in _NOT_RELATIONS or attribute.endswith("_id") or then in _VALUE_ATTRIBUTES:
        return False
    if then[:1].isupper():
        return False  # `row.specific_class.DoesNotExist`: a class attribute
    if orm == "django" and attribute.endswith("_set"):
        return True
    if relations is not None:  # the model is defined here: trust its fields
        return attribute in relations
    return not attribute.startswith("_")


def _dotted(node: cst.BaseExpression) -> str:
    return dotted_name(node) or "…"
