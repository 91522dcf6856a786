from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from ecolint import Invalid, Rule, Valid
from ecolint_rules.sql._db import django_queryset


class QuerysetMaterialisedForCount(Rule):
    """## What it does
    Flags a Django queryset expression (`<Model>.objects` followed only by queryset
    methods such as `all`, `filter`, `exclude`, `order_by`) that is evaluated only to be
    counted or truth-tested: `len(<qs>)`, `bool(<qs>)`, and `<qs>` as the test of an
    `if`, `while` or conditional expression (also under `not`, `and`, `or`).

    ## Why opt-in
    Judged on the real-application corpus (`bench/precision.md`): 0 of 1 shown finding
    was worth a change: `len()` of a `select_for_update()` queryset takes its row locks,
    which `.count()` would not, and the rows were the fields of one table. One finding is
    little evidence; the rule stays available until the corpus shows it pays. Enable it
    (`extend-select = ["ECO405"]`) to review views that count querysets.

    ## Why is this wasteful?
    `len()` and truth-testing evaluate the queryset: every row is fetched, sent and
    turned into a model instance, only to be counted or to learn that one exists.
    `.count()` runs `SELECT COUNT(*)` and `.exists()` runs a `LIMIT 1` query: the
    database answers with one number.

    ## Example
    ```python
    if Order.objects.filter(customer=c, paid=False):
        remind(c, len(Order.objects.filter(customer=c)))
    ```

    Use instead:
    ```python
    if Order.objects.filter(customer=c, paid=False).exists():
        remind(c, Order.objects.filter(customer=c).count())
    ```

    ## Fix safety
    Unsafe: the fix adds `.count()` / `.exists()`. For an expression built in place, as
    the rule requires, no other code can reuse the evaluated queryset's cache, so the
    result is the same; but if the rows are needed right after (through the same query
    written again), fetching them once and counting the list would be cheaper, which
    only the author can judge (Django docs, "Database access optimization").

    ## Evidence
    `bench/rules/eco405_queryset_materialised_for_count.py` on a 2-core x86-64 VM
    (CPython 3.11, Django 5.2 on SQLite in memory; wall time, median of 7 paired runs; two
    runs, shared and loaded machine): `len(Book.objects.all())` vs `.count()` over n rows:
    3.7× / 4.2× at n=100, 278× / 131× at n=10⁴, 3,095× / 1,237× at n=10⁵ (run 1 /
    run 2); `bool(Book.objects.filter(…))` vs `.exists()`: 3.2× / 3.6×, 249× / 87×,
    5,653× / 1,628×. The counted form's cost stays flat while the bad form grows with n.

    Summary: `len()` 3.7–4.2× / 131–278× / 1,237–3,095× and `bool()` 3.2–3.6× / 87–249×
    / 1,628–5,653× at 10² / 10⁴ / 10⁵ rows.

    ## References
    - Django docs, "Database access optimization": use `QuerySet.count()` and
      `QuerySet.exists()`
    """

    code = "ECO405"
    name = "queryset-materialised-for-count"
    fix = "unsafe"
    fix_title = "Count or test in the database (`.count()`, `.exists()`)"
    impact = "high"
    opt_in = True
    message = "`{call}` fetches every row of the queryset; use `{remedy}`"
    VALID = [
        Valid("n = Book.objects.filter(year=2020).count()\n"),
        Valid("""
            if Book.objects.filter(year=2020).exists():
                print('yes')
            """),
        Valid("""
            books = list(Book.objects.all())
            print(len(books))
            """),
        Valid("""
            if items:
                print(len(items))
            """),
        Valid("""
            if Book.objects.filter(year=2020).first():
                print('yes')
            """),
        Valid("n = len(self.objects.all())\n"),
    ]
    INVALID = [
        Invalid(
            "total = len(Book.objects.filter(year=2020))\n",
            line=1,
            fixed="total = Book.objects.filter(year=2020).count()\n",
            unsafe=True,
        ),
        Invalid(
            """
            if not Order.objects.filter(paid=False):
                close()
            """,
            line=1,
            fixed="""
            if not Order.objects.filter(paid=False).exists():
                close()
            """,
            unsafe=True,
        ),
        Invalid(
            "ok = bool(User.objects.filter(email=e))\n",
            line=1,
            fixed="ok = User.objects.filter(email=e).exists()\n",
            unsafe=True,
        ),
        Invalid(
            "label = 'busy' if ready and Job.objects.all() else 'idle'\n",
            line=1,
            fixed="label = 'busy' if ready and Job.objects.all().exists() else 'idle'\n",
            unsafe=True,
        ),
        Invalid(
            """
            while Task.objects.filter(done=False):
                run_one()
            """,
            line=1,
            fixed="""
            while Task.objects.filter(done=False).exists():
                run_one()
            """,
            unsafe=True,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if not isinstance(node.func, cst.Name) or node.func.value not in ("len", "bool"):
            return
        if len(node.args) != 1 or node.args[0].keyword or node.args[0].star:
            return
        builtin = self.qualified_name(node)
        if builtin not in ("builtins.len", "builtins.bool"):
            return
        argument = node.args[0].value
        if not _is_queryset(argument):
            return
        method = "count" if builtin == "builtins.len" else "exists"
        replacement = _call_method(argument, method).with_changes(lpar=node.lpar, rpar=node.rpar)
        self.report(
            node,
            replacement=replacement,
            unsafe=True,
            call=f"{builtin.partition('.')[2]}(…)",
            remedy=f".{method}()",
        )

    def visit_If(self, node: cst.If) -> None:
        self._check_test(node.test)

    def visit_While(self, node: cst.While) -> None:
        self._check_test(node.test)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._check_test(node.test)

    def _check_test(self, test: cst.BaseExpression) -> None:
        for tested in _truth_tested(test):
            if _is_queryset(tested):
                self.report(
                    tested,
                    replacement=_call_method(tested, "exists"),
                    unsafe=True,
                    call="if <queryset>",
                    remedy=".exists()",
                )


def _is_queryset(node: cst.BaseExpression) -> bool:
    found = django_queryset(node)
    # `Book.objects` alone is a manager, always true and never fetched.
    return found is not None and bool(found[1]) and "iterator" not in found[1]


def _truth_tested(test: cst.BaseExpression) -> Iterator[cst.BaseExpression]:
    """The expressions whose truth value decides ``test``."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        yield from _truth_tested(test.expression)
    elif isinstance(test, cst.BooleanOperation):
        yield from _truth_tested(test.left)
        yield from _truth_tested(test.right)
    else:
        yield test


def _call_method(receiver: cst.BaseExpression, method: str) -> cst.Call:
    """``receiver.method()``, keeping the receiver's own parentheses around it."""
    return cst.Call(func=cst.Attribute(value=receiver, attr=cst.Name(method)))
