from __future__ import annotations

from typing import Any, Literal

import libcst as cst

from ecolint import Invalid, Rule, Valid, simple_assignments
from ecolint.lint.bounds import finding_confidence, if_large

Severity = Literal["warning", "info"]

_LIST, _TUPLE, _SET = "builtins.list", "builtins.tuple", "builtins.set"
_SORTED, _REVERSED = "builtins.sorted", "builtins.reversed"
_LIST_TYPES = frozenset({"builtins.list", "typing.List"})


class RedundantCollectionCopy(Rule):
    """## What it does
    Flags a collection copied only to be copied or sorted again:
    - `list(sorted(x))` (`sorted` already returns a new list) → `sorted(x)`;
    - `list(list(x))`, `tuple(tuple(x))` → `list(x)`, `tuple(x)`;
    - `set(sorted(x))` (the order is thrown away) → `set(x)`;
    - `sorted(list(x))` (`sorted` copies its input anyway) → `sorted(x)`;
    - `list([... for ...])` → the comprehension itself;
    - `list(reversed(sorted(x)))` / `tuple(...)` → `sorted(x, reverse=True)` (a
      `reversed(sorted(x))` iterated lazily copies nothing and is not reported);
    - `x = x[::-1]` on a name bound to a list in the same scope → `x.reverse()`.

    Nothing is reported on a bounded collection (a display or a name bound to one, the
    fields of a class). The saving is a constant factor, so a finding is graded high only
    on a database, file or API result or inside another loop; otherwise it is low.

    ## Why opt-in
    Judged on the real-application corpus (`bench/precision.md`): 0 of 6 shown findings
    were worth a change. The copies were of a handful of items (the checkpoints of a
    folder, the keys of a small config) in code that runs once per run; the second copy
    costs as much as the first only on large collections, which the rule cannot see.
    Enable it (`extend-select = ["ECO705"]`) to review hot paths over large collections.

    ## Why is this wasteful?
    Each redundant call allocates a second collection of n references, copies them, and
    frees the first: O(n) extra work and memory that the result never needed.

    ## Example
    ```python
    names = list(sorted(users))
    unique = set(sorted(tags))
    ranking = list(reversed(sorted(scores)))
    ```

    Use instead:
    ```python
    names = sorted(users)
    unique = set(tags)
    ranking = sorted(scores, reverse=True)
    ```

    ## Fix safety
    Dropping the inner or outer call is safe: the result has the same type and items
    (`set(sorted(x))` no longer calls a `key=` function, whose result a set ignores).
    Two fixes are unsafe: `reversed(sorted(x))` returns an iterator over a stable sort
    read backwards, while `sorted(x, reverse=True)` returns a list in which equal items
    keep their original order; and `x.reverse()` reverses the list in place, which every
    other reference to the same list sees, where `x = x[::-1]` left them untouched.

    The forms whose saving the benchmark could not tell from noise (a sort dominates
    them, or a comprehension does) are reported at the `info` severity:
    `list(sorted(x))`, `sorted(list(x))`, `list(reversed(sorted(x)))` and `list([...])`.

    ## Evidence
    `bench/rules/eco705_redundant_collection_copy.py` on a 2-core x86-64 VM (CPython
    3.11, shared with other jobs and noisy; median of 7 paired runs; bad/good time at
    n=100 / 10⁴ / 10⁶ shuffled ints): `set(sorted(x))` 2.7 / 6.7 / 2.4x;
    `list(list(x))` 2.0 / 1.9 / 2.1x; `x = x[::-1]` against `x.reverse()` 1.3 / 1.8 /
    2.0x; `list([v for v in x])` 1.0 / 1.2 / 1.3x; within noise: `list(sorted(x))`
    0.96 / 0.95 / 1.09x, `sorted(list(x))` 0.92 / 1.07 / 1.07x, `list(reversed(sorted(
    x)))` 0.91 / 0.85 / 1.04x and a `for` over `reversed(sorted(x))` 1.05 / 0.77 /
    1.04x (the n log n sort hides the O(n) copy).

    Summary: `set(sorted(x))` 2.4-6.7x, `list(list(x))` 1.9-2.1x, `x = x[::-1]` 1.3-2.0x
    at n=10² to 10⁶; the forms hidden behind a sort are within noise and reported as
    info (2 cores, CPython 3.11).

    ## References
    - flake8-comprehensions C411, C413, C414, C415 (ruff); refurb FURB187
    """

    code = "ECO705"
    name = "redundant-collection-copy"
    impact = "medium"
    opt_in = True
    message = "{form} copies the collection twice; {alternative}"
    fix = "sometimes"
    fix_title = "Drop the redundant copy"
    VALID = [
        Valid("""
            names = sorted(users)
            unique = set(tags)
            """),
        Valid("""
            for s in sorted(scores, reverse=True):
                print(s)
            """),
        Valid("""
            text = 'abc'
            text = text[::-1]
            """),
        Valid("""
            def f(items):
                items = items[::-1]
                return items
            """),
        Valid("""
            rows = list(reversed(rows))
            keys = tuple(sorted(d))
            """),
        Valid("""
            for s in reversed(sorted(scores)):
                print(s)
            """),
        Valid("""
            def list(x):
                return x

            y = list(list(z))
            """),
        Valid("copy = list([1, 2, 3])\n"),
        Valid(
            """
            COLUMNS = ("id", "name", "email")
            header = list(sorted(COLUMNS))
            """
        ),
        Valid(
            """
            def order(first, second):
                steps = [first, second]
                steps = steps[::-1]
                return steps
            """
        ),
    ]
    INVALID = [
        Invalid(
            "names = list(sorted(users, key=str.lower))\n",
            line=1,
            confidence="low",
            fixed="names = sorted(users, key=str.lower)\n",
        ),
        Invalid(
            """
            a = list(list(x))
            b = tuple(tuple(y))
            c = sorted(list(z), reverse=True)
            """,
            line=1,
            confidence="low",
            count=3,
            fixed="""
            a = list(x)
            b = tuple(y)
            c = sorted(z, reverse=True)
            """,
        ),
        Invalid(
            "tags = set(sorted(raw, key=len))\n",
            line=1,
            fixed="tags = set(raw)\n",
            confidence="low",
        ),
        Invalid(
            "squares = list([n * n for n in numbers])\n",
            line=1,
            confidence="low",
            fixed="squares = [n * n for n in numbers]\n",
        ),
        Invalid(
            "ranking = list(reversed(sorted(scores)))\n",
            line=1,
            confidence="low",
            fixed="ranking = sorted(scores, reverse=True)\n",
            unsafe=True,
        ),
        Invalid(
            """
            top = tuple(reversed(sorted(xs, reverse=True)))
            odd = list(reversed(sorted(ys, reverse=flag)))
            """,
            line=1,
            confidence="low",
            count=2,
            fixed="""
            top = tuple(sorted(xs))
            odd = list(reversed(sorted(ys, reverse=flag)))
            """,
            unsafe=True,
        ),
        Invalid(
            """
            def newest(events):
                order = [e.time for e in events]
                order = order[::-1]
                return order
            """,
            line=3,
            confidence="low",
            fixed="""
            def newest(events):
                order = [e.time for e in events]
                order.reverse()
                return order
            """,
            unsafe=True,
        ),
        Invalid(
            """
            def f(items: list[int]):
                items = items[::-1]
            """,
            line=2,
            confidence="low",
            fixed="""
            def f(items: list[int]):
                items.reverse()
            """,
            unsafe=True,
        ),
        Invalid(
            """
            def titles(Book):
                return set(sorted(Book.objects.values_list("title", flat=True)))
            """,
            line=2,
            fixed="""
            def titles(Book):
                return set(Book.objects.values_list("title", flat=True))
            """,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        inner = _single_argument(node)
        if inner is None:
            return
        outer = self.qualified_name(node)
        if outer not in (_LIST, _TUPLE, _SET, _SORTED, _REVERSED):
            return
        if isinstance(inner, cst.ListComp) and outer == _LIST:
            self._drop_outer(
                node, inner, "`list([...])`", "use the comprehension itself", severity="info"
            )
            return
        if not isinstance(inner, cst.Call):
            return
        inner_name = self.qualified_name(inner)
        if outer == _LIST and inner_name in (_SORTED, _LIST):
            form = "`list(sorted(...))`" if inner_name == _SORTED else "`list(list(...))`"
            # `list(sorted(x))`: the sort dominates, the saving is within noise.
            severity: Severity = "info" if inner_name == _SORTED else "warning"
            self._drop_outer(node, inner, form, "drop the outer `list()`", severity=severity)
        elif outer == _TUPLE and inner_name == _TUPLE:
            self._drop_outer(node, inner, "`tuple(tuple(...))`", "drop the outer `tuple()`")
        elif outer == _SET and inner_name == _SORTED:
            self._set_of_sorted(node, inner)
        elif outer == _SORTED and inner_name == _LIST:
            self._sorted_of_list(node, inner)
        elif outer == _REVERSED and inner_name == _SORTED and self._materialised(node):
            self._reversed_sorted(node, inner)

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1 or not isinstance(node.targets[0].target, cst.Name):
            return
        name = node.targets[0].target.value
        if not _is_self_reversal(node.value, name) or not self._is_list(node, name):
            return
        reverse = cst.Expr(
            cst.Call(func=cst.Attribute(value=cst.Name(name), attr=cst.Name("reverse")))
        )
        self._report(
            node,
            replacement=reverse,
            unsafe=True,
            form=f"`{name} = {name}[::-1]`",
            alternative=f"reverse in place: `{name}.reverse()`",
        )

    def _report(self, node: cst.Call | cst.Assign, **args: Any) -> None:
        """``report``, graded by the size of the collection copied: nothing when it is
        bounded (a few items: nothing to save), ``low`` with a clause saying the saving
        needs a large input when its size cannot be known."""
        source: cst.BaseExpression | None
        if isinstance(node, cst.Call):
            inner = _single_argument(node)
            source = _single_argument(inner) if isinstance(inner, cst.Call) else inner
        else:  # x = x[::-1]
            source = node.targets[0].target
        confidence = finding_confidence(self, source, node) if source is not None else "low"
        if confidence is None:
            return
        if confidence == "low":
            args["alternative"] += if_large(self, source or node)
        self.report(node, confidence=confidence, **args)

    def _drop_outer(
        self,
        node: cst.Call,
        inner: cst.BaseExpression,
        form: str,
        alternative: str,
        severity: Severity = "warning",
    ) -> None:
        replacement = inner.with_changes(lpar=node.lpar, rpar=node.rpar)
        self._report(
            node, replacement=replacement, form=form, alternative=alternative, severity=severity
        )

    def _set_of_sorted(self, node: cst.Call, inner: cst.Call) -> None:
        positional = [a for a in inner.args if a.keyword is None]
        keywords = {a.keyword.value for a in inner.args if a.keyword is not None}
        replacement = None
        if len(positional) == 1 and not positional[0].star and keywords <= {"key", "reverse"}:
            replacement = node.with_changes(
                args=[positional[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
            )
        self._report(
            node,
            replacement=replacement,
            form="`set(sorted(...))`",
            alternative="a set has no order: `set(x)`",
        )

    def _sorted_of_list(self, node: cst.Call, inner: cst.Call) -> None:
        source = node.args[0].with_changes(value=_single_argument(inner))
        replacement = node.with_changes(args=[source, *node.args[1:]])
        self._report(
            node,
            replacement=replacement,
            form="`sorted(list(...))`",
            alternative="`sorted()` copies its input anyway",
            severity="info",  # the sort dominates: the saving is within noise
        )

    def _materialised(self, node: cst.Call) -> bool:
        """Whether ``node`` is the argument of ``list()`` / ``tuple()``: iterated lazily,
        ``reversed()`` copies nothing and is not worth a report."""
        above = self.ancestors(node)[:2]
        return (
            len(above) == 2
            and isinstance(above[0], cst.Arg)
            and isinstance(above[1], cst.Call)
            and self.qualified_name(above[1]) in (_LIST, _TUPLE)
        )

    def _reversed_sorted(self, node: cst.Call, inner: cst.Call) -> None:
        reverse = [a for a in inner.args if a.keyword is not None and a.keyword.value == "reverse"]
        replacement: cst.BaseExpression | None = None
        if not reverse:
            flag = cst.Arg(
                keyword=cst.Name("reverse"),
                value=cst.Name("True"),
                equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
            )
            replacement = _append_arg(inner, flag)
        elif isinstance(reverse[0].value, cst.Name) and reverse[0].value.value in ("True", "False"):
            flipped = "False" if reverse[0].value.value == "True" else "True"
            args = [a for a in inner.args if a is not reverse[0]]
            if flipped == "True":
                args.append(reverse[0].with_changes(value=cst.Name("True")))
            replacement = inner.with_changes(args=_fix_commas(args))
        if replacement is not None:
            replacement = replacement.with_changes(lpar=node.lpar, rpar=node.rpar)
        self._report(
            node,
            replacement=replacement,
            unsafe=True,
            form="`reversed(sorted(...))`",
            alternative="sort in the order you need: `sorted(x, reverse=True)`",
            severity="info",  # the sort dominates: the saving is within noise
        )

    def _is_list(self, node: cst.Assign, name: str) -> bool:
        """Whether every other binding of ``name`` in its scope is a list (a display, a
        comprehension, ``list()`` or ``sorted()``), or a parameter annotated ``list``."""
        scope = self.enclosing_scope(node)
        values = [v for v in simple_assignments(scope, name) if v is not node.value]
        if isinstance(scope, cst.FunctionDef):
            for param in (
                *scope.params.posonly_params,
                *scope.params.params,
                *scope.params.kwonly_params,
            ):
                if param.name.value == name:
                    if param.annotation is None:
                        return False
                    annotation = param.annotation.annotation
                    if isinstance(annotation, cst.Subscript):
                        annotation = annotation.value
                    return self.qualified_name(annotation) in _LIST_TYPES and all(
                        self._listy(v, name) for v in values
                    )
        return bool(values) and all(self._listy(v, name) for v in values)

    def _listy(self, value: cst.BaseExpression, name: str) -> bool:
        if isinstance(value, (cst.List, cst.ListComp)) or _is_self_reversal(value, name):
            return True
        return isinstance(value, cst.Call) and self.qualified_name(value) in (_LIST, _SORTED)


def _single_argument(call: cst.Call) -> cst.BaseExpression | None:
    """The first argument when it is positional and plain (``sorted`` may take more)."""
    if not call.args:
        return None
    first = call.args[0]
    if first.keyword is not None or first.star:
        return None
    return first.value


def _is_self_reversal(value: cst.BaseExpression, name: str) -> bool:
    """``name[::-1]``."""
    if not (
        isinstance(value, cst.Subscript)
        and isinstance(value.value, cst.Name)
        and value.value.value == name
        and len(value.slice) == 1
    ):
        return False
    index = value.slice[0].slice
    if not isinstance(index, cst.Slice) or index.lower is not None or index.upper is not None:
        return False
    step = index.step
    return (
        isinstance(step, cst.UnaryOperation)
        and isinstance(step.operator, cst.Minus)
        and isinstance(step.expression, cst.Integer)
        and step.expression.value == "1"
    )


def _append_arg(call: cst.Call, arg: cst.Arg) -> cst.Call:
    return call.with_changes(args=_fix_commas([*call.args, arg]))


def _fix_commas(args: list[cst.Arg]) -> list[cst.Arg]:
    """Arguments separated by ``, `` with no trailing comma."""
    fixed = []
    for index, arg in enumerate(args):
        last = index == len(args) - 1
        comma = (
            cst.MaybeSentinel.DEFAULT
            if last
            else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        )
        fixed.append(arg.with_changes(comma=comma))
    return fixed
