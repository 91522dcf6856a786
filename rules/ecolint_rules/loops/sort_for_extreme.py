from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid
from ecolint.lint.analysis import integer_value
from ecolint.lint.bounds import finding_confidence, if_large

_SORTED = "builtins.sorted"


class SortForExtreme(Rule):
    """## What it does
    Flags `sorted(...)[0]` and `sorted(...)[-1]`: a full sort to take the smallest or the
    largest element.

    Nothing is reported when the input is bounded (a display or a name bound to one, an
    enum, a dict checked by `len(d) == 1`). When its size cannot be known the finding is
    graded low: the saving is small below thousands of items. It is graded high on a
    database, file or API result, or when a loop repeats the sort.

    ## Why opt-in
    Judged on the real-application corpus (`bench/precision.md`): 0 of 3 shown findings
    were worth a change, 0 of 2 in earlier rounds. The sorted lists were the checkpoints of
    a folder or the few candidates of one choice, sorted once per run: a full sort of a
    handful of items costs nothing. The rule cannot see the size. Enable it (`extend-select
    = ["ECO104"]`) to review hot paths over large collections.

    ## Why is this wasteful?
    `sorted` copies the whole input into a new list and sorts it in O(n log n) comparisons
    (each calling `key`), then all but one element is thrown away. `min` and `max` find
    the same element in one O(n) pass with no copy.

    ## Example
    ```python
    cheapest = sorted(offers, key=lambda o: o.price)[0]
    newest = sorted(paths, key=os.path.getmtime)[-1]
    ```

    Use instead:
    ```python
    cheapest = min(offers, key=lambda o: o.price)
    newest = max(paths, key=os.path.getmtime)
    ```

    ## Fix safety
    The fix is unsafe. `[0]` becomes `min(...)`, `[-1]` becomes `max(...)` with the same
    `key`, swapped under `reverse=True`. Among equal elements `max` returns the first one
    where `sorted(...)[-1]` gives the last (with `reverse=True`, `min` differs likewise),
    and an empty input raises `ValueError` instead of `IndexError`. No fix is offered when
    `reverse=` is not a literal, or when the call has other arguments.

    ## Evidence
    `bench/rules/eco104_sort_for_extreme.py` on a 2-core x86-64 VM (CPython 3.11, median
    of 7 paired runs, n shuffled records with a `key` function): 1.2x at n=100, 3.2x at
    n=10⁴, 8.5x at n=10⁶.

    ## References
    - refurb FURB192 (sorted-min-max)
    """

    code = "ECO104"
    name = "sort-for-extreme"
    impact = "high"
    opt_in = True
    message = "`sorted(...)[{index}]` sorts a full copy to take one element; use {alternative}"
    fix = "sometimes"
    fix_title = "Take the extreme with `min()` / `max()` instead of sorting"
    VALID = [
        Valid("runner_up = sorted(scores)[1]\n"),
        Valid("podium = sorted(scores, reverse=True)[:3]\n"),
        Valid("""
            ordered = sorted(scores)
            low, high = ordered[0], ordered[-1]
            """),
        Valid("""
            from natsort import natsorted as sorted

            first = sorted(names)[0]
            """),
        Valid("""
            scores.sort()
            lowest = scores[0]
            """),
        Valid(
            """
            LEVELS = ("debug", "info", "warning")
            shortest = sorted(LEVELS, key=len)[0]
            """
        ),
        Valid(
            """
            def only_key(options):
                if len(options) == 1:
                    return sorted(options)[0]
                raise ValueError(options)
            """
        ),
    ]
    INVALID = [
        Invalid(
            "cheapest = sorted(offers, key=lambda o: o.price)[0]\n",
            line=1,
            fixed="cheapest = min(offers, key=lambda o: o.price)\n",
            confidence="low",
            unsafe=True,
        ),
        Invalid(
            """
            import os.path as osp

            newest = sorted(paths, key=osp.getmtime)[-1]
            """,
            line=3,
            fixed="""
            import os.path as osp

            newest = max(paths, key=osp.getmtime)
            """,
            confidence="low",
            unsafe=True,
        ),
        Invalid(
            "best = sorted((r.score for r in runs), reverse=True)[0]\n",
            line=1,
            fixed="best = max(r.score for r in runs)\n",
            confidence="low",
            unsafe=True,
        ),
        Invalid(
            """
            import builtins
            worst = builtins.sorted(runs, key=len, reverse=True)[-1]
            """,
            line=2,
            fixed="""
            import builtins
            worst = min(runs, key=len)
            """,
            confidence="low",
            unsafe=True,
        ),
        Invalid("edge = sorted(values, reverse=descending)[0]\n", line=1, confidence="low"),
        Invalid(
            """
            def first(*columns):
                return sorted(*columns)[0]
            """,
            line=2,
            confidence="low",
        ),
        Invalid(
            """
            def cheapest_offers(products):
                for product in products:
                    yield sorted(product.offers, key=lambda o: o.price)[0]
            """,
            line=3,
            fixed="""
            def cheapest_offers(products):
                for product in products:
                    yield min(product.offers, key=lambda o: o.price)
            """,
            unsafe=True,
        ),
        Invalid(
            """
            def latest(Entry):
                return sorted(Entry.objects.filter(published=True), key=by_date)[-1]
            """,
            line=2,
            fixed="""
            def latest(Entry):
                return max(Entry.objects.filter(published=True), key=by_date)
            """,
            unsafe=True,
        ),
    ]

    def visit_Subscript(self, node: cst.Subscript) -> None:
        call = node.value
        if not isinstance(call, cst.Call) or self.qualified_name(call) != _SORTED:
            return
        index = _constant_index(node)
        if index not in (0, -1):
            return
        first = call.args[0] if call.args else None
        source = first.value if first is not None and not first.keyword and not first.star else call
        confidence = finding_confidence(self, source, node)
        if confidence is None:
            return  # a few items: the sort costs nothing worth changing
        note = if_large(self, source) if confidence == "low" else ""
        function = _extreme(call, index)
        if function is None or self.qualified_name(cst.Name(function)) != f"builtins.{function}":
            message = self.message.format(index=index, alternative="`min()` / `max()`")
            self.report(node, message + note, confidence=confidence)
            return
        args = [arg for arg in call.args if arg.keyword is None]
        value = args[0].value
        key = next((arg for arg in call.args if _keyword(arg) == "key"), None)
        new_args = [cst.Arg(value)]
        if key is not None:
            new_args.append(cst.Arg(key.value, keyword=key.keyword, equal=key.equal))
        elif isinstance(value, cst.GeneratorExp):  # the sole argument needs no parentheses
            new_args = [cst.Arg(value.with_changes(lpar=[], rpar=[]))]
        replacement = cst.Call(cst.Name(function), new_args, lpar=node.lpar, rpar=node.rpar)
        message = self.message.format(index=index, alternative=f"`{function}()`")
        self.report(
            node, message + note, replacement=replacement, unsafe=True, confidence=confidence
        )


def _keyword(arg: cst.Arg) -> str | None:
    return arg.keyword.value if arg.keyword is not None else None


def _constant_index(node: cst.Subscript) -> int | None:
    """The integer in `x[0]` / `x[-1]`; ``None`` for slices and anything else."""
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    return integer_value(node.slice[0].slice.value)


def _extreme(call: cst.Call, index: int) -> str | None:
    """`min` or `max` for a `sorted(x[, key=…][, reverse=<literal>])` call, else ``None``."""
    positional = [arg for arg in call.args if arg.keyword is None]
    if len(positional) != 1 or any(arg.star for arg in call.args):
        return None
    keywords = {_keyword(arg): arg.value for arg in call.args if arg.keyword is not None}
    if not set(keywords) <= {"key", "reverse"}:
        return None
    reverse = keywords.get("reverse", cst.Name("False"))
    if not isinstance(reverse, cst.Name) or reverse.value not in ("True", "False"):
        return None
    smallest = (index == 0) != (reverse.value == "True")
    return "min" if smallest else "max"
