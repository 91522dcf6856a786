from __future__ import annotations

import libcst as cst

from ecolint import SCOPE_BOUNDARIES, Invalid, Rule, Valid, find_all, names_bound, names_read
from ecolint.lint.bounds import is_plausibly_large
from ecolint.results import Confidence
from ecolint_rules._syntax import contains as _has
from ecolint_rules._syntax import grouped as _grouped
from ecolint_rules.loops._loop_names import observed_outside, target_names

# What each way of adding an item builds.
_KINDS = {"append": "list", "add": "set", "[]": "dict"}
_COMPREHENSION = {
    "list": "list comprehension",
    "set": "set comprehension",
    "dict": "dict comprehension",
}
# Nodes that a comprehension cannot hold, or would evaluate in another scope.
_NOT_MOVABLE = (cst.Yield, cst.NamedExpr)
# Context managers that never swallow an exception (besides `open` methods and locks).
_PLAIN_CONTEXTS = frozenset(
    {
        "builtins.open",
        "io.open",
        "codecs.open",
        "gzip.open",
        "bz2.open",
        "lzma.open",
        "tarfile.open",
        "zipfile.ZipFile",
        "os.scandir",
        "tempfile.TemporaryDirectory",
        "tempfile.NamedTemporaryFile",
        "tempfile.TemporaryFile",
        "contextlib.nullcontext",
        "warnings.catch_warnings",
        "decimal.localcontext",
        "threading.Lock",
        "threading.RLock",
    }
)
# Expressions that need parentheses inside a comprehension clause.


