from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import libcst as cst

from ecolint import (
    Invalid,
    Rule,
    Valid,
    attribute_assignments,
    dotted_name,
    names_bound,
    simple_assignments,
)
from ecolint.lint.bounds import is_bounded, repeats_boundedly
from ecolint_rules._loop_exit import leaves_loop_after

# The call shapes, as (method, number of positional arguments, text for the message).
_FRONT_OPS = {"insert": (2, "{}.insert(0, …)"), "pop": (1, "{}.pop(0)")}
# Values whose type is known and is not a list: their `insert(0, …)`/`pop(0)` is cheap or
# means something else (a dict key 0).
_NOT_LISTS = (cst.Dict, cst.DictComp, cst.Set, cst.SetComp)
# What "one line" is for grouping: a simple statement, or a compound statement's header
# (with a body on the same line, as in `if x: q.pop(0)`).
_STATEMENTS = (cst.SimpleStatementLine, cst.BaseCompoundStatement)
_NOT_LIST_TYPES = frozenset(
    {
        "builtins.dict",
        "builtins.set",
        "collections.deque",
        "collections.OrderedDict",
        "collections.defaultdict",
        "collections.Counter",
    }
)


class ListFrontOpInLoop(Rule):
    """## What it does
    Flags `x.insert(0, v)` and `x.pop(0)` repeated by a loop (including `while x:` drain
    loops and comprehensions), unless every binding of `x` seen in its scope (or, for
    `self.x`, in its class) is a dict, set, `deque` or another type that is not a list.
    A call followed in its block by `return`, `raise` or `break` runs once, not once per
    iteration, and is not reported.

    Nor is a call repeated only by bounded loops (`for _ in range(3)`, over a tuple of
    constants), or on a list that stays small (bound to a display and never grown, or
    checked by `len(x) < k` with a small literal `k`). Several such calls in one
    statement make one finding.

    ## Why is this wasteful?
    A list stores its items contiguously: adding or removing at the front shifts every
    other item by one slot, O(n) per operation, so a loop of n of them is O(n²).
    `collections.deque` adds and removes at both ends in O(1).

    ## Why opt-in
    Judged on 12 real applications (`bench/precision.md`): 0 of 4 sampled findings were worth a
    change: `pop(0)` costs only on long lists, and the lists were capped queues or a handful of
    values. Enable it (`extend-select = ["ECO109"]`) for work queues that can grow.

    ## Example
    ```python
    def drain(tasks):
        while tasks:
            run(tasks.pop(0))
    ```

    Use instead:
    ```python
    from collections import deque

    def drain(tasks):
        tasks = deque(tasks)
        while tasks:
            run(tasks.popleft())
    ```

    ## Evidence
    `bench/rules/eco109_list_front_op_in_loop.py` on a 2-core x86-64 VM (CPython 3.11,
    median of 7 paired runs): draining n items with `pop(0)` vs `deque.popleft()` 1.67× at
    n=100, 20× at n=10⁴, 163× at n=10⁵; building with `insert(0, v)` vs `appendleft` 1.81×,
    72×, 608×. Quadratic: n=10⁶ was not run (one run of the bad form would take minutes).

    ## References
    - creedengo GCI108 (narrowed to loops)
    """

    code = "ECO109"
    opt_in = True
    name = "list-front-op-in-loop"
    impact = "high"
    message = "`{call}` in a loop shifts every item of a list each time; use a `collections.deque`"
    VALID = [
        Valid("""
            history = []
            history.insert(0, 'start')
            """),
        Valid("""
            def f(xs):
                for x in xs:
                    xs.pop()
                    xs.insert(1, x)
            """),
        Valid(
            """
            from collections import deque as dq

            def rotate(items, n):
                q = dq(items)
                for _ in range(n):
                    q.insert(0, q.pop())
                return q
            """
        ),
        Valid(
            """
            import collections

            PENDING = collections.deque()

            def drain():
                while PENDING:
                    PENDING.insert(0, PENDING.pop())
            """
        ),
        Valid("""
            def f(keys):
                cache = {}
                for k in keys:
                    cache.pop(0)
            """),
        Valid("""
            def f(xs):
                for x in xs:
                    def g(stack):
                        stack.pop(0)
            """),
        Valid(
            """
            def parts(path, known):
                tail = []
                while path:
                    if path[-1] in known:
                        tail.insert(0, path[-1])
                        return tail
                    path = path[:-1]
            """
        ),
        Valid(
            """
            def header(fields):
                for _ in range(2):
                    fields.pop(0)
                return fields
            """
        ),
        Valid(
            """
            def order(first, second, third):
                steps = [first, second, third]
                while steps:
                    run(steps.pop(0))
            """
        ),
        Valid(
            """
            def recent(events):
                last = []
                for event in events:
                    if len(last) < 8:
                        last.insert(0, event)
                return last
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            def drain(tasks):
                while tasks:
                    run(tasks.pop(0))
            """,
            line=3,
        ),
        Invalid(
            """
            def reverse(xs):
                out = []
                for x in xs:
                    out.insert(0, x)
                return out
            """,
            line=4,
        ),
        Invalid(
            """
            class Worker:
                def __init__(self):
                    self.jobs = []

                def run(self):
                    while self.jobs:
                        self.jobs.pop(0)()
            """,
            line=7,
        ),
        Invalid(
            """
            def first_rows(buffer, n):
                return [buffer.pop(0) for _ in range(n)]
            """,
            line=2,
        ),
        Invalid(
            """
            def triples(words):
                while words:
                    yield words.pop(0), words.pop(0), words.pop(0)
            """,
            line=3,
        ),
        Invalid(
            """
            def breadth_first(root):
                queue = [root]
                while queue:
                    node = queue.pop(0)
                    queue.extend(node.children)
            """,
            line=4,
        ),
    ]

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        # The calls found in the current file, by statement, reported when it is left.
        self._pending: dict[int, tuple[cst.CSTNode, list[tuple[cst.Call, str]]]] = {}

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in _FRONT_OPS:
            return  # the common case, decided first: most calls are not these methods
        arity, call = _FRONT_OPS[func.attr.value]
        args = node.args
        if (
            len(args) != arity
            or any(arg.keyword is not None or arg.star for arg in args)
            or not isinstance(args[0].value, cst.Integer)
            or args[0].value.value != "0"
        ):
            return
        loop = self.enclosing_loop(node)
        if loop is None or leaves_loop_after(self, node, loop):
            return  # not repeated: the loop is left right after it
        name = dotted_name(func.value)
        if name is not None and self._known_not_list(node, name):
            return
        if repeats_boundedly(self, node) or is_bounded(self, func.value, node):
            return  # a few shifts, or shifts of a few items
        statement = next(a for a in self.ancestors(node) if isinstance(a, _STATEMENTS))
        text = call.format(name or self.module.code_for_node(func.value))
        self._pending.setdefault(id(statement), (statement, []))[1].append((node, text))

    def visit_Module(self, node: cst.Module) -> None:
        self._pending = {}

    def leave_Module(self, original_node: cst.Module) -> None:
        """One finding per statement, on its first call: `a.pop(0), a.pop(0)` is one
        problem with one fix (a deque), not two."""
        for _statement, calls in self._pending.values():
            texts = list(dict.fromkeys(text for _, text in calls))
            if len(calls) == 1:
                self.report(calls[0][0], call=texts[0])
                continue
            shown = ", ".join(f"`{text}`" for text in texts)
            message = (
                f"{shown} in a loop ({len(calls)} calls in this statement) shift every item "
                "of a list each time; use a `collections.deque`"
            )
            self.report(calls[0][0], message)
        self._pending = {}

    def _known_not_list(self, node: cst.Call, name: str) -> bool:
        """Whether every binding of ``name`` we can see makes it something else than a
        list; ``False`` when there is none (unknown type) or one may be a list."""
        values = self._bindings(node, name)
        return bool(values) and all(self._not_list(value) for value in values)

    def _bindings(self, node: cst.Call, name: str) -> list[cst.BaseExpression]:
        head, _, attribute = name.partition(".")
        if not attribute:
            scope = self.enclosing_scope(node)
            values = simple_assignments(scope, name)
            global_name = isinstance(scope, cst.FunctionDef) and name not in names_bound(
                scope.params
            )
            if not values and global_name:
                return simple_assignments(self.module, name)
            return values
        if "." in attribute or head != "self":
            return []
        cls = self.enclosing_class(node)
        return attribute_assignments(cls, attribute) if cls is not None else []

    def _not_list(self, value: cst.BaseExpression) -> bool:
        if isinstance(value, _NOT_LISTS):
            return True
        return isinstance(value, cst.Call) and self.qualified_name(value) in _NOT_LIST_TYPES
