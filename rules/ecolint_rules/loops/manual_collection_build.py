from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, find_all, names_bound, names_read

# What each way of adding an item builds, and the method that adds a whole comprehension.
_KINDS = {"append": ("list", "extend"), "add": ("set", "update"), "[]": ("dict", "update")}
_COMPREHENSION = {"list": "list comprehension", "set": "set comprehension", "dict": "dict comprehension"}
# Nodes that a comprehension cannot hold, or would evaluate in another scope.
_NOT_MOVABLE = (cst.Yield, cst.NamedExpr)


class ManualCollectionBuild(Rule):
    """## What it does
    Flags a `for` loop whose body is exactly one `t.append(e)`, `t.add(e)` or `t[k] = v`
    (optionally under one `if` without `else`), when the statement just before the loop
    binds `t` to an empty list, set or dict (`[]`, `list()`, `set()`, `{}`, `dict()`).

    ## Why is this wasteful?
    Each iteration looks up the method, calls it and grows the collection through the
    generic call protocol. A comprehension does the same work with a dedicated bytecode
    (`LIST_APPEND`, `SET_ADD`, `MAP_ADD`) and, from CPython 3.12, inlined in the function.

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
    The fix is unsafe: the loop variable is no longer bound after the loop, and the
    items are computed before any of them is added. It is offered only when `t` is not
    used anywhere else in the loop (its iterable, condition or item) and the body has no
    comment, `yield` or `:=`. It keeps the empty binding and replaces the loop by one call
    that adds a whole comprehension (`t.extend([…])`, `t.update({…})`), so that the fix is
    a single edit; merging the two lines into `t = […]` is left to the reader.

    ## Evidence
    Not yet measured (`bench/rules/eco106_manual_collection_build.py`).

    ## References
    - ruff PERF401 / PERF402 / PERF403, FURB142; perflint W8401–W8403; creedengo GCI115
      (planned)
    """

    code = "ECO106"
    name = "manual-collection-build"
    message = "`{target}` is built item by item in a loop; use a {comprehension}"
    fix = "sometimes"
    VALID = [
        Valid("def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n        log(x)\n"),
        Valid("def f(xs, out):\n    for x in xs:\n        out.append(x * 2)\n    return out\n"),
        Valid("def f(xs):\n    out = [0]\n    for x in xs:\n        out.append(x)\n    return out\n"),
        Valid(
            "def f(xs):\n    out = []\n    print(xs)\n    for x in xs:\n        out.append(x)\n"
        ),
        Valid(
            "def f(xs):\n    seen = []\n    for x in xs:\n        if x:\n            seen.append(x)\n"
            "        else:\n            seen.append(0)\n    return seen\n"
        ),
        Valid("def f(xs):\n    out = {}\n    for x in xs:\n        out.add(x)\n    return out\n"),
        Valid(
            "async def f(xs):\n    out = []\n    async for x in xs:\n        out.append(x)\n"
            "    return out\n"
        ),
    ]
    INVALID = [
        Invalid(
            "def squares(numbers):\n    result = []\n    for x in numbers:\n"
            "        result.append(x * x)\n    return result\n",
            line=3,
            fixed="def squares(numbers):\n    result = []\n"
            "    result.extend([x * x for x in numbers])\n    return result\n",
        ),
        Invalid(
            "def positive(numbers):\n    kept = set()\n    for n in numbers:\n"
            "        if n > 0:\n            kept.add(n)\n    return kept\n",
            line=3,
            fixed="def positive(numbers):\n    kept = set()\n"
            "    kept.update({n for n in numbers if n > 0})\n    return kept\n",
        ),
        Invalid(
            "index: dict = {}\nfor key, row in rows: index[key] = row.id\n",
            line=2,
            fixed="index: dict = {}\nindex.update({key: row.id for key, row in rows})\n",
        ),
        Invalid(
            "def dedupe(xs):\n    seen = []\n    for x in xs:\n        if x not in seen:\n"
            "            seen.append(x)\n    return seen\n",
            line=3,
        ),
        Invalid(
            "def f(xs):\n    out = []\n    for x in xs:\n        # keep the order\n"
            "        out.append(x)\n    return out\n",
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
        kind, method = _KINDS[how]
        if not self._built_empty_just_before(node, target, kind):
            return
        args = {"target": target, "comprehension": _COMPREHENSION[kind]}
        used = [node.iter, *parts] + ([test] if test is not None else [])
        if (
            any(target in names_read(part) for part in used)
            or target in names_bound(node)
            or any(find_all(part, _NOT_MOVABLE) for part in used)
            or "#" in self.module.code_for_node(node.body)
        ):
            self.report(node, **args)
            return
        self.report(node, replacement=_fix(node, test, target, kind, method, parts), unsafe=True, **args)

    def _built_empty_just_before(self, node: cst.For, target: str, kind: str) -> bool:
        suite = self.parent_of(node)
        body = getattr(suite, "body", None)
        if not isinstance(body, (list, tuple)):
            return False
        index = next((i for i, statement in enumerate(body) if statement is node), 0)
        before = body[index - 1] if index > 0 else None
        if not isinstance(before, cst.SimpleStatementLine):
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
        return isinstance(value, cst.Call) and not value.args and (
            self.qualified_name(value) == f"builtins.{kind}"
        )


def _single_addition(
    body: cst.BaseSuite,
) -> tuple[cst.BaseExpression | None, cst.BaseSmallStatement] | None:
    """The only small statement of a loop body, and the test of the one `if` around it."""
    small = _only_small_statement(body)
    if small is not None:
        return None, small
    if isinstance(body, cst.IndentedBlock) and len(body.body) == 1:
        statement = body.body[0]
        if isinstance(statement, cst.If) and statement.orelse is None:
            small = _only_small_statement(statement.body)
            if small is not None:
                return statement.test, small
    return None


def _only_small_statement(body: cst.BaseSuite) -> cst.BaseSmallStatement | None:
    if isinstance(body, cst.IndentedBlock):
        if len(body.body) != 1 or not isinstance(body.body[0], cst.SimpleStatementLine):
            return None
        body = body.body[0]
    smalls = body.body
    return smalls[0] if len(smalls) == 1 else None  # type: ignore[return-value]


def _addition(
    small: cst.BaseSmallStatement,
) -> tuple[str, str, list[cst.BaseExpression]] | None:
    """`t.append(e)` / `t.add(e)` → (t, method, [e]); `t[k] = v` → (t, "[]", [k, v])."""
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        call = small.value
        func = call.func
        if (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.attr.value in ("append", "add")
            and len(call.args) == 1
            and call.args[0].keyword is None
            and not call.args[0].star
        ):
            return func.value.value, func.attr.value, [call.args[0].value]
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        if (
            isinstance(target, cst.Subscript)
            and isinstance(target.value, cst.Name)
            and len(target.slice) == 1
            and isinstance(target.slice[0].slice, cst.Index)
            and target.slice[0].slice.star is None
        ):
            return target.value.value, "[]", [target.slice[0].slice.value, small.value]
    return None


def _fix(
    node: cst.For,
    test: cst.BaseExpression | None,
    target: str,
    kind: str,
    method: str,
    parts: list[cst.BaseExpression],
) -> cst.SimpleStatementLine:
    ifs = [cst.CompIf(test)] if test is not None else []
    for_in = cst.CompFor(target=node.target, iter=node.iter, ifs=ifs)
    comprehension: cst.BaseExpression
    if kind == "list":
        comprehension = cst.ListComp(parts[0], for_in)
    elif kind == "set":
        comprehension = cst.SetComp(parts[0], for_in)
    else:
        comprehension = cst.DictComp(parts[0], parts[1], for_in)
    call = cst.Call(cst.Attribute(cst.Name(target), cst.Name(method)), [cst.Arg(comprehension)])
    return cst.SimpleStatementLine([cst.Expr(call)], leading_lines=node.leading_lines)
