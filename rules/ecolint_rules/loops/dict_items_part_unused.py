from __future__ import annotations

import libcst as cst

from ecolint import SCOPE_BOUNDARIES, Invalid, Rule, Valid, names_read
from ecolint.lint.bounds import finding_confidence, if_large
from ecolint_rules.loops._loop_names import observed_outside


class DictItemsPartUnused(Rule):
    """## What it does
    Flags `for k, v in <mapping>.items():` when the body never reads `k` or never reads
    `v` (a part named `_` counts as unused).

    Nothing is reported on a bounded mapping (a dict display or a name bound to one, the
    fields of a class). The saving is a constant factor, so a finding is graded high only
    on a database, file or API result or inside another loop; otherwise it is low.

    ## Why is this wasteful?
    `.items()` builds (or at best recycles) a 2-tuple per entry and unpacks it, only to
    throw one half away. Iterating over the mapping itself yields the keys, and
    `.values()` the values, with no tuple at all.

    ## Why opt-in
    Judged on 12 real applications (`bench/precision.md`), 0 of 10 sampled findings were worth a
    change: skipping the unused half of each pair saves 4-21 % of the iteration itself (see
    Evidence), never more. Enable it (`extend-select = ["ECO107"]`) for loops you have profiled.

    ## Example
    ```python
    for name, _ in settings.items():
        print(name)
    ```

    Use instead:
    ```python
    for name in settings:
        print(name)
    ```

    ## Fix safety
    The fix is safe for mappings: it is offered only when the dropped name is not read
    anywhere else in the enclosing function or module (after the loop, in its `else`, in
    a nested function), is not deleted, declared `global`/`nonlocal`, or visible through
    `locals()`/`vars()`/`eval`, and the loop is not in a class body (where the name would
    be a class attribute). It is not offered in modules that import pandas, whose
    `Series` iterates over values and whose `.values` is not a method, nor (for
    `for k in d`) inside a `try` that catches `AttributeError`: there `.items()` may
    probe whether the object is a mapping at all, and iterating over a string or a list
    instead would not raise (networkx's `set_node_attributes` takes a dict or a
    constant this way).

    ## Evidence
    `bench/rules/eco107_dict_items_part_unused.py` on a 2-core x86-64 VM (CPython 3.11,
    median of 7 paired runs, int keys and values): value unused (vs `for k in d`) 1.06× at
    n=100, 1.07× at n=10⁴, 1.21× at n=10⁶; key unused (vs `.values()`) 1.08×, 1.04×, 1.18×.
    A small constant-factor saving.

    ## References
    - creedengo GCI103; ruff PERF102; GL030
    """

    code = "ECO107"
    opt_in = True
    name = "dict-items-part-unused"
    impact = "low"
    message = "the {part} `{name}` of `.items()` is never used; iterate over {instead}"
    fix = "sometimes"
    fix_title = "Iterate over `.keys()` or `.values()` alone"
    VALID = [
        Valid("""
            for key, value in config.items():
                print(key, value)
            """),
        Valid("""
            for key in config:
                print(key)
            """),
        Valid("""
            for key, value in pairs:
                print(key)
            """),
        Valid("""
            for key, value in config.items(section):
                print(key)
            """),
        Valid("""
            for key, *rest in rows.items():
                print(key)
            """),
        Valid(
            """
            LIMITS = {"cpu": 2, "memory": 512}
            for name, _ in LIMITS.items():
                print(name)
            """
        ),
        Valid(
            """
            def attribute_names(obj):
                for name, _value in vars(obj).items():
                    print(name)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            def names(settings):
                for name, _ in settings.items():
                    print(name)
            """,
            line=2,
            confidence="low",
            fixed="""
            def names(settings):
                for name in settings:
                    print(name)
            """,
        ),
        Invalid(
            """
            def total(prices):
                s = 0
                for item, price in prices.items():
                    s += price
                return s
            """,
            line=3,
            confidence="low",
            fixed="""
            def total(prices):
                s = 0
                for price in prices.values():
                    s += price
                return s
            """,
        ),
        Invalid(
            """
            def last(d):
                for k, v in d.items():
                    print(k)
                return v
            """,
            line=2,
            confidence="low",
        ),
        Invalid(
            """
            class Table:
                for k, v in DEFAULTS.items():
                    print(k)
            """,
            line=2,
            confidence="low",
        ),
        Invalid(
            """
            import pandas as pd
            for label, value in pd.Series([1]).items():
                print(label)
            """,
            line=2,
            confidence="low",
        ),
        Invalid(
            """
            class Cache:
                def private(self):
                    n = 0
                    for k, v in self.entries.items():
                        if k.startswith('_'):
                            n += 1
                    return n
            """,
            line=4,
            confidence="low",
            fixed="""
            class Cache:
                def private(self):
                    n = 0
                    for k in self.entries:
                        if k.startswith('_'):
                            n += 1
                    return n
            """,
        ),
        Invalid(
            """
            def set_all(graph, values, name):
                try:
                    for node, value in values.items():
                        graph[node][name] = values[node]
                except AttributeError:  # `values` is one value for every node
                    for node in graph:
                        graph[node][name] = values
            """,
            line=3,
            confidence="low",
        ),
        Invalid(
            """
            def keys(response):
                for key, _ in response.json().items():
                    yield key
            """,
            line=2,
            fixed="""
            def keys(response):
                for key in response.json():
                    yield key
            """,
        ),
    ]

    def visit_For(self, node: cst.For) -> None:
        names, call = _pair_names(node.target), node.iter
        if not (
            names is not None
            and isinstance(call, cst.Call)
            and isinstance(call.func, cst.Attribute)
            and call.func.attr.value == "items"
            and not call.args
        ):
            return
        key, value = names
        reads = names_read(node.body)
        if value == "_" or value not in reads:
            kept, dropped, part, instead = key, value, "value", "the mapping itself"
            new_iter: cst.BaseExpression = call.func.value
        elif key == "_" or key not in reads:
            kept, dropped, part, instead = value, key, "key", "`.values()`"
            new_iter = call.with_changes(func=call.func.with_changes(attr=cst.Name("values")))
        else:
            return
        confidence = finding_confidence(self, call.func.value, node)
        if confidence is None:
            return  # a few entries: the tuples cost nothing worth changing
        message = self.message.format(part=part, name=dropped, instead=instead)
        if confidence == "low":
            message += if_large(self, call.func.value)
        fixed: cst.For | None = node.with_changes(target=cst.Name(kept), iter=new_iter)
        if (
            self.imports.imports_module("pandas")
            or observed_outside(self, node, dropped)
            or (part == "value" and self._probes_mapping(node))
        ):
            fixed = None
        self.report(node, message, replacement=fixed, confidence=confidence)

    def _probes_mapping(self, loop: cst.For) -> bool:
        """Whether ``loop`` sits in a ``try`` (in its own scope) that catches
        ``AttributeError``: ``.items()`` may then be a probe of whether the object is a
        mapping at all, which iterating over the object itself would not make."""
        child: cst.CSTNode = loop
        for ancestor in self.ancestors(loop):
            if isinstance(ancestor, SCOPE_BOUNDARIES):
                return False
            if (
                isinstance(ancestor, (cst.Try, cst.TryStar))
                and child is ancestor.body
                and any(_catches_attribute_error(h.type) for h in ancestor.handlers)
            ):
                return True
            child = ancestor
        return False


def _pair_names(target: cst.BaseExpression) -> tuple[str, str] | None:
    """``("k", "v")`` for the loop target ``k, v`` (two plain names), else ``None``."""
    if not isinstance(target, cst.Tuple) or len(target.elements) != 2:
        return None
    names = [
        element.value.value
        for element in target.elements
        if isinstance(element, cst.Element) and isinstance(element.value, cst.Name)
    ]
    return (names[0], names[1]) if len(names) == 2 else None


def _catches_attribute_error(caught: cst.BaseExpression | None) -> bool:
    """Whether an ``except`` clause of type ``caught`` catches ``AttributeError``."""
    if caught is None:
        return True
    if isinstance(caught, cst.Tuple):
        return any(_catches_attribute_error(element.value) for element in caught.elements)
    name = caught.attr.value if isinstance(caught, cst.Attribute) else None
    name = caught.value if isinstance(caught, cst.Name) else name
    return name in ("AttributeError", "Exception", "BaseException")