class ManualCollectionBuild(Rule):
    """## What it does
    Flags a `for` loop whose body is exactly one `t.append(e)`, `t.add(e)` or `t[k] = v`
    (optionally under one `if` without `else`), when the statement just before the loop
    binds `t` to an empty list, set or dict (`[]`, `list()`, `set()`, `{}`, `dict()`).
    A loop over database rows, a file or an API result (a queryset, `cursor.fetchall()`)
    is graded low: fetching the rows dwarfs the saving.

    Nothing is reported when an exception raised midway through the loop can be caught
    around it in the same function and the code go on: a `try` whose handler does not
    end in `raise` or `return` (or reads `t`, as its `finally` may), or a `with` whose
    context manager may swallow exceptions (`suppress(StopIteration)`; only `open()`,
    locks and a few other well-known ones are trusted). The partly built `t` is then
    used, and a comprehension would leave it unbound (`UnboundLocalError`).

    ## Why is this wasteful?
    Each iteration looks up the method, calls it and grows the collection through the
    generic call protocol. A comprehension does the same work with a dedicated bytecode
    (`LIST_APPEND`, `SET_ADD`, `MAP_ADD`) and, from CPython 3.12, inlined in the function.

    ## Why opt-in
    Judged on 12 real applications (`bench/precision.md`), 0 of 10 sampled findings were worth a
    change: the saving is a constant 5-13 % of the loop's own overhead on CPython 3.11 (see
    Evidence), lost next to the work the loop body does (a query, a format, an API call). Enable
    it (`extend-select = ["ECO106"]`) for hot numeric loops you have profiled.

    ## Example
    ```python
    squares = []
    for x in numbers:
        if x > 0:
            squares.append(x * x)
    ```

    Use instead:
    ```python
    squares = [x * x for x in numbers if x > 0]
    ```

    ## Fix safety
    The fix is unsafe: the items are all computed before `t` is bound to them (if one
    raises, `t` is left unbound, or with its previous value, instead of partly filled),
    and the loop variable is no longer bound after the loop. It is offered only when `t`
    is not used anywhere else in the loop (its iterable, condition or item) nor declared
    `global` or `nonlocal`, the body has no comment, `yield` or `:=`, the loop variable
    is not read, deleted or shared outside the loop, and the loop is not in a class body
    (where a comprehension cannot see the class attributes). The fix turns `t = []` into
    `t = [e for x in xs]` (`t = list(xs)` for a plain copy) and removes the loop; when
    `t = []` shares its line with other statements the loop is replaced by the new
    assignment instead. (Keeping `t = []` and writing
    `t.extend([…])` was measured: the extra copy cancels the saving at n=10⁶.)

    ## Evidence
    `bench/rules/eco106_manual_collection_build.py` on a 2-core x86-64 VM (median of 7
    paired runs, `x * 2` per item), loop against the fixed code: CPython 3.11 1.13× at
    n=100, 1.07× at n=10⁴, 1.05× at n=10⁶; 3.12 1.28×, 1.12×, 1.09×; 3.13 1.29×, 1.16×,
    1.10×. A constant-factor saving that does not grow with n. `t.extend([…])` gave 1.05×,
    1.01×, 0.95× on 3.11.

    ## References
    - ruff PERF401 / PERF402 / PERF403, FURB142; perflint W8401 to W8403; creedengo GCI115
      (planned)
    """

    code = "ECO106"
    opt_in = True
    name = "manual-collection-build"
    impact = "low"
    message = "`{target}` is built item by item in a loop; use a {comprehension}"
    fix = "sometimes"
    fix_title = "Build the collection with a comprehension"
    VALID = [
        Valid(
            """
            def f(xs):
                out = []
                for x in xs:
                    out.append(x)
                    log(x)
            """
        ),
        Valid("""
            def f(xs, out):
                for x in xs:
                    out.append(x * 2)
                return out
            """),
        Valid(
            """
            def f(xs):
                out = [0]
                for x in xs:
                    out.append(x)
                return out
            """
        ),
        Valid("""
            def f(xs):
                out = []
                print(xs)
                for x in xs:
                    out.append(x)
            """),
        Valid(
            """
            def f(xs):
                seen = []
                for x in xs:
                    if x:
                        seen.append(x)
                    else:
                        seen.append(0)
                return seen
            """
        ),
        Valid("""
            def f(xs):
                out = {}
                for x in xs:
                    out.add(x)
                return out
            """),
        Valid(
            """
            async def f(xs):
                out = []
                async for x in xs:
                    out.append(x)
                return out
            """
        ),
        Valid(
            """
            from contextlib import suppress

            def heads(iterators):
                with suppress(StopIteration):
                    firsts = []
                    for it in iterators:
                        firsts.append(next(it))
                return firsts
            """
        ),
        Valid(
            """
            def numbers(lines):
                try:
                    found = set()
                    for line in lines:
                        found.add(int(line))
                except ValueError:
                    pass
                return found
            """
        ),
        Valid(
            """
            def load(rows):
                try:
                    index = {}
                    for key, row in rows:
                        index[key] = parse(row)
                except ValueError:
                    log(index)
                    raise
            """
        ),
        Valid(
            """
            def heads(pages):
                with client_session() as session:
                    titles = []
                    for page in pages:
                        titles.append(session.fetch(page))
                return titles
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            def emails(User):
                found = []
                for user in User.objects.filter(active=True):
                    found.append(user.email)
                return found
            """,
            line=3,
            fixed="""
            def emails(User):
                found = [user.email for user in User.objects.filter(active=True)]
                return found
            """,
            confidence="low",
            unsafe=True,
        ),
        Invalid(
            """
            def numbers(lines):
                try:
                    found = []
                    for line in lines:
                        found.append(int(line))
                except ValueError as error:
                    log(error)
                    raise
                return found
            """,
            line=4,
            fixed="""
            def numbers(lines):
                try:
                    found = [int(line) for line in lines]
                except ValueError as error:
                    log(error)
                    raise
                return found
            """,
            unsafe=True,
        ),
        Invalid(
            """
            def save(path, lines, lock):
                with lock, open(path, "w") as f:
                    rows = []
                    for line in lines:
                        rows.append(line.split(","))
                    f.write(repr(rows))
            """,
            line=4,
            fixed="""
            def save(path, lines, lock):
                with lock, open(path, "w") as f:
                    rows = [line.split(",") for line in lines]
                    f.write(repr(rows))
            """,
            unsafe=True,
        ),
        Invalid(
            """
            def register(names):
                global REGISTRY
                REGISTRY = {}
                for name in names:
                    REGISTRY[name] = build(name)
            """,
            line=4,
        ),
        Invalid(
            """
            def squares(numbers):
                result = []
                for x in numbers:
                    result.append(x * x)
                return result
            """,
            line=3,
            fixed="""
            def squares(numbers):
                result = [x * x for x in numbers]
                return result
            """,
            unsafe=True,
        ),
        Invalid(
            """
            def positive(numbers):
                kept = set()
                for n in numbers:
                    if n > 0:
                        kept.add(n)
                return kept
            """,
            line=3,
            fixed="""
            def positive(numbers):
                kept = {n for n in numbers if n > 0}
                return kept
            """,
            unsafe=True,
        ),
        Invalid(
            """
            index: dict = {}
            for key, row in rows: index[key] = row.id
            """,
            line=2,
            fixed="index: dict = {key: row.id for key, row in rows}\n",
            unsafe=True,
        ),
        Invalid(
            """
            def copy(rows):
                out = list()
                for row in rows:
                    out.append(row)
                return out
            """,
            line=3,
            fixed="""
            def copy(rows):
                out = list(rows)
                return out
            """,
            unsafe=True,
        ),
        Invalid(
            """
            def dedupe(xs):
                seen = []
                for x in xs:
                    if x not in seen:
                        seen.append(x)
                return seen
            """,
            line=3,
        ),
        Invalid(
            """
            code2op = {}
            for d in opcodes:
                code2op[d.code] = d
            del d
            """,
            line=2,
        ),
        Invalid(
            """
            def f(xs):
                out = []
                for x in xs:
                    # keep the order
                    out.append(x)
                return out
            """,
            line=3,
        ),
    ]

    def visit_For(self, node: cst.For) -> None:
        if node.asynchronous is not None or node.orelse is not None:
            return
        found = _single_addition(node.body)
        if found is None:
            return
        test, small = found
        added = _addition(small)
        if added is None:
            return
        target, how, parts = added
        kind = _KINDS[how]
        if not self._built_empty_just_before(node, target, kind):
            return
        if self._interruption_observed(node, target):
            return  # the comprehension would leave `target` unbound where the code goes on
        comprehension = _COMPREHENSION[kind]
        confidence: Confidence = "high"
        if is_plausibly_large(self, node.iter, node):  # rows from a query, a file, an API
            comprehension += " (a small saving next to fetching the rows)"
            confidence = "low"
        message = self.message.format(target=target, comprehension=comprehension)
        used = [node.iter, *parts] + ([test] if test is not None else [])
        if (
            any(target in names_read(part) for part in used)
            or target in names_bound(node)
            or any(_has(part, _NOT_MOVABLE) for part in used)
            or "#" in self.module.code_for_node(node.body)
            or any(observed_outside(self, node, name) for name in target_names(node.target))
            or _declared_shared(self.enclosing_scope(node), target)
        ):
            self.report(node, message, confidence=confidence)
            return
        copy = self.qualified_name(cst.Name(kind)) == f"builtins.{kind}"
        built = _built(node, test, kind, parts, copy)
        before = self._statement_before(node)
        assert before is not None  # checked by _built_empty_just_before
        if len(before.body) == 1:  # `t = []` becomes `t = [... for ...]`, the loop goes
            edits: dict[cst.CSTNode, cst.CSTNode] = {before: _rebind(before, built, node)}
            self.report(
                node,
                message,
                replacement=cst.RemoveFromParent(),
                unsafe=True,
                edits=edits,
                confidence=confidence,
            )
            return
        assign = cst.Assign([cst.AssignTarget(cst.Name(target))], built)
        statement = cst.SimpleStatementLine([assign], leading_lines=node.leading_lines)
        self.report(node, message, replacement=statement, unsafe=True, confidence=confidence)

    def _interruption_observed(self, loop: cst.For, target: str) -> bool:
        """Whether an exception raised midway through ``loop`` can be caught around it in
        its own scope and the code go on, so that the partly built ``target`` is seen:
        a comprehension would leave it unbound there (``UnboundLocalError``)."""
        child: cst.CSTNode = loop
        for ancestor in self.ancestors(loop):
            if isinstance(ancestor, SCOPE_BOUNDARIES):
                return False
            if child is getattr(ancestor, "body", None) and (
                (isinstance(ancestor, (cst.Try, cst.TryStar)) and _may_go_on(ancestor, target))
                or (
                    isinstance(ancestor, cst.With)
                    and not all(self._plain_context(item.item) for item in ancestor.items)
                )
            ):
                return True
            child = ancestor
        return False

    def _plain_context(self, manager: cst.BaseExpression) -> bool:
        """Whether a ``with`` item is known never to swallow an exception: ``open()``, a
        lock, a temporary directory… Any other context manager might (``suppress``)."""
        if isinstance(manager, cst.Call):
            if self.qualified_name(manager) in _PLAIN_CONTEXTS:
                return True
            manager = manager.func
        name = manager.attr.value if isinstance(manager, cst.Attribute) else None
        name = manager.value if isinstance(manager, cst.Name) else name
        return name is not None and (name == "open" or "lock" in name.lower())

    def _statement_before(self, node: cst.For) -> cst.SimpleStatementLine | None:
        suite = self.parent_of(node)
        body = getattr(suite, "body", None)
        if not isinstance(body, (list, tuple)):
            return None
        index = next((i for i, statement in enumerate(body) if statement is node), 0)
        before = body[index - 1] if index > 0 else None
        return before if isinstance(before, cst.SimpleStatementLine) else None

    def _built_empty_just_before(self, node: cst.For, target: str, kind: str) -> bool:
        before = self._statement_before(node)
        if before is None:
            return False
        last = before.body[-1]
        if isinstance(last, cst.Assign) and len(last.targets) == 1:
            bound, value = last.targets[0].target, last.value
        elif isinstance(last, cst.AnnAssign) and last.value is not None:
            bound, value = last.target, last.value
        else:
            return False
        return isinstance(bound, cst.Name) and bound.value == target and self._empty(value, kind)

    def _empty(self, value: cst.BaseExpression, kind: str) -> bool:
        if isinstance(value, cst.List):
            return kind == "list" and not value.elements
        if isinstance(value, cst.Dict):
            return kind == "dict" and not value.elements
        return (
            isinstance(value, cst.Call)
            and not value.args
            and (self.qualified_name(value) == f"builtins.{kind}")
        )


