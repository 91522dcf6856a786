from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import libcst as cst

from ecolint import (
    Invalid,
    Rule,
    Valid,
    descendants,
    dotted_name,
    find_all,
    names_read,
    simple_assignments,
)
from ecolint.lint.analysis import COMPREHENSIONS, enclosing_loops
from ecolint.lint.bounds import is_plausibly_large, repeats_boundedly
from ecolint_rules._syntax import keyword_is
from ecolint_rules.sql._db import call_chain, django_manager
from ecolint_rules.sql._models import ModuleModels, module_models, says_one_by_one

_CREATE_METHODS = frozenset({"create", "update_or_create"})
# Receivers whose `save()` is not one model row: a form or formset saves its instances
# (or none, `commit=False`), a REST framework serializer validates and saves its own.
_NOT_ROWS = ("form", "formset", "serializer")
# Methods of tree models (treebeard, django-mptt) that return nodes of the same class.
_TREE_METHODS = frozenset(
    {
        "get_root_nodes",
        "get_children",
        "get_descendants",
        "get_ancestors",
        "get_siblings",
        "get_family",
        "get_leafnodes",
        "get_tree",
    }
)
_SAME_ROWS = frozenset(
    {"builtins.enumerate", "builtins.list", "builtins.sorted", "builtins.reversed"}
)
_UNKNOWN_MODEL = (
    "`{call}` writes one row per iteration; {remedy} would batch them, but they skip the "
    "model's `save()` and its pre/post_save signals, and the rule cannot see which model "
    "this is: check it first"
)
_FEW_ITERATIONS = " (worth it only if the loop runs many times)"
_MODEL_SAVE_KEYWORDS = frozenset({"force_insert", "force_update", "using", "update_fields"})


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
    collision) writes one row, and is not flagged either; nor is a loop over a few
    constants, nor `form.save()` / `formset.save()` / `serializer.save()` /
    `save(commit=False)`, which are not one model row each.

    `bulk_create` and `bulk_update` do not call the model's `save()` and send no
    `pre_save` / `post_save` signal, so nothing is reported where the rows must be saved
    one by one:
    - the model class, defined in the module (directly, through a base class of the
      module or an alias), is a tree model (django-mptt `MPTTModel`, treebeard
      `MP_Node` / `NS_Node` / `AL_Node`) or overrides `save()`;
    - the module connects a `pre_save` / `post_save` receiver for it
      (`@receiver(post_save, sender=M)`, `post_save.connect(f, sender=M)`);
    - a comment in or right above the loop says why (one by one, individually,
      signals, a `save()` override, a tree, MPTT, bulk…).

    The model is read from `Model.objects.create(...)`, `Model(...).save()`, a name
    assigned `Model(...)` or `Model.objects…` in the loop, or the loop's variable over
    `Model.objects…` (or over `cls.get_root_nodes()`-style tree methods of the class the
    code is in); a `save()` given a keyword that `Model.save` does not take
    (`save(user=…)`) tells a `save()` override, and is not reported. When the model
    cannot be told (`for obj in objs: obj.save()`), the finding is graded low and says
    that the bulk methods skip `save()` and the signals. It is also graded low when no
    loop around the write goes over stored data (database rows, a file, an API result):
    a loop over a parameter is most often over the few items of one request.

    ## Why is this wasteful?
    Each call is its own `INSERT` or `UPDATE` round trip (in Django's autocommit mode,
    its own transaction too): parse, plan, write, and a reply, n times. `bulk_create`,
    `bulk_update` and `add_all` with one flush send the rows in a few statements.

    ## Why opt-in
    Judged on 12 real applications (`bench/precision.md`): 0 of 9 shown findings (1 of 10 before
    grading) were worth a change: whether `bulk_create`/`bulk_update` pays depends on how many
    rows a loop writes, and on `save()` overrides and signals that may live in other modules (a
    `post_save` receiver in `signals/handlers.py`); the loops wrote the few rows of one object.

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
    `bench/rules/eco406_orm_write_in_loop.py` on a 2-core x86-64 VM (CPython 3.11, Django
    5.2; wall time, median of 7 paired runs; two runs, shared and loaded machine): n rows
    with `objects.create` in a loop vs one `bulk_create`, inside one
    `transaction.atomic()`. SQLite in memory: 3.9× / 3.6× at n=100, 4.7× / 4.2× at
    n=1,000, 4.4× / 4.2× at n=10⁴ (run 1 / run 2); SQLite on a temporary file: 3.9× /
    1.6×, 4.9× / 4.3×, 4.7× / 4.0×. PostgreSQL 15 (local server on 127.0.0.1, psycopg 3):
    20× / 8.5×, 44× / 11×, 31× / 10× (a round trip per row).

    Summary: SQLite 1.6–4.9×, PostgreSQL 8.5–44× at 10² / 10³ / 10⁴ rows (Django).

    ## References
    - Django docs, "Database access optimization": `bulk_create`, `bulk_update`
    - Django docs, QuerySet API reference: the caveats of `bulk_create` / `bulk_update`
      (no `save()`, no `pre_save` / `post_save`, no multi-table inheritance children)
    - SQLAlchemy docs, "Session Basics": flushing; greenlint GL012; creedengo GCI72
    """

    code = "ECO406"
    opt_in = True
    name = "orm-write-in-loop"
    impact = "high"
    message = "`{call}` writes one row per iteration; use {remedy}"
    VALID = [
        Valid(
            """
            from django.db import IntegrityError

            while True:
                obj.key = new_key()
                try:
                    obj.save(force_insert=True)
                except IntegrityError:
                    continue
                break
            """
        ),
        Valid("Item.objects.bulk_create(Item(name=n) for n in names)\n"),
        Valid("""
            from django.db import models

            for image in images:
                image.save(path)
            """),
        Valid("""
            for doc in docs:
                doc.save()
            """),
        Valid(
            """
            from sqlalchemy.orm import Session

            with Session(engine) as session:
                for row in rows:
                    session.add(Item(**row))
                session.commit()
            """
        ),
        Valid("item = Item.objects.create(name='x')\n"),
        Valid(
            """
            from django.db import models
            from mptt.models import MPTTModel

            class Category(MPTTModel):
                name = models.CharField(max_length=50)

            def import_categories(rows):
                for row in rows:
                    Category.objects.create(name=row["name"])
            """
        ),
        Valid(
            """
            from treebeard.mp_tree import MP_Node

            class Category(MP_Node):
                @classmethod
                def fix_tree(cls):
                    for node in cls.get_root_nodes():
                        node.public = True
                        node.save()
            """
        ),
        Valid(
            """
            from django.db import models

            class Device(models.Model):
                def save(self, *args, **kwargs):
                    self.name = self.name.strip()
                    super().save(*args, **kwargs)

            class Switch(Device):
                ports = models.IntegerField()

            def move(rack):
                for device in Switch.objects.filter(rack=rack):
                    device.site = rack.site
                    device.save()
            """
        ),
        Valid(
            """
            from django.db import models

            class ProductImage(models.Model):
                def save(self, *args, **kwargs):
                    self.thumbnail = make_thumbnail(self.original)
                    super().save(*args, **kwargs)

            def renumber(product):
                images = ProductImage.objects.filter(product=product)
                for index, image in enumerate(images):
                    image.display_order = index
                    image.save()
            """
        ),
        Valid(
            """
            from django.db.models.signals import post_save
            from django.dispatch import receiver

            from shop.models import Order

            @receiver(post_save, sender=Order)
            def log_change(sender, instance, **kwargs):
                ChangeLog.record(instance)

            def close_all():
                for order in Order.objects.filter(open=True):
                    order.open = False
                    order.save()
            """
        ),
        Valid(
            """
            from django.db.models import signals

            from shop.models import Stock

            signals.pre_save.connect(check_stock, sender=Stock)

            def restock(rows):
                for row in rows:
                    Stock.objects.create(sku=row.sku, count=row.count)
            """
        ),
        Valid(
            """
            from django.db import models

            def instantiate(instances, using):
                # MPTT models must be saved individually to maintain tree structure
                for instance in instances:
                    instance.save(using=using)
            """
        ),
        Valid(
            """
            from django.db import models

            def update_tags(names):
                for name in names:
                    Tag.objects.create(name=name)  # one by one: the audit log needs signals
            """
        ),
        Valid(
            """
            from django.db import models

            def save_all(formsets, form):
                for formset in formsets.values():
                    formset.save()
                for subform in form:
                    line = subform.save(commit=False)
            """
        ),
        Valid(
            """
            from django.db import models

            def copy_restrictions(page, copy, user):
                for restriction in page.view_restrictions.all():
                    PageViewRestriction(page=copy, kind=restriction.kind).save(user=user)
            """
        ),
        Valid(
            """
            from django.db import models

            def swap(first, second):
                for obj in (first, second):
                    obj.save()
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import csv

            def load(path):
                with open(path) as lines:
                    for row in csv.DictReader(lines):
                        Measurement.objects.create(sensor=row["sensor"], value=row["v"])
            """,
            line=6,
        ),
        Invalid(
            """
            def store(rows):
                for row in rows:
                    Measurement.objects.create(sensor=row.sensor, value=row.v)
            """,
            line=3,
            confidence="low",
        ),
        Invalid(
            """
            from django.db import transaction

            for user in users:
                user.last_seen = now
                user.save(update_fields=['last_seen'])
            """,
            line=5,
            confidence="low",
        ),
        Invalid(
            """
            from django.contrib.auth.models import User

            def deactivate(cutoff):
                for user in User.objects.filter(last_login__lt=cutoff):
                    user.is_active = False
                    user.save()
            """,
            line=6,
        ),
        Invalid(
            """
            from django.db import models

            class Tag(models.Model):
                name = models.CharField(max_length=50)

            def import_tags(path):
                for line in open(path):
                    tag = Tag(name=line.strip())
                    tag.save()
            """,
            line=9,
        ),
        Invalid(
            """
            from django.db import models

            DEFAULTS = ["red", "green"]

            def seed(extra):
                for name in DEFAULTS + extra.split():
                    Colour.objects.create(name=name)
            """,
            line=7,
            confidence="low",
        ),
        Invalid(
            """
            from sqlalchemy.orm import Session

            with Session(engine) as session:
                for row in rows:
                    session.add(Item(**row))
                    session.flush()
            """,
            line=5,
        ),
        Invalid(
            """
            def tag_all(names):
                return [Tag.objects.update_or_create(name=n)[0] for n in names]
            """,
            line=2,
            confidence="low",
        ),
    ]

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        self._models_of: tuple[cst.Module, ModuleModels] | None = None

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        if method == "save":
            if any(arg.keyword is None for arg in node.args) or _no_commit(node):
                return  # `image.save(path)`: a file, not a row; `commit=False` writes nothing
            if _custom_save(node):
                return  # `save(user=…)`: the model overrides `save()`
            if not self.imports.imports_module("django") or _not_a_row(func.value):
                return
            loop = self.enclosing_loop(node)
            if loop is None or _is_retry_loop(loop):
                return
            model = self._saved_model(func.value, loop)
            self._report_write(node, loop, model, ".save()", "`bulk_create` / `bulk_update`")
        elif method in _CREATE_METHODS:
            model = django_manager(func.value)
            loop = self.enclosing_loop(node)
            if model is None or loop is None:
                return
            remedy = (
                "`bulk_create`" if method == "create" else "`bulk_create(update_conflicts=True)`"
            )
            self._report_write(node, loop, model, f"objects.{method}()", remedy)
        elif method == "add" and len(node.args) == 1:
            loop = self.enclosing_loop(node)
            if loop is None or not self.imports.imports_module("sqlalchemy", "sqlmodel"):
                return
            session = dotted_name(func.value)
            if (
                session is not None
                and _flushes(loop, session)
                and not repeats_boundedly(self, node)
            ):
                self.report(node, call=f"{session}.add()", remedy="`add_all` and one flush")

    def _report_write(
        self, node: cst.Call, loop: cst.CSTNode, model: str | None, call: str, remedy: str
    ) -> None:
        """Report a Django write unless its rows must be saved one by one (the model's
        class, the module's signals or a comment by the loop say so) or the loops around
        it are bounded; graded low when the model or the number of rows is unknown."""
        if repeats_boundedly(self, node) or says_one_by_one(self._loop_statement(loop)):
            return
        if model is None:
            self.report(node, _UNKNOWN_MODEL.format(call=call, remedy=remedy), confidence="low")
            return
        if self._models().saved_one_by_one(model) is not None:
            return
        loops = enclosing_loops(node, self.ancestors(node))
        if any(self._over_stored_data(outer) for outer in loops):
            self.report(node, call=call, remedy=remedy)
        else:
            message = self.message.format(call=call, remedy=remedy) + _FEW_ITERATIONS
            self.report(node, message, confidence="low")

    def _over_stored_data(self, loop: cst.CSTNode) -> bool:
        """Whether ``loop`` goes over database rows, a file or an API result: the
        imports and batch jobs where writes add up. A loop over a parameter is most
        often over the few items of one request (the lines of a form, its channels)."""
        if isinstance(loop, COMPREHENSIONS):
            loop = loop.for_in
        return isinstance(loop, (cst.For, cst.CompFor)) and is_plausibly_large(
            self, loop.iter, loop
        )

    def _models(self) -> ModuleModels:
        if self._models_of is None or self._models_of[0] is not self.module:
            self._models_of = (self.module, module_models(self))
        return self._models_of[1]

    def _loop_statement(self, loop: cst.CSTNode) -> cst.CSTNode:
        """The statement that holds ``loop`` (itself for a ``for`` / ``while``), whose
        comment lines above it count as next to the loop."""
        if isinstance(loop, cst.BaseCompoundStatement):
            return loop
        for ancestor in self.ancestors(loop):
            if isinstance(ancestor, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
                return ancestor
        return loop

    def _saved_model(self, receiver: cst.BaseExpression, loop: cst.CSTNode) -> str | None:
        """The model class whose instance ``receiver.save()`` saves, when the code shows
        it: ``Model(...).save()``, a name assigned ``Model(...)`` or ``Model.objects…`` in
        the loop, or the loop's variable over ``Model.objects…`` or tree nodes."""
        if isinstance(receiver, cst.Call):
            return _instantiated(receiver)
        if not isinstance(receiver, cst.Name):
            return None
        for value in simple_assignments(loop, receiver.value):
            model = _instantiated(value) or _manager_model(value)
            if model is not None:
                return model
        rows = _rows_of(loop, receiver.value)
        return self._rows_model(rows, loop, 0) if rows is not None else None

    def _rows_model(self, rows: cst.BaseExpression, loop: cst.CSTNode, depth: int) -> str | None:
        """The model of the rows ``rows`` yields: ``Model.objects…`` (through names bound
        once in the scope, ``enumerate``/``list``/a slice), or ``cls.get_root_nodes()``
        / ``self.get_children()`` in a tree model's own methods."""
        if depth > 3:
            return None
        if isinstance(rows, cst.Subscript):
            return self._rows_model(rows.value, loop, depth + 1)
        if isinstance(rows, cst.Call) and self.qualified_name(rows) in _SAME_ROWS and rows.args:
            return self._rows_model(rows.args[0].value, loop, depth + 1)
        if isinstance(rows, cst.Name):
            values = simple_assignments(self.enclosing_scope(loop), rows.value)
            return self._rows_model(values[0], loop, depth + 1) if len(values) == 1 else None
        model = _manager_model(rows)
        if model is not None:
            return model
        root, methods = call_chain(rows)
        if dotted_name(root) in ("self", "cls") and _TREE_METHODS.intersection(methods):
            cls = self.enclosing_class(loop)
            return cls.name.value if cls is not None else None
        return None


def _no_commit(call: cst.Call) -> bool:
    return keyword_is(call, "commit", "False")


def _custom_save(call: cst.Call) -> bool:
    """Whether ``save()`` gets a keyword that ``Model.save`` does not take: the model
    overrides it, and a bulk method would skip that override."""
    return any(
        arg.keyword is not None and arg.keyword.value not in _MODEL_SAVE_KEYWORDS
        for arg in call.args
    )


def _not_a_row(receiver: cst.BaseExpression) -> bool:
    name = (dotted_name(receiver) or "").rpartition(".")[2].lower()
    return name.endswith(_NOT_ROWS)


def _instantiated(value: cst.BaseExpression) -> str | None:
    """``Model`` for ``Model(...)`` / ``models.Model(...)`` (a capitalised class name)."""
    if not isinstance(value, cst.Call):
        return None
    name = (dotted_name(value.func) or "").rpartition(".")[2]
    return name if name[:1].isupper() else None


def _manager_model(value: cst.BaseExpression) -> str | None:
    """``Model`` for any ``Model.objects.<method>(...)…`` chain (a row or rows of it)."""
    root, methods = call_chain(value)
    return django_manager(root) if methods else None


def _rows_of(loop: cst.CSTNode, name: str) -> cst.BaseExpression | None:
    """What ``loop`` iterates when ``name`` is its variable: ``xs`` for ``for name in
    xs`` and for ``for i, name in enumerate(xs)``."""
    if not isinstance(loop, cst.For):
        return None
    target, rows = loop.target, loop.iter
    if isinstance(target, cst.Name):
        return rows if target.value == name else None
    if (
        isinstance(target, cst.Tuple)
        and len(target.elements) == 2
        and isinstance(target.elements[1].value, cst.Name)
        and target.elements[1].value.value == name
        and isinstance(rows, cst.Call)
        and (dotted_name(rows.func) or "") == "enumerate"
        and rows.args
    ):
        return rows.args[0].value
    return None


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
