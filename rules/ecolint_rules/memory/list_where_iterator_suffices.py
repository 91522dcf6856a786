from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from ecolint import Invalid, Rule, Valid, dotted_name, find_all

_CONSUMERS = frozenset(
    {"builtins.any", "builtins.all", "builtins.sum", "builtins.min", "builtins.max", "builtins.set"}
)
# Wrappers of a `for` header that consume their arguments lazily (not `reversed`, which
# needs a sequence).
_LAZY_WRAPPERS = frozenset({"builtins.zip", "builtins.enumerate", "builtins.filter"})
_VIEWS = frozenset({"keys", "values", "items"})
# Calls that cannot change a collection behind the loop's back: any other call in the
# body might (`edit.close()` unregistering itself, `getattr` running a lazy load).
_HARMLESS_CALLS = frozenset(
    f"builtins.{name}"
    for name in [
        "abs",
        "bool",
        "bytes",
        "float",
        "format",
        "hash",
        "id",
        "int",
        "isinstance",
        "issubclass",
        "len",
        "max",
        "min",
        "print",
        "repr",
        "round",
        "str",
        "tuple",
        "type",
    ]
)
_MUTATORS = frozenset(
    {
        "append",
        "appendleft",
        "extend",
        "extendleft",
        "insert",
        "remove",
        "pop",
        "popitem",
        "popleft",
        "clear",
        "update",
        "add",
        "discard",
        "setdefault",
        "sort",
        "reverse",
        "rotate",
        "move_to_end",
        "difference_update",
        "intersection_update",
        "symmetric_difference_update",
    }
)


