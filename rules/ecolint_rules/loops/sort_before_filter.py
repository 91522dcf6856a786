from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid
from ecolint_rules._syntax import contains as _has
from ecolint_rules._syntax import grouped as _grouped

# Expressions that need parentheses as the iterable of a comprehension.
# A condition holding one of these cannot move into another generator safely.
_NOT_MOVABLE = (cst.Call, cst.NamedExpr, cst.Await, cst.Yield)


class SortBeforeFilter(Rule):
    """## What it does
    Flags a list comprehension, generator expression or `filter()` call that filters
    (an `if` clause; `filter` always does) the result of `sorted(x, …)`.

    ## Why is this wasteful?
    Sorting costs O(n log n) comparisons and a full copy; every element the filter then
    drops was sorted for nothing. Filtering first sorts only the survivors, and gives the
    same result because `sorted` is stable.

    ## Why opt-in
    Judged on 12 real applications (`bench/precision.md`): its one finding in 850,000 lines was
    a one-off set-up command: sorting before filtering wastes only the sort of the dropped
    items, a constant factor (see Evidence).

    ## Example
    ```python
    names = [u.name for u in sorted(users, key=by_age) if u.active]
    ```

    Use instead:
    ```python
    names = [u.name for u in sorted((u for u in users if u.active), key=by_age)]
    ```

    ## Fix safety
    The fix is safe: it is offered only when the condition has no call (and no `:=`,
    `await` or `yield`), so evaluating it in another order changes nothing, the loop
    target is a plain name and the comprehension holds no comment.
    `[v for v in sorted(x) if c]` becomes `sorted(v for v in x if c)`. No fix is offered
    for `filter()`, whose condition is always a call.

    ## Evidence
    `bench/rules/eco110_sort_before_filter.py` on a 2-core x86-64 VM (CPython 3.11,
    median of 7 paired runs, random ints): 1 item in 10 kept 1.66× at n=100, 4.4× at
    n=10⁴, 7.3× at n=10⁶; 9 in 10 kept 0.88× (the generator costs more than it saves),
    1.02×, 1.71×. The saving grows with n and with the share of items dropped.

    ## References
    - creedengo GCI91 (planned, with measurements)
    """

    code = "ECO110"
    opt_in = True
    name = "sort-before-filter"
    impact = "high"
    message = "`sorted()` sorts items that the filter then drops; filter first, then sort"
    fix = "sometimes"
    fix_title = "Filter first, then sort"
    VALID = [
        Valid("names = [u.name for u in sorted(users)]\n"),
        Valid("names = sorted(u.name for u in users if u.active)\n"),
        Valid("top = [u for u in users if u.active]\n"),
        Valid("""
            def sorted(xs):
                return xs
            names = [u for u in sorted(users) if u]
            """),
        Valid("evens = {v for v in sorted(values) if v % 2 == 0}\n"),
    ]
    INVALID = [
        Invalid(
            "names = [u.name for u in sorted(users, key=by_age) if u.active]\n",
            line=1,
            fixed="names = [u.name for u in sorted((u for u in users if u.active), key=by_age)]\n",
        ),
        Invalid(
            """
            def evens(values):
                return [v for v in sorted(values, reverse=True)
                        if v % 2 == 0]
            """,
            line=2,
            fixed="""
            def evens(values):
                return sorted((v for v in values if v % 2 == 0), reverse=True)
            """,
        ),
        Invalid(
            "total = sum(p for p in sorted(prices) if p > limit)\n",
            line=1,
            fixed="total = sum(p for p in sorted(p for p in prices if p > limit))\n",
        ),
        Invalid("kept = [f for f in sorted(files) if f.endswith('.py')]\n", line=1),
        Invalid("small = list(filter(is_small, sorted(items)))\n", line=1),
        Invalid(
            """
            from builtins import sorted as ordered
            x = [a for a in ordered(xs) if a]
            """,
            line=2,
            fixed="""
            from builtins import sorted as ordered
            x = ordered(a for a in xs if a)
            """,
        ),
    ]

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self._check_comprehension(node)

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self._check_comprehension(node)

    def visit_Call(self, node: cst.Call) -> None:
        if (
            len(node.args) == 2
            and all(arg.keyword is None and not arg.star for arg in node.args)
            and self._is_sorted(node.args[1].value)
            and self.qualified_name(node) == "builtins.filter"
        ):
            self.report(node)

    def _check_comprehension(self, node: cst.ListComp | cst.GeneratorExp) -> None:
        clause: cst.CompFor | None = node.for_in
        while clause is not None and not (clause.ifs and self._is_sorted(clause.iter)):
            clause = clause.inner_for_in
        if clause is None:
            return
        sort = clause.iter
        assert isinstance(sort, cst.Call)
        if (
            not isinstance(clause.target, cst.Name)
            or clause.asynchronous is not None
            or any(arg.star for arg in sort.args)
            or sort.args[0].keyword is not None
            or any(_has(test.test, _NOT_MOVABLE) for test in clause.ifs)
            or "#" in self.module.code_for_node(node)
        ):
            self.report(node)
            return
        survivors = cst.GeneratorExp(
            clause.target,
            cst.CompFor(
                target=clause.target,
                iter=_grouped(sort.args[0].value),
                ifs=[cst.CompIf(test.test) for test in clause.ifs],
            ),
        )
        if len(sort.args) == 1:
            survivors = survivors.with_changes(lpar=[], rpar=[])
        first = sort.args[0].with_changes(value=survivors)
        new_sort = sort.with_changes(args=[first, *sort.args[1:]])
        identity = node.elt.deep_equals(clause.target) and clause is node.for_in
        if isinstance(node, cst.ListComp) and identity and clause.inner_for_in is None:
            # `[v for v in sorted(x) if c]` is the sorted list itself.
            self.report(node, replacement=new_sort.with_changes(lpar=node.lpar, rpar=node.rpar))
            return
        new_clause = clause.with_changes(iter=new_sort, ifs=[])
        self.report(node, replacement=node.deep_replace(clause, new_clause))

    def _is_sorted(self, value: cst.BaseExpression) -> bool:
        return (
            isinstance(value, cst.Call)
            and bool(value.args)
            and self.qualified_name(value) == "builtins.sorted"
        )
