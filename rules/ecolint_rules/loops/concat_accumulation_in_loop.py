from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, children, descendants, simple_assignments

_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
_LOCAL_MESSAGE = (
    "`{target}` grows by concatenation in a loop; only CPython's in-place trick for str "
    "locals avoids a full copy each time: collect the parts and `{joiner}.join` them"
)


class ConcatAccumulationInLoop(Rule):
    """## What it does
    Flags `x += part` and `x = x + part` inside a loop when `x` is bound to a bytes literal,
    or is an attribute, subscript, `global` or `nonlocal` bound to a string. A plain local
    bound to a str (literal, f-string or `str()` call) is reported at the lower `info`
    severity. Bindings are read from plain assignments in the enclosing scope (the class,
    for `self.x`); a target of unknown type is not reported.

    ## Why is this wasteful?
    Strings and bytes are immutable, so each concatenation allocates a new object and
    copies everything accumulated so far: O(n²) bytes copied for n parts. CPython extends a
    str in place only when it is a local (or module name) referenced exactly once; that
    trick never applies to bytes, attributes, subscripts or cells (from 3.12, nor to globals)
    and does not exist on PyPy.

    ## Example
    ```python
    def pack(chunks):
        out = b""
        for chunk in chunks:
            out += chunk
        return out
    ```

    Use instead:
    ```python
    def pack(chunks):
        return b"".join(chunks)
    ```

    ## Evidence
    `bench/rules/eco102_concat_accumulation_in_loop.py` on this 2-core machine (CPython
    3.11, median of 7 paired runs, n parts of 10 characters, against `append` + `join`):
    bytes local 3.2x at n=100, 56x at n=10⁴, 460x at n=10⁵; str attribute 4.3x, 66x, 607x;
    str local (the `info` case) 1.75x, 1.85x, 1.9x, flat: the in-place trick avoids the
    quadratic copy there. n=10⁶ was not run (one quadratic run would take minutes).

    ## References
    - creedengo GCI105 (narrowed to loops); GL007
    """

    code = "ECO102"
    name = "concat-accumulation-in-loop"
    impact = "high"
    message = (
        "`{target}` grows by concatenation in a loop, copying the whole {kind} each time; "
        "collect the parts and `{joiner}.join` them"
    )
    VALID = [
        Valid('text = ""\ntext += "done"\n'),
        Valid("def total(xs):\n    n = 0\n    for x in xs:\n        n += x\n    return n\n"),
        Valid("def f(s, xs):\n    for x in xs:\n        s += x\n    return s\n"),
        Valid(
            "def f(xs):\n    for x in xs:\n        def g():\n"
            '            s = ""\n            s += x\n            return s\n'
        ),
        Valid('def f(xs):\n    s = ""\n    for x in xs:\n        s = x + s\n    return s\n'),
    ]
    INVALID = [
        Invalid(
            'def pack(chunks):\n    out = b""\n    for chunk in chunks:\n'
            "        out += chunk\n    return out\n",
            line=4,
        ),
        Invalid(
            'def render(rows):\n    html = ""\n    for row in rows:\n'
            '        html = html + f"<tr>{row}</tr>" + "\\n"\n    return html\n',
            line=4,
        ),
        Invalid(
            "class Report:\n    def __init__(self):\n        self.text = str()\n\n"
            "    def add(self, lines):\n        while lines:\n"
            "            self.text += lines.pop()\n",
            line=7,
        ),
        Invalid(
            'log = ""\n\ndef record(events):\n    global log\n    for e in events:\n'
            "        log += e.name\n",
            line=6,
        ),
        Invalid(
            'def outer(items):\n    buf = b"" b"\\x00"\n    def feed():\n        nonlocal buf\n'
            "        for item in items:\n            buf += item\n    feed()\n    return buf\n",
            line=6,
        ),
        Invalid(
            'def index(words):\n    seen = {}\n    seen["all"] = ""\n    for w in words:\n'
            '        seen["all"] += w\n        seen["all"] += " "\n    return seen\n',
            line=5,
            count=2,
        ),
    ]

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.operator, cst.AddAssign):
            self._check(node, node.target)

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1 or not isinstance(node.value, cst.BinaryOperation):
            return
        left: cst.BaseExpression = node.value
        while isinstance(left, cst.BinaryOperation) and isinstance(left.operator, cst.Add):
            left = left.left
        target = node.targets[0].target
        if left is not node.value and left.deep_equals(target):
            self._check(node, target)

    def _check(self, node: cst.CSTNode, target: cst.BaseExpression) -> None:
        if not self.in_loop(node):
            return
        if isinstance(target, cst.Name):
            where, values = self._name_bindings(node, target.value)
        elif isinstance(target, (cst.Attribute, cst.Subscript)):
            where, values = "item", self._target_bindings(node, target)
        else:
            return
        kinds = {_string_kind(self, value) for value in values}
        kind = "bytes" if "bytes" in kinds else "str" if "str" in kinds else None
        if kind is None:
            return
        joiner = 'b""' if kind == "bytes" else '""'
        text = self.module.code_for_node(target)
        if kind == "str" and where == "local":
            message = _LOCAL_MESSAGE.format(target=text, joiner=joiner)
            self.report(node, message, severity="info")
        else:
            self.report(node, target=text, kind=kind, joiner=joiner)

    def _name_bindings(self, node: cst.CSTNode, name: str) -> tuple[str, list]:
        """Where ``name`` lives (local, global, nonlocal) and the values bound to it there."""
        scope = self.enclosing_scope(node)
        if not isinstance(scope, cst.FunctionDef):
            return "global", simple_assignments(scope, name)
        declared = _declaration(scope, name)
        if declared == "global":
            return "global", simple_assignments(self.module, name)
        if declared == "nonlocal":
            outer = self.ancestors(scope)
            for function in (a for a in outer if isinstance(a, cst.FunctionDef)):
                values = simple_assignments(function, name)
                if values:
                    return "nonlocal", values
            return "nonlocal", []
        return "local", simple_assignments(scope, name)

    def _target_bindings(self, node: cst.CSTNode, target: cst.BaseExpression) -> list:
        """Values of ``target = value`` in the enclosing scope, or in the whole class when
        the scope is a method (``self.x`` is usually set in ``__init__``)."""
        scope = self.enclosing_scope(node)
        if isinstance(scope, cst.FunctionDef):
            owner = next((a for a in self.ancestors(scope) if isinstance(a, _SCOPES)), None)
            if isinstance(owner, cst.ClassDef):
                scope = owner
        values = []
        for statement in descendants(scope):
            if isinstance(statement, cst.Assign):
                if any(t.target.deep_equals(target) for t in statement.targets):
                    values.append(statement.value)
            elif (
                isinstance(statement, cst.AnnAssign)
                and statement.value is not None
                and statement.target.deep_equals(target)
            ):
                values.append(statement.value)
        return values


def _declaration(function: cst.FunctionDef, name: str) -> str | None:
    """``"global"`` / ``"nonlocal"`` if ``function`` itself declares ``name`` so."""
    stack = list(children(function.body))
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.Global, cst.Nonlocal)):
            if any(item.name.value == name for item in current.names):
                return "global" if isinstance(current, cst.Global) else "nonlocal"
        elif not isinstance(current, _SCOPES):
            stack.extend(children(current))
    return None


def _string_kind(rule: Rule, value: cst.BaseExpression) -> str | None:
    """``"bytes"`` for a bytes literal, ``"str"`` for a str literal, f-string or `str()`."""
    while isinstance(value, cst.ConcatenatedString):
        value = value.left
    if isinstance(value, cst.SimpleString):
        return "bytes" if "b" in value.prefix.lower() else "str"
    if isinstance(value, cst.FormattedString):
        return "str"
    if isinstance(value, cst.Call) and rule.qualified_name(value) == "builtins.str":
        return "str"
    return None
