from __future__ import annotations

import builtins
import keyword

import libcst as cst

from ecolint import (
    Invalid,
    Rule,
    Valid,
    dotted_name,
    find_all,
    names_bound,
    names_read,
)
from ecolint_rules._syntax import range_len_argument
from ecolint_rules.loops._loop_names import observed_outside, read_outside

# Statements whose one `target` field is what they bind, and all the binders.
_TARGET_BINDERS = (cst.AugAssign, cst.AnnAssign, cst.Del, cst.For, cst.CompFor)
_BINDERS = (cst.Assign, cst.WithItem, *_TARGET_BINDERS)


class RangeLenIndexing(Rule):
    """## What it does
    Flags `for i in range(len(seq)):` when every use of `i` in the body is a read of
    `seq[i]` and the body does not rebind `seq`. A loop whose index is read after it
    (a search that keeps the position) is not reported, nor is indexing the instance
    itself in a method (`for i in range(len(self)): yield self[i]`): that is how an
    `__iter__` is written over `__getitem__`, and `for x in self` there would call
    `__iter__` again, recursing forever. Modules that import `cython` are skipped: Cython
    compiles a typed index loop to a C loop, faster than iterating the sequence.

    ## Why is this wasteful?
    Each iteration creates an index integer, looks `seq` up again and calls `__getitem__`
    with a bounds check, on top of the `len` call and the `range` object; iterating over
    `seq` hands out the elements directly.

    ## Why opt-in
    Judged on 12 real applications (`bench/precision.md`), its findings were not worth a change:
    the saving is a constant factor of the indexing (1.2-1.7x, see Evidence) on loops whose body
    dominates. Enable it (`extend-select = ["ECO108"]`) for loops you have profiled.

    ## Example
    ```python
    for i in range(len(points)):
        draw(points[i])
    ```

    Use instead:
    ```python
    for point in points:
        draw(point)
    ```

    ## Fix safety
    The fix is safe: it is offered only when `seq` appears in the body in `seq[i]` reads
    and nowhere else (so the loop cannot change its length), `i` is not deleted, declared
    `global`/`nonlocal` or visible through `locals()`, and the loop is not in a class
    body. The element gets the singular of the sequence's name when it is free in the
    scope (`points` → `point`), else `item`, `item_1`, …

    ## Evidence
    `bench/rules/eco108_range_len_indexing.py` on a 2-core x86-64 VM (CPython 3.11,
    median of 7 paired runs, summing a list of floats): 1.21× at n=100, 1.69× at n=10⁴,
    1.44× at n=10⁶. A constant-factor saving.

    ## References
    - creedengo GCI114 (planned); ruff PLR1736, FURB148
    """

    code = "ECO108"
    opt_in = True
    name = "range-len-indexing"
    impact = "low"
    message = "`{index}` only indexes `{seq}`; iterate over `{seq}` itself"
    fix = "sometimes"
    fix_title = "Iterate over the sequence itself"
    VALID = [
        Valid("""
            for i in range(len(xs)):
                print(i, xs[i])
            """),
        Valid("""
            for i in range(len(xs)):
                xs[i] = 0
            """),
        Valid("""
            for i in range(len(xs)):
                xs = xs[1:]
                print(xs[i])
            """),
        Valid("""
            for i in range(1, len(xs)):
                print(xs[i])
            """),
        Valid("""
            for i in range(len(xs)):
                print(ys[i])
            """),
        Valid(
            """
            def find(xs, x):
                for i in range(len(xs)):
                    if xs[i] == x:
                        break
                return i
            """
        ),
        Valid("""
            def range(n):
                return [0]
            for i in range(len(xs)):
                print(xs[i])
            """),
        Valid(
            """
            try:
                import cython
            except ImportError:
                cython = None

            def unique(rows):
                i: cython.Py_ssize_t
                for i in range(len(rows)):
                    keep(rows[i])
            """
        ),
        Valid(
            """
            class Path:
                def __iter__(self):
                    for i in range(len(self)):
                        yield self[i]
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            def total(prices):
                s = 0
                for i in range(len(prices)):
                    s += prices[i] * 2
                return s
            """,
            line=3,
            fixed="""
            def total(prices):
                s = 0
                for price in prices:
                    s += price * 2
                return s
            """,
        ),
        Invalid(
            """
            class Shape:
                def draw(self, item):
                    for k in range(len(self.points)):
                        if self.points[k].visible:
                            plot(self.points[k])
            """,
            line=3,
            fixed="""
            class Shape:
                def draw(self, item):
                    for point in self.points:
                        if point.visible:
                            plot(point)
            """,
        ),
        Invalid(
            """
            from builtins import len as size
            for i in range(size(data)):
                print(data[i])
            """,
            line=2,
            fixed="""
            from builtins import len as size
            for item in data:
                print(item)
            """,
        ),
        Invalid(
            """
            def f(queue):
                for i in range(len(queue)):
                    print(queue[i])
                    queue.append(0)
            """,
            line=2,
        ),
        Invalid(
            """
            def f(xs):
                for i in range(len(xs)):
                    print(xs[i])
                del i
            """,
            line=2,
        ),
    ]

    def visit_For(self, node: cst.For) -> None:
        if node.asynchronous is not None or not isinstance(node.target, cst.Name):
            return
        seq_node = range_len_argument(self, node.iter)
        seq = dotted_name(seq_node) if seq_node is not None else None
        if seq is None or seq == self._instance_name(node) or self.imports.imports_module("cython"):
            return
        index = node.target.value
        stores = _store_targets(node.body)
        reads = [
            sub
            for sub in find_all(node.body, cst.Subscript)
            if id(sub) not in stores and _indexes(sub, seq, index)
        ]
        if not reads:
            return
        replaced = {id(sub) for sub in reads}
        body = _Replace(replaced, f"{index}__element").apply(node.body)  # a probe name
        if index in names_read(body) or index in names_bound(node.body):
            return  # `i` is used for something else than `seq[i]`
        if read_outside(self, node, index):
            return  # the position is needed after the loop (a search)
        if seq.split(".")[0] in names_bound(node.body) or any(
            _within(seq, target) for target in stores.values()
        ):
            return  # `seq` is rebound in the loop
        message = self.message.format(index=index, seq=seq)
        mentioned = any(
            _within(dotted_name(n), seq) for n in find_all(body, (cst.Name, cst.Attribute))
        )
        if mentioned or observed_outside(self, node, index):
            self.report(node, message)
            return
        element = self._free_name(node, seq)
        body = _Replace(replaced, element).apply(node.body)
        fixed = node.with_changes(target=cst.Name(element), iter=seq_node, body=body)
        self.report(node, message, replacement=fixed)

    def _instance_name(self, loop: cst.For) -> str | None:
        """The first parameter (``self``) of the method around ``loop``, if any."""
        function = self.enclosing_function(loop)
        if not isinstance(function, cst.FunctionDef) or not function.params.params:
            return None
        owner = self.parent_of(function)
        if isinstance(owner, cst.IndentedBlock):
            owner = self.ancestors(function)[1]
        if not isinstance(owner, cst.ClassDef):
            return None
        return function.params.params[0].name.value

    def _free_name(self, loop: cst.For, seq: str) -> str:
        scope = self.enclosing_scope(loop)
        taken = names_read(scope) | names_bound(scope)
        singular = _singular(seq.rsplit(".", 1)[-1])
        if singular and singular not in taken:
            return singular
        name, number = "item", 0
        while name in taken:
            number += 1
            name = f"item_{number}"
        return name