class ListWhereIteratorSuffices(Rule):
    """## What it does
    Flags a list built only to be iterated once:
    - a list comprehension as the iterable of a `for` (or as an argument of `zip`,
      `enumerate` or `filter` in that header);
    - a list comprehension as the only argument of `any`, `all`, `sum`, `min`, `max` or
      `set`;
    - `for x in list(<iterable>)`, unless the loop body visibly mutates that iterable
      (`for k in list(d): del d[k]` needs its copy). When the iterable is a named
      collection (`d`, `self.items`, `d.keys()`), the copy is also kept if the body
      calls anything but a few harmless builtins (`len`, `isinstance`, `str`, `print`,
      …): such a call may change the collection indirectly, and the copy is then a
      deliberate snapshot.

    `"".join([...])` is not flagged: `str.join` builds a list from its argument anyway,
    and is faster when handed one.

    ## Why is this wasteful?
    The whole list is allocated and filled before the first element is used, an O(n)
    temporary that a generator expression or direct iteration avoids. `any` and `all`
    also lose their short-circuit: every element is computed even when the first one
    settles the answer.

    ## Example
    ```python
    if any([is_stale(entry) for entry in entries]):
        refresh()
    for name in list(names):
        print(name)
    ```

    Use instead:
    ```python
    if any(is_stale(entry) for entry in entries):
        refresh()
    for name in names:
        print(name)
    ```

    ## Fix safety
    The fixes are unsafe. With a generator, elements are computed lazily, interleaved
    with the loop body or the consumer, and `any` / `all` stop early: side effects in the
    comprehension change order or do not happen at all. Dropping `list(...)` makes the
    loop iterate the original object, which raises or skips elements if the loop mutates
    it through a name or call this rule cannot see.

    ## Evidence
    `bench/rules/eco704_list_where_iterator_suffices.py` on this 2-core machine (CPython
    3.11, median of 7 paired runs; bad/good time at n=100 / 10⁴ / 10⁶): `any` whose match
    is half-way 1.37 / 1.42 / 1.32x; `for x in list(xs)` 1.21 / 1.05 / 1.23x;
    `for y in [x * 2 for x in xs]` 0.77 / 0.82 / 1.21x; `any` with no match 0.87 / 0.72 /
    0.69x. Peak memory of the `for` header case (tracemalloc): 0.40 MB against 0.001 MB at
    n=10⁴, 40.4 MB against 0.001 MB at n=10⁶. The saving is memory (O(n) → O(1)) and the
    short-circuit; a generator that runs to the end costs more per element than a list
    comprehension, so in time the fix can lose up to 1.4x when nothing stops early.

    ## References
    - creedengo GCI404; ruff C419 (`any` / `all`), C403 (`set`), PERF101 (`list()` cast)
    """

    code = "ECO704"
    name = "list-where-iterator-suffices"
    impact = "low"
    message = "{form} builds a temporary list; {alternative}"
    fix = "unsafe"
    VALID = [
        Valid("text = ''.join([line.strip() for line in lines])\n"),
        Valid("total = sum(len(w) for w in words)\nbest = max([s for s in scores], default=0)\n"),
        Valid("for key in list(cache):\n    if cache[key].expired:\n        del cache[key]\n"),
        Valid("for item in list(self.queue):\n    self.queue.remove(item)\n"),
        Valid(
            "def close_all(self):\n    for editor in list(self.editors):\n"
            "        editor.close()  # unregisters itself from self.editors\n"
        ),
        Valid("for x in reversed([f(y) for y in ys]):\n    print(x)\n"),
        Valid("async def f(xs):\n    return all([await ok(x) for x in xs])\n"),
        Valid("def any(values):\n    return False\n\nany([x for x in xs])\n"),
    ]
    INVALID = [
        Invalid(
            "if any([entry.stale for entry in entries]):\n    refresh()\n",
            line=1,
            fixed="if any(entry.stale for entry in entries):\n    refresh()\n",
        ),
        Invalid(
            "for name in [p.name for p in paths]:\n    print(name)\n",
            line=1,
            fixed="for name in (p.name for p in paths):\n    print(name)\n",
        ),
        Invalid(
            "for i, row in enumerate([parse(l) for l in lines], 1):\n    print(i, row)\n",
            line=1,
            fixed="for i, row in enumerate((parse(l) for l in lines), 1):\n    print(i, row)\n",
        ),
        Invalid(
            "for a, b in zip([x for x in xs], filter(None, [y for y in ys])):\n    print(a, b)\n",
            line=1,
            count=2,
            fixed="for a, b in zip((x for x in xs), filter(None, (y for y in ys))):\n"
            "    print(a, b)\n",
        ),
        Invalid(
            "import builtins as bi\n\ntotal = bi.sum([len(w) for w in words])\n",
            line=3,
            fixed="import builtins as bi\n\ntotal = bi.sum(len(w) for w in words)\n",
        ),
        Invalid(
            "ok = all([x.valid for x in xs],)\n",
            line=1,
            fixed="ok = all((x.valid for x in xs),)\n",
        ),
        Invalid(
            "for key in list(config.keys()):\n    print(key, config[key])\n"
            "for n in list(v * 2 for v in values):\n    print(n)\n",
            line=1,
            count=2,
            fixed="for key in config.keys():\n    print(key, config[key])\n"
            "for n in (v * 2 for v in values):\n    print(n)\n",
        ),
    ]

    def visit_For(self, node: cst.For) -> None:
        if node.asynchronous is not None:
            return
        for comp, parens in self._header_comprehensions(node.iter, parens=True):
            self._report_comprehension(comp, parens, "`for … in [...]`")
        source = self._list_call_argument(node.iter)
        if (
            source is not None
            and not _mutated(node.body, source)
            and not self._snapshot(node, source)
        ):
            self.report(
                node.iter,
                replacement=_parenthesized(source),
                unsafe=True,
                form="`for … in list(...)`",
                alternative="iterate the iterable directly",
            )

    def _snapshot(self, loop: cst.For, source: cst.BaseExpression) -> bool:
        """Whether ``list(source)`` may be a deliberate snapshot of a named collection
        that a call in the loop body could change."""
        if _collection_name(source) is None:
            return False
        return any(
            self.qualified_name(call) not in _HARMLESS_CALLS
            for call in find_all(loop.body, cst.Call)
        )

    def visit_Call(self, node: cst.Call) -> None:
        if len(node.args) != 1 or self.qualified_name(node) not in _CONSUMERS:
            return
        arg = node.args[0]
        if arg.keyword is None and not arg.star and isinstance(arg.value, cst.ListComp):
            name = self.module.code_for_node(node.func)
            self._report_comprehension(
                arg.value, isinstance(arg.comma, cst.Comma), f"`{name}([...])`"
            )

    def _header_comprehensions(
        self, expression: cst.BaseExpression, parens: bool
    ) -> Iterator[tuple[cst.ListComp, bool]]:
        """List comprehensions iterated by a ``for`` header, and whether each one needs
        parentheses as a generator expression."""
        if isinstance(expression, cst.ListComp):
            yield expression, parens
        elif isinstance(expression, cst.Call) and self.qualified_name(expression) in _LAZY_WRAPPERS:
            alone = len(expression.args) == 1
            for arg in expression.args:
                if arg.keyword is None and not arg.star:
                    needs = not alone or isinstance(arg.comma, cst.Comma)
                    yield from self._header_comprehensions(arg.value, needs)

    def _report_comprehension(self, comp: cst.ListComp, parens: bool, form: str) -> None:
        if (
            any(find_all(comp, cst.Await))
            or any(f.asynchronous is not None for f in find_all(comp, cst.CompFor))
            or comp.for_in.asynchronous is not None
        ):
            return  # an async comprehension has no plain generator equivalent
        self.report(
            comp,
            replacement=_generator(comp, parens),
            unsafe=True,
            form=form,
            alternative="use a generator expression",
        )

    def _list_call_argument(self, expression: cst.BaseExpression) -> cst.BaseExpression | None:
        """``x`` for ``list(x)`` with one plain positional argument."""
        if not isinstance(expression, cst.Call) or len(expression.args) != 1:
            return None
        arg = expression.args[0]
        if (
            arg.keyword is not None
            or arg.star
            or self.qualified_name(expression) != "builtins.list"
        ):
            return None
        return arg.value