def _single_addition(body: cst.BaseSuite) -> tuple[cst.BaseExpression | None, object] | None:
    """The only small statement of a loop body, and the test of the one `if` around it."""
    statements = body.body if isinstance(body, cst.IndentedBlock) else [body]
    if len(statements) != 1:
        return None
    test = None
    if isinstance(statements[0], cst.If) and statements[0].orelse is None:
        test, statements = statements[0].test, [statements[0].body]
        if isinstance(statements[0], cst.IndentedBlock):
            statements = statements[0].body
    only = statements[0] if len(statements) == 1 else None
    if isinstance(only, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
        return (test, only.body[0]) if len(only.body) == 1 else None
    return None


def _addition(small: object) -> tuple[str, str, list[cst.BaseExpression]] | None:
    """`t.append(e)` / `t.add(e)` → (t, method, [e]); `t[k] = v` → (t, "[]", [k, v]).

    Plain isinstance checks, not ``libcst.matchers``: importing that module costs about
    0.2 s, which every ``ecolint`` start (a pre-commit hook) would pay."""
    if isinstance(small, cst.Expr) and isinstance(call := small.value, cst.Call):
        func, args = call.func, call.args
        if (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.attr.value in ("append", "add")
            and len(args) == 1
            and args[0].keyword is None
            and args[0].star == ""
        ):
            return func.value.value, func.attr.value, [args[0].value]
        return None
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        if (
            isinstance(target, cst.Subscript)
            and isinstance(target.value, cst.Name)
            and len(target.slice) == 1
            and isinstance(index := target.slice[0].slice, cst.Index)
            and index.star is None
        ):
            return target.value.value, "[]", [index.value, small.value]
    return None


def _built(
    node: cst.For,
    test: cst.BaseExpression | None,
    kind: str,
    parts: list[cst.BaseExpression],
    copy: bool,
) -> cst.BaseExpression:
    """The comprehension, or ``list(xs)`` when the loop copies ``xs`` as is."""
    if copy and test is None and kind != "dict" and parts[0].deep_equals(node.target):
        return cst.Call(cst.Name(kind), [cst.Arg(node.iter)])
    parts = [_grouped(part) for part in parts]
    ifs = [cst.CompIf(_grouped(test))] if test is not None else []
    for_in = cst.CompFor(target=node.target, iter=_grouped(node.iter), ifs=ifs)
    if kind == "list":
        return cst.ListComp(parts[0], for_in)
    if kind == "set":
        return cst.SetComp(parts[0], for_in)
    return cst.DictComp(parts[0], parts[1], for_in)


def _rebind(
    before: cst.SimpleStatementLine, built: cst.BaseExpression, loop: cst.For
) -> cst.SimpleStatementLine:
    """``t = []`` (or ``t: T = []``) with the comprehension as its value; the comments
    above the loop move up with it."""
    small = before.body[0]
    assert isinstance(small, (cst.Assign, cst.AnnAssign))
    leading = [*before.leading_lines, *loop.leading_lines]
    return before.with_changes(body=[small.with_changes(value=built)], leading_lines=leading)


def _may_go_on(node: cst.Try | cst.TryStar, target: str) -> bool:
    """Whether ``target`` can be seen after an exception in the body of ``node``: a
    handler that does not end in ``raise`` or ``return``, or one (or the ``finally``)
    that reads ``target``."""
    if node.finalbody is not None and target in names_read(node.finalbody):
        return True
    return any(
        not _ends_scope(handler.body) or target in names_read(handler) for handler in node.handlers
    )


def _ends_scope(block: cst.BaseSuite) -> bool:
    """Whether ``block`` ends with an unconditional ``raise`` or ``return``."""
    last = block.body[-1] if isinstance(block, cst.IndentedBlock) else block
    small = getattr(last, "body", None)
    return isinstance(small, (list, tuple)) and isinstance(small[-1], (cst.Raise, cst.Return))


def _declared_shared(scope: cst.CSTNode, name: str) -> bool:
    """Whether ``global name`` / ``nonlocal name`` makes a partly built ``name`` visible
    to the callers when the loop raises."""
    return any(
        item.name.value == name
        for statement in find_all(scope, (cst.Global, cst.Nonlocal))
        for item in statement.names
    )