class _Replace(cst.CSTTransformer):
    """Replaces the given subscripts (by identity) with a name."""

    def __init__(self, ids: set[int], name: str) -> None:
        super().__init__()
        self.ids, self.name = ids, name

    def leave_Subscript(
        self, original_node: cst.Subscript, updated_node: cst.Subscript
    ) -> cst.BaseExpression:
        if id(original_node) in self.ids:
            return cst.Name(self.name, lpar=original_node.lpar, rpar=original_node.rpar)
        return updated_node

    def apply(self, suite: cst.BaseSuite) -> cst.BaseSuite:
        """``suite`` with the subscripts replaced (a suite stays a suite)."""
        replaced = suite.visit(self)
        assert isinstance(replaced, cst.BaseSuite), "only subscripts are replaced"
        return replaced


def _indexes(sub: cst.Subscript, seq: str, index: str) -> bool:
    """Whether ``sub`` is ``seq[index]``."""
    if len(sub.slice) != 1 or dotted_name(sub.value) != seq:
        return False
    item = sub.slice[0].slice
    return (
        isinstance(item, cst.Index)
        and item.star is None
        and isinstance(item.value, cst.Name)
        and item.value.value == index
    )


def _store_targets(body: cst.CSTNode) -> dict[int, str | None]:
    """Every expression assigned or deleted in ``body``: ``id`` → its dotted name."""
    found: dict[int, str | None] = {}
    for binder in find_all(body, _BINDERS):
        pending: list[cst.BaseExpression] = []
        if isinstance(binder, cst.Assign):
            pending = [target.target for target in binder.targets]
        elif isinstance(binder, cst.WithItem):
            pending = [binder.asname.name] if binder.asname else []
        elif isinstance(binder, _TARGET_BINDERS):
            pending = [binder.target]
        while pending:
            target = pending.pop()
            if isinstance(target, (cst.Tuple, cst.List)):
                pending.extend(element.value for element in target.elements)
            elif isinstance(target, cst.StarredElement):
                pending.append(target.value)
            else:
                found[id(target)] = dotted_name(target)
    return found


def _within(name: str | None, outer: str | None) -> bool:
    """Whether the dotted ``name`` is ``outer`` or an attribute of it."""
    if not name or not outer:
        return False
    return name == outer or name.startswith(f"{outer}.")


def _singular(word: str) -> str | None:
    """A likely singular of a plural identifier (``points`` → ``point``), else ``None``."""
    if word.endswith("ies") and len(word) > 4:
        singular = word[:-3] + "y"
    elif word.endswith(("sses", "xes", "ches", "shes")):
        singular = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 1:
        singular = word[:-1]
    else:
        return None
    if keyword.iskeyword(singular) or hasattr(builtins, singular) or not singular.isidentifier():
        return None
    return singular
