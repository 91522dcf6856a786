from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid

_SUM = "builtins.sum"
_LIST = "builtins.list"


class QuadraticListSummation(Rule):
    """## What it does
    Flags `sum(it, start)` whose start value (second positional argument or `start=`) is a
    list display, a list comprehension or a `list(...)` call: a way of flattening a list
    of lists.

    ## Why is this wasteful?
    `sum` adds one item at a time, and `list + list` builds a new list each time, so every
    step copies everything gathered so far: O(n²) element copies and as many allocations
    for n elements in all. `itertools.chain.from_iterable` copies each element once.

    ## Why opt-in
    Judged on 12 real applications (`bench/precision.md`): 0 of 10 sampled findings were worth a
    change. `sum(lists, [])` is quadratic only in the number of lists, and there it flattened a
    few dozen per-request lists. Enable it (`extend-select = ["ECO101"]`) where many lists are
    joined.

    ## Example
    ```python
    rows = sum(pages, [])
    ```

    Use instead:
    ```python
    import itertools

    rows = list(itertools.chain.from_iterable(pages))
    ```

    ## Fix safety
    The fix is unsafe: it adds `import itertools`, and it changes behaviour when the items
    are not lists (`sum` raises `TypeError` on a tuple item, `chain` accepts any iterable)
    or when they define their own `+`.

    ## Evidence
    `bench/rules/eco101_quadratic_list_summation.py` on a 2-core x86-64 VM (CPython 3.11,
    median of 7 paired runs, n lists of 10 items): 9.5x at n=100, 85x at n=10³, 1005x at
    n=10⁴ (0.70 s against 0.70 ms). n=10⁶ was not run: the quadratic form would take hours.

    ## References
    - ruff RUF017 (quadratic-list-summation); GL007
    """

    code = "ECO101"
    opt_in = True
    name = "quadratic-list-summation"
    impact = "high"
    message = "`sum()` of lists copies the growing list at each step (O(n²)); use `itertools.chain`"
    fix = "unsafe"
    fix_title = "Flatten with `itertools.chain.from_iterable()`"
    VALID = [
        Valid("total = sum(prices)\n"),
        Valid("total = sum(prices, 0.0)\n"),
        Valid("""
            import itertools
            rows = list(itertools.chain.from_iterable(pages))
            """),
        Valid("""
            def sum(items, start):
                return start

            rows = sum(pages, [])
            """),
        Valid("""
            from numpy import sum

            total = sum(matrix, [])
            """),
    ]
    INVALID = [
        Invalid(
            """
            def flatten(pages):
                return sum(pages, [])
            """,
            line=2,
            fixed="""
            import itertools
            def flatten(pages):
                return list(itertools.chain.from_iterable(pages))
            """,
            unsafe=True,
        ),
        Invalid(
            '"""Rows."""\nimport itertools as it\n\n'
            "rows = sum((p.rows for p in pages), start=list())\n",
            line=4,
            fixed='"""Rows."""\nimport itertools\nimport itertools as it\n\n'
            "rows = list(itertools.chain.from_iterable(p.rows for p in pages))\n",
            unsafe=True,
        ),
        Invalid(
            """
            header = ['id']
            rows = sum(batches, [header])
            """,
            line=2,
            fixed="""
            import itertools
            header = ['id']
            rows = [*[header], *itertools.chain.from_iterable(batches)]
            """,
            unsafe=True,
        ),
        Invalid(
            """
            import itertools
            cells = sum([row for row in grid], [c for c in first])
            """,
            line=2,
            fixed="""
            import itertools
            cells = [*[c for c in first], *itertools.chain.from_iterable([row for row in grid])]
            """,
            unsafe=True,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if self.qualified_name(node) != _SUM:
            return
        positional = [arg for arg in node.args if arg.keyword is None]
        if any(arg.star for arg in node.args) or not positional:
            return
        start = next((arg for arg in node.args if _keyword(arg) == "start"), None)
        if start is None and len(positional) == 2:
            start = positional[1]
        if start is None or not self._is_list(start.value):
            return
        self.report(
            node,
            replacement=_flatten(node, positional[0].value, start.value),
            unsafe=True,
            fix_imports=["itertools"],
        )

    def _is_list(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, (cst.List, cst.ListComp)):
            return True
        return isinstance(node, cst.Call) and self.qualified_name(node) == _LIST


def _keyword(arg: cst.Arg) -> str | None:
    return arg.keyword.value if arg.keyword is not None else None


def _is_empty(start: cst.BaseExpression) -> bool:
    """`[]` or `list()`: the flattened items alone."""
    if isinstance(start, cst.List):
        return not start.elements
    return isinstance(start, cst.Call) and not start.args


def _flatten(
    call: cst.Call, iterable: cst.BaseExpression, start: cst.BaseExpression
) -> cst.BaseExpression:
    """`list(itertools.chain.from_iterable(it))`, or `[*start, *…]` for a non-empty start."""
    if isinstance(iterable, cst.GeneratorExp):  # the sole argument needs no parentheses
        iterable = iterable.with_changes(lpar=[], rpar=[])
    chain = cst.Call(
        func=cst.Attribute(
            cst.Attribute(cst.Name("itertools"), cst.Name("chain")), cst.Name("from_iterable")
        ),
        args=[cst.Arg(iterable)],
    )
    if _is_empty(start):
        return cst.Call(cst.Name("list"), args=[cst.Arg(chain)], lpar=call.lpar, rpar=call.rpar)
    return cst.List(
        [cst.StarredElement(start), cst.StarredElement(chain)], lpar=call.lpar, rpar=call.rpar
    )
