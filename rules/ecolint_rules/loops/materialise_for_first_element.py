from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, descendants
from ecolint.lint.bounds import finding_confidence, if_large

_COPIES = ("builtins.list", "builtins.tuple")


class MaterialiseForFirstElement(Rule):
    """## What it does
    Flags `[0]` taken on `list(x)`, `tuple(x)`, `[*x]` or a list comprehension: a whole
    sequence built to read its first element.

    Nothing is reported when `x` is bounded (a display, a string literal, an enum, a
    collection checked by `len(x) == 1` or after `if len(x) != 1: raise`). When its size
    cannot be known the finding is graded low; it is high on a database, file or API
    result, or when a loop repeats the copy.

    ## Why is this wasteful?
    Every element of `x` is produced, stored and later freed (for a comprehension, its
    expression and condition run for all of them) just to use the first one. `next(iter(x))`
    or `next(<generator>)` stops after one element: O(1) work and memory instead of O(n).

    ## Why opt-in
    Judged on 12 real applications (`bench/precision.md`): 0 of 10 (baseline) and 0 of 2 (after
    grading) sampled findings were worth a change: `list(x)[0]` wastes one copy of `x`, which
    matters only for long or lazy iterables, and `x` was a short list or dict there.

    ## Example
    ```python
    first = list(rows)[0]
    winner = [p for p in players if p.score > 10][0]
    ```

    Use instead:
    ```python
    first = next(iter(rows))
    winner = next(p for p in players if p.score > 10)
    ```

    ## Fix safety
    The fix is unsafe: on an empty input `IndexError` becomes `StopIteration` (which a
    surrounding generator would silently swallow), the comprehension's expression and
    condition no longer run for the later elements, and an iterator `x` is advanced by
    one element instead of being exhausted.

    ## Evidence
    `bench/rules/eco105_materialise_for_first_element.py` on a 2-core x86-64 VM (CPython
    3.11, median of 7 paired runs): first key of an n-entry dict, `list(d)[0]` vs
    `next(iter(d))`, 8.7x at n=100, 1063x at n=10⁴, 9908x at n=10⁶; first match of a
    comprehension over n integers vs a generator, 6.9x, 1241x, 14129x. The good form costs
    the same at every size (well under 10 µs); the ratio is the size of the copy.

    ## References
    - ruff RUF015 (unnecessary-iterable-allocation-for-first-element)
    """

    code = "ECO105"
    opt_in = True
    name = "materialise-for-first-element"
    impact = "high"
    message = "`{source}[0]` builds every element to use the first; use `{alternative}`"
    fix = "unsafe"
    fix_title = "Take the first element with `next()` instead of building them all"
    VALID = [
        Valid("second = list(rows)[1]\n"),
        Valid("last = list(rows)[-1]\n"),
        Valid("""
            items = list(rows)
            first = items[0]
            """),
        Valid("both = [*left, *right][0]\n"),
        Valid("""
            from numpy import array as list

            first = list(rows)[0]
            """),
        Valid("head = list(rows)[0:1]\n"),
        Valid("""
            async def f(feed):
                return [e async for e in feed][0]
            """),
        Valid(
            """
            def only_choice(choices):
                if len(choices) == 1:
                    return list(choices)[0]
                return None
            """
        ),
        Valid(
            """
            def single(values):
                if len(values) != 1:
                    raise ValueError("expected one value")
                return list(values.keys())[0]
            """
        ),
        Valid('first_word = list("alpha beta".split())[0]\n'),
    ]
    INVALID = [
        Invalid(
            "first = list(rows)[0]\n",
            line=1,
            fixed="first = next(iter(rows))\n",
            confidence="low",
            unsafe=True,
        ),
        Invalid(
            """
            def key_of(table):
                return (tuple(table.keys())[0])
            """,
            line=2,
            fixed="""
            def key_of(table):
                return (next(iter(table.keys())))
            """,
            confidence="low",
            unsafe=True,
        ),
        Invalid(
            "winner = [p for p in players if p.score > 10][0]\n",
            line=1,
            fixed="winner = next(p for p in players if p.score > 10)\n",
            confidence="low",
            unsafe=True,
        ),
        Invalid(
            """
            import builtins
            head = [*queue][0] + builtins.list(r.id for r in runs)[0]
            """,
            line=2,
            count=2,
            fixed="""
            import builtins
            head = next(iter(queue)) + next(r.id for r in runs)
            """,
            confidence="low",
            unsafe=True,
        ),
        Invalid(
            """
            def newest(Article):
                return list(Article.objects.order_by("-published"))[0]
            """,
            line=2,
            fixed="""
            def newest(Article):
                return next(iter(Article.objects.order_by("-published")))
            """,
            unsafe=True,
        ),
        Invalid(
            """
            def owners(teams):
                return {team.name: [m for m in team.members if m.is_owner][0] for team in teams}
            """,
            line=2,
            fixed="""
            def owners(teams):
                return {team.name: next(m for m in team.members if m.is_owner) for team in teams}
            """,
            unsafe=True,
        ),
    ]

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if not _is_index_zero(node):
            return
        value = node.value
        iterable: cst.BaseExpression | None = None
        if isinstance(value, cst.Call) and self.qualified_name(value) in _COPIES:
            if len(value.args) == 1 and not value.args[0].keyword and not value.args[0].star:
                iterable = value.args[0].value
        elif isinstance(value, cst.List) and len(value.elements) == 1:
            element = value.elements[0]
            if isinstance(element, cst.StarredElement):
                iterable = element.value
        elif isinstance(value, cst.ListComp) and not _is_async(value):
            iterable = cst.GeneratorExp(value.elt, value.for_in, lpar=[], rpar=[])
        if iterable is None:
            return
        source = value if isinstance(value, cst.ListComp) else iterable
        confidence = finding_confidence(self, source, node)
        if confidence is None:
            return  # a few elements, or a dict checked to hold one: nothing worth saving
        if not isinstance(iterable, cst.GeneratorExp):  # a generator is its own iterator
            iterable = cst.Call(cst.Name("iter"), [cst.Arg(iterable)])
        else:
            iterable = iterable.with_changes(lpar=[], rpar=[])
        replacement = cst.Call(
            cst.Name("next"), [cst.Arg(iterable)], lpar=node.lpar, rpar=node.rpar
        )
        if isinstance(value, cst.Call):
            shown = f"{self.module.code_for_node(value.func)}(…)"
        else:
            shown = "[*…]" if isinstance(value, cst.List) else "[… for …]"
        alternative = "next(iter(…))" if isinstance(iterable, cst.Call) else "next(<generator>)"
        message = self.message.format(source=shown, alternative=alternative)
        if confidence == "low":
            message += if_large(self, source)
        self.report(node, message, replacement=replacement, unsafe=True, confidence=confidence)


def _is_async(comprehension: cst.ListComp) -> bool:
    """An `async for` or `await` makes the generator asynchronous: `next` cannot drive it."""
    return any(
        isinstance(n, cst.Await) or (isinstance(n, cst.CompFor) and n.asynchronous is not None)
        for n in descendants(comprehension)
    )


def _is_index_zero(node: cst.Subscript) -> bool:
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return False
    value = node.slice[0].slice.value
    return isinstance(value, cst.Integer) and value.evaluated_value == 0
