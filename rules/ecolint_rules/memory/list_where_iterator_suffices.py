from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from ecolint import Invalid, Rule, Valid, find_all, names_read
from ecolint.lint.analysis import access_root
from ecolint.lint.bounds import finding_confidence, if_large
from ecolint.results import Confidence

_CONSUMERS = frozenset(
    {"builtins.any", "builtins.all", "builtins.sum", "builtins.min", "builtins.max", "builtins.set"}
)
# Wrappers of a `for` header that consume their arguments lazily (not `reversed`, which
# needs a sequence).
_LAZY_WRAPPERS = frozenset({"builtins.zip", "builtins.enumerate", "builtins.filter"})
# Methods that only read their object: any other method call may change it.
_READERS = frozenset({"get", "keys", "values", "items", "copy", "count", "index"})
# Calls that cannot change a collection behind the loop's back: any other call in the
# body might (`edit.close()` unregistering itself, `getattr` running a lazy load).
# What hands control to code the loop does not show.
_HANDOVERS = (cst.Call, cst.Yield, cst.Await)
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


class ListWhereIteratorSuffices(Rule):
    """## What it does
    Flags a list built only to be iterated once:
    - a list comprehension as the iterable of a `for` (or as an argument of `zip`,
      `enumerate` or `filter` in that header);
    - a list comprehension as the only argument of `any`, `all`, `sum`, `min`, `max` or
      `set`;
    - `for x in list(<iterable>)`, unless the loop body may mutate that iterable. The
      check is by name, and conservative: a `del`, an item or attribute store, an
      augmented assignment or a method call other than `get`, `keys`, `items`… on
      anything rooted at a name the iterable reads keeps the copy
      (`for k in list(d[i]): del d[i][k]`, `for k in list(self.x): self.x.pop(k)`).
      When the iterable is reached through a name (`d`, `self.items`, `d[i]`,
      `d.keys()`, `node.children()`), the copy is also kept if the body calls anything
      but a few harmless builtins (`len`, `isinstance`, `str`, `print`, …), or yields or
      awaits (the caller runs meanwhile): that code may change the collection
      indirectly, and the copy is then a deliberate snapshot.
      Otherwise (`zip(a, b)`, a generator) a call handed one of the names it reads
      keeps the copy.

    In a `for` header (a comprehension or `list(...)`), nothing is reported either when
    the items would be computed differently if interleaved with the loop body: the body
    may mutate what they are computed from (as above), or both the items and the body
    call something other than a few harmless builtins (`seed.random()` in one,
    `seed.sample()` in the other: the order of the calls is part of the result).

    Nothing is reported on a bounded source (a display, a small literal `range`, the
    fields of a class): a few items cost nothing. The saving is memory and a constant
    factor, so a finding is graded high only on a database, file or API result or inside
    another loop; otherwise it is low.

    `"".join([...])` is not flagged: `str.join` builds a list from its argument anyway,
    and is faster when handed one.

    ## Why is this wasteful?
    The whole list is allocated and filled before the first element is used, an O(n)
    temporary that a generator expression or direct iteration avoids. `any` and `all`
    also lose their short-circuit: every element is computed even when the first one
    settles the answer.

    ## Why opt-in
    Judged on 12 real applications (`bench/precision.md`), 0 of 10 sampled findings were worth a
    change: the temporary list is small or short-lived in application code, and the time saved
    is 0.8-1.4x of the iteration (see Evidence). Enable it (`extend-select = ["ECO704"]`) for
    memory-bound pipelines.

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
    `bench/rules/eco704_list_where_iterator_suffices.py` on a 2-core x86-64 VM (CPython
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
    opt_in = True
    name = "list-where-iterator-suffices"
    impact = "low"
    message = "{form} builds a temporary list; {alternative}"
    fix = "unsafe"
    fix_title = "Drop the temporary list"
    VALID = [
        Valid("text = ''.join([line.strip() for line in lines])\n"),
        Valid("""
            total = sum(len(w) for w in words)
            best = max([s for s in scores], default=0)
            """),
        Valid("""
            for key in list(cache):
                if cache[key].expired:
                    del cache[key]
            """),
        Valid("""
            for item in list(self.queue):
                self.queue.remove(item)
            """),
        Valid(
            """
            def close_all(self):
                for editor in list(self.editors):
                    editor.close()  # unregisters itself from self.editors
            """
        ),
        Valid("""
            for x in reversed([f(y) for y in ys]):
                print(x)
            """),
        Valid("""
            async def f(xs):
                return all([await ok(x) for x in xs])
            """),
        Valid("""
            def any(values):
                return False

            any([x for x in xs])
            """),
        Valid(
            """
            import dataclasses

            def names(record):
                for name in [f.name for f in dataclasses.fields(record)]:
                    print(name)
            """
        ),
        Valid("ready = all([check() for check in (disk_ok, network_ok, db_ok)])\n"),
        Valid(
            """
            def prune(tables, i):
                for key in list(tables[i]):
                    if tables[i][key] is None:
                        del tables[i][key]
            """
        ),
        Valid(
            """
            def lower_keys(groups, name):
                for key in list(groups[name]):
                    groups[name][key.lower()] = groups[name].pop(key)
            """
        ),
        Valid(
            """
            def drain(self):
                for key in list(self.pending[0]):
                    self.pending[0].discard(key)
            """
        ),
        Valid(
            """
            def doubled(values):
                for v in list(x * 2 for x in values):
                    values.append(v)
            """
        ),
        Valid(
            """
            def estimate(nodes, seed, trials):
                for i in [int(seed.random() * len(nodes)) for _ in range(trials)]:
                    print(seed.sample(nodes[i], 2))
            """
        ),
        Valid(
            """
            def edges(adjacency):
                for node, neighbours in adjacency.items():
                    for other in list(neighbours):  # the caller may remove edges meanwhile
                        yield node, other
            """
        ),
        Valid(
            """
            def replay(events):
                for line in [render(event) for event in events]:
                    emit(line)
            """
        ),
        Valid(
            """
            def pairs(keys, vals):
                for k, v in list(zip(keys, vals)):
                    forget(keys, k)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            if any([entry.stale for entry in entries]):
                refresh()
            """,
            line=1,
            confidence="low",
            fixed="""
            if any(entry.stale for entry in entries):
                refresh()
            """,
            unsafe=True,
        ),
        Invalid(
            """
            for name in [p.name for p in paths]:
                print(name)
            """,
            line=1,
            confidence="low",
            fixed="""
            for name in (p.name for p in paths):
                print(name)
            """,
            unsafe=True,
        ),
        Invalid(
            """
            for i, row in enumerate([parse(l) for l in lines], 1):
                print(i, row)
            """,
            line=1,
            confidence="low",
            fixed="""
            for i, row in enumerate((parse(l) for l in lines), 1):
                print(i, row)
            """,
            unsafe=True,
        ),
        Invalid(
            """
            for a, b in zip([x for x in xs], filter(None, [y for y in ys])):
                print(a, b)
            """,
            line=1,
            confidence="low",
            count=2,
            fixed="""
            for a, b in zip((x for x in xs), filter(None, (y for y in ys))):
                print(a, b)
            """,
            unsafe=True,
        ),
        Invalid(
            """
            import builtins as bi

            total = bi.sum([len(w) for w in words])
            """,
            line=3,
            confidence="low",
            fixed="""
            import builtins as bi

            total = bi.sum(len(w) for w in words)
            """,
            unsafe=True,
        ),
        Invalid(
            "ok = all([x.valid for x in xs],)\n",
            line=1,
            confidence="low",
            fixed="ok = all((x.valid for x in xs),)\n",
            unsafe=True,
        ),
        Invalid(
            """
            for key in list(config.keys()):
                print(key, config[key])
            for n in list(v * 2 for v in values):
                print(n)
            """,
            line=1,
            confidence="low",
            count=2,
            fixed="""
            for key in config.keys():
                print(key, config[key])
            for n in (v * 2 for v in values):
                print(n)
            """,
            unsafe=True,
        ),
        Invalid(
            """
            def emails(User):
                return set([u.email for u in User.objects.filter(active=True)])
            """,
            line=2,
            fixed="""
            def emails(User):
                return set(u.email for u in User.objects.filter(active=True))
            """,
            unsafe=True,
        ),
    ]

    def visit_For(self, node: cst.For) -> None:
        if node.asynchronous is not None:
            return
        for comp, parens in self._header_comprehensions(node.iter, parens=True):
            if not self._interleaved(comp, node.body):
                self._report_comprehension(comp, parens, "`for … in [...]`")
        source = self._list_call_argument(node.iter)
        if (
            source is not None
            and not self._interleaved(source, node.body)
            and not self._snapshot(node, source)
            and (
                graded := self._graded(
                    source,
                    node,
                    form="`for … in list(...)`",
                    alternative="iterate the iterable directly",
                )
            )
        ):
            self.report(
                node.iter,
                graded[0],
                replacement=_parenthesized(source),
                unsafe=True,
                confidence=graded[1],
            )

    def _graded(
        self, source: cst.BaseExpression, at: cst.CSTNode, **format_args: str
    ) -> tuple[str, Confidence] | None:
        """The message and confidence of a finding on a temporary list of ``source``'s
        items; ``None`` when ``source`` is bounded (a few items: nothing to save)."""
        confidence = finding_confidence(self, source, at)
        if confidence is None:
            return None
        message = self.message.format(**format_args)
        if confidence == "low":
            data = source.for_in.iter if isinstance(source, cst.ListComp) else source
            message += if_large(self, data)
        return message, confidence

    def _interleaved(self, source: cst.BaseExpression, body: cst.BaseSuite) -> bool:
        """Whether computing ``source`` lazily, interleaved with the loop ``body``, may
        change what either does: the body mutates what ``source`` reads, or both call
        something (``seed.random()`` in one and ``seed.sample()`` in the other)."""
        return _mutated(body, source) or (self._calls(source) and self._calls(body))

    def _calls(self, node: cst.CSTNode) -> bool:
        """Whether ``node`` runs code it does not show: a call to anything but a few
        harmless builtins, or a ``yield`` / ``await`` (the caller runs meanwhile)."""
        found = [node, *find_all(node, _HANDOVERS)]
        return any(
            not isinstance(call, cst.Call) or self.qualified_name(call) not in _HARMLESS_CALLS
            for call in found
            if isinstance(call, _HANDOVERS)
        )

    def _snapshot(self, loop: cst.For, source: cst.BaseExpression) -> bool:
        """Whether ``list(source)`` may be a deliberate snapshot that a call in the loop
        body could change: any call when ``source`` is reached through a name (``d``,
        ``self.items``, ``d[i]``, ``node.children()``), else a call handed something
        ``source`` reads (``f(xs)`` under ``for x in list(x for x in xs)``)."""
        if _root(source) is not None:
            return self._calls(loop.body)
        calls = [
            call
            for call in find_all(loop.body, cst.Call)
            if self.qualified_name(call) not in _HARMLESS_CALLS
        ]
        roots = names_read(source)
        return any(names_read(arg.value) & roots for call in calls for arg in call.args)

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
        graded = self._graded(comp, comp, form=form, alternative="use a generator expression")
        if graded is None:
            return
        self.report(
            comp,
            graded[0],
            replacement=_generator(comp, parens),
            unsafe=True,
            confidence=graded[1],
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


def _root(expression: cst.BaseExpression) -> str | None:
    """The name through which ``expression`` reaches an existing object: ``d`` for ``d``,
    ``d[i]``, ``d.keys()`` or ``d[i].get(k)``; ``None`` for a fresh value (``f(x)``, a
    comprehension, a literal)."""
    root = access_root(expression)
    return root.value if isinstance(root, cst.Name) else None


def _mutated(body: cst.CSTNode, source: cst.BaseExpression) -> bool:
    """Whether ``body`` may mutate what ``source`` iterates, judged conservatively by
    names: ``del``, an item or attribute store, an augmented assignment or a method call
    (other than a few readers) on anything rooted at a name that ``source`` reads.
    ``for k in list(d[i]): del d[i][k]`` needs its copy, and so does
    ``for v in list(x for x in xs): xs.append(v)``."""
    roots = names_read(source)
    for node in find_all(body, (cst.Call, cst.Del, cst.AssignTarget, cst.AugAssign)):
        if isinstance(node, cst.Call):
            if (
                isinstance(node.func, cst.Attribute)
                and node.func.attr.value not in _READERS
                and _root(node.func.value) in roots
            ):
                return True
        elif any(
            _root(target) in roots
            for target in _stored(node.target, in_place=isinstance(node, cst.AugAssign))
        ):
            return True
    return False


def _stored(target: cst.BaseExpression, in_place: bool) -> Iterator[cst.BaseExpression]:
    """The parts of an assignment or ``del`` target that change an existing object:
    items and attributes, and a plain name only when changed in place (``xs += ys``)."""
    if isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _stored(element.value, in_place)
    elif isinstance(target, cst.StarredElement):
        yield from _stored(target.value, in_place)
    elif in_place or not isinstance(target, cst.Name):
        yield target