def _generator(comp: cst.ListComp, parens: bool) -> cst.GeneratorExp:
    if comp.lpar or not parens:
        lpar, rpar = comp.lpar, comp.rpar
    else:
        lpar = [cst.LeftParen(whitespace_after=comp.lbracket.whitespace_after)]
        rpar = [cst.RightParen(whitespace_before=comp.rbracket.whitespace_before)]
    return cst.GeneratorExp(elt=comp.elt, for_in=comp.for_in, lpar=lpar, rpar=rpar)


def _parenthesized(expression: cst.BaseExpression) -> cst.BaseExpression:
    """``expression`` as a ``for`` iterable: a bare generator or walrus needs parentheses."""
    if isinstance(expression, (cst.GeneratorExp, cst.NamedExpr, cst.Yield)) and not expression.lpar:
        return expression.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return expression


def _collection_name(expression: cst.BaseExpression) -> str | None:
    """The dotted name of the collection behind ``d`` / ``self.items`` / ``d.keys()``."""
    if (
        isinstance(expression, cst.Call)
        and not expression.args
        and isinstance(expression.func, cst.Attribute)
        and expression.func.attr.value in _VIEWS
    ):
        expression = expression.func.value
    return dotted_name(expression)


def _mutated(body: cst.CSTNode, source: cst.BaseExpression) -> bool:
    """Whether ``body`` visibly mutates the collection ``source`` names: a mutating
    method call on it, or ``del`` / assignment of one of its items."""
    name = _collection_name(source)
    if name is None:
        return False
    touched: list[cst.BaseExpression] = []
    for node in find_all(body, (cst.Call, cst.Del, cst.AssignTarget, cst.AugAssign)):
        if isinstance(node, cst.Call):
            if isinstance(node.func, cst.Attribute) and node.func.attr.value in _MUTATORS:
                touched.append(node.func.value)
        else:
            target = node.target
            while isinstance(target, (cst.Subscript, cst.Attribute)):
                target = target.value
                touched.append(target)
    return any(dotted_name(t) == name for t in touched)
