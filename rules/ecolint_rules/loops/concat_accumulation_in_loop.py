from __future__ import annotations

import libcst as cst

from ecolint import (
    SCOPE_BOUNDARIES,
    Invalid,
    Rule,
    Valid,
    descendants,
    dotted_name,
    find_all,
)
from ecolint.lint.analysis import (
    access_root,
    assignments,
    bound_names,
    enclosing_loops,
    memoised,
    statements,
    target_assignments,
)
from ecolint.lint.bounds import loop_is_bounded

_CUTS = frozenset({"split", "rsplit", "partition", "rpartition", "splitlines"})
_SPLIT_LOCAL_MESSAGE = (
    "`{target}` grows by concatenation in a loop, copying the whole str each time "
    "(`s = s + a + b` escapes CPython's in-place append; `s += a + b` would not); quadratic "
    "only if the loop runs many times, which the rule cannot see"
)
_LOCAL_MESSAGE = (
    "`{target}` grows by concatenation in a loop; CPython extends a str local in place, so "
    "this stays linear there (`{joiner}.join` measured 1.8x faster, not more)"
)


class ConcatAccumulationInLoop(Rule):
    """## What it does
    Flags `x += part` and `x = x + part` inside a loop when `x` is bound to a bytes literal,
    or is an attribute, subscript, `global` or `nonlocal` bound to a string. A plain local
    bound to a str (literal, f-string or `str()` call) is reported at the lower `info`
    severity and low confidence (hidden by default): CPython's in-place append keeps it
    linear, so the change saves a constant factor only. Not so for `s = s + a + b`: the
    first `+` is not followed by the store, the trick cannot apply, and the local is
    reported like the rest. Bindings are read from plain assignments in the enclosing
    scope (the class, for `self.x`); a target of unknown type is not reported.

    Nothing is reported when the target cannot grow with the input: every loop repeating
    the concatenation is bounded (`for part in ("a", "b")`, `range(3)`, a guarded
    `len(x) == 1`), or a loop starts each iteration afresh (`s = ""` ahead of it in the
    loop body), or cuts the buffer back (`buf = buf[i:]`, `line, buf = buf.split("\\n", 1)`,
    `buf = b""` once flushed), as a line splitter does.

    ## Why opt-in
    Judged on the real-application corpus (`bench/precision.md`): 2 of 15 shown findings
    were worth a change (a scraped page and a metrics registry joined chunk by chunk). The
    others grew over a few pieces by construction: a handshake read to a fixed length, a
    varint, a buffer flushed at 512 bytes, the tags of one heading in a `__repr__`, a short
    audio clip, a file name read byte by byte. The exemptions that followed (buffers
    compared with a length, bit loops, str locals graded low, an object rebound each
    iteration) leave 2 of 5: still under half, because the cost is quadratic only in the
    number of pieces, which the rule cannot see. Enable it (`extend-select = ["ECO102"]`)
    to review loops that read whole streams or files piece by piece.

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
    `bench/rules/eco102_concat_accumulation_in_loop.py` on a 2-core x86-64 VM (CPython
    3.11, median of 7 paired runs, n parts of 10 characters, against `append` + `join`):
    bytes local 3.2x at n=100, 56x at n=10⁴, 460x at n=10⁵; str attribute 4.3x, 66x, 607x;
    str local (the `info` case) 1.75x, 1.85x, 1.9x, flat: the in-place trick avoids the
    quadratic copy there. n=10⁶ was not run (one quadratic run would take minutes). A str
    local written `s = s + part + "\n"` gets no such help: 0.24 s at n=10⁴ and 54 s at
    n=10⁵, against 0.0008 s and 0.0072 s for `s += part + "\n"` (one run each, same machine).
    Such a local is still graded `low`: on the real-application corpus it built a `__repr__`
    from the few tags of one object, and the rule cannot see how many parts there are.

    ## References
    - creedengo GCI105 (narrowed to loops); GL007
    """

    code = "ECO102"
    name = "concat-accumulation-in-loop"
    impact = "high"
    opt_in = True
    message = (
        "`{target}` grows by concatenation in a loop, copying the whole {kind} each time; "
        "collect the parts and `{joiner}.join` them"
    )
    VALID = [
        Valid(
            """
            def receive(sock, amount):
                data = b""
                while len(data) < amount:
                    data += sock.recv(amount - len(data))
                return data
            """
        ),
        Valid(
            """
            def encode_varint(value):
                bits = value & 0x7F
                value >>= 7
                result = b""
                while value:
                    result += bytes([0x80 | bits])
                    bits = value & 0x7F
                    value >>= 7
                return result + bytes([bits])
            """
        ),
        Valid(
            """
            async def stream(events, buffer, flush):
                buffer.content = ""
                async for event in events:
                    buffer.content += str(event)
                    if len(buffer.content) >= 512:
                        await flush()
            """
        ),
        Valid(
            """
            def merge_punctuations(alignment, appended):
                for previous in alignment[:1]:
                    previous.word = ""
                i, j = 0, 1
                while j < len(alignment):
                    previous = alignment[i]
                    following = alignment[j]
                    if following.word in appended:
                        previous.word = previous.word + following.word
                        following.word = ""
                    else:
                        i = j
                    j += 1
            """
        ),
        Valid("""
            text = ""
            text += "done"
            """),
        Valid("""
            def total(xs):
                n = 0
                for x in xs:
                    n += x
                return n
            """),
        Valid("""
            def f(s, xs):
                for x in xs:
                    s += x
                return s
            """),
        Valid(
            """
            def f(xs):
                for x in xs:
                    def g():
                        s = ""
                        s += x
                        return s
            """
        ),
        Valid("""
            def f(xs):
                s = ""
                for x in xs:
                    s = x + s
                return s
            """),
        Valid(
            """
            def request_line():
                out = b""
                for part in (b"GET ", b"/ ", b"HTTP/1.1"):
                    out += part
                return out
            """
        ),
        Valid(
            """
            def lines(chunks):
                buf = b""
                for chunk in chunks:
                    buf += chunk
                    while b"\\n" in buf:
                        line, buf = buf.split(b"\\n", 1)
                        yield line
            """
        ),
        Valid(
            """
            def records(chunks):
                buf = b""
                for chunk in chunks:
                    buf = buf + chunk
                    end = buf.find(b";")
                    if end >= 0:
                        yield buf[:end]
                        buf = buf[end + 1 :]
            """
        ),
        Valid(
            """
            class Table:
                def render(self, rows):
                    for row in rows:
                        self.line = ""
                        self.line += row.name
                        self.line += row.value
                        self.emit(self.line)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            def pack(chunks):
                out = b""
                for chunk in chunks:
                    out += chunk
                return out
            """,
            line=4,
        ),
        Invalid(
            'def render(rows):\n    html = ""\n    for row in rows:\n'
            '        html = html + f"<tr>{row}</tr>" + "\\n"\n    return html\n',
            line=4,
            confidence="low",
        ),
        Invalid(
            """
            class Report:
                def __init__(self):
                    self.text = str()

                def add(self, lines):
                    while lines:
                        self.text += lines.pop()
            """,
            line=7,
        ),
        Invalid(
            """
            log = ""

            def record(events):
                global log
                for e in events:
                    log += e.name
            """,
            line=6,
        ),
        Invalid(
            'def outer(items):\n    buf = b"" b"\\x00"\n    def feed():\n        nonlocal buf\n'
            "        for item in items:\n            buf += item\n    feed()\n    return buf\n",
            line=6,
        ),
        Invalid(
            """
            def index(words):
                seen = {}
                seen["all"] = ""
                for w in words:
                    seen["all"] += w
                    seen["all"] += " "
                return seen
            """,
            line=5,
            count=2,
        ),
        Invalid(
            """
            def pages(tables):
                for table in tables:
                    html = b""
                    for row in table.rows:
                        html += row.encode()
                    yield html
            """,
            line=5,
        ),
        Invalid(
            """
            def pack(records):
                out = b""
                for record in records:
                    for field in ("id", "name"):
                        out += record[field]
                return out
            """,
            line=5,
        ),
    ]

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.operator, cst.AddAssign):
            self._check(node, node.target)

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1 or not isinstance(node.value, cst.BinaryOperation):
            return
        left: cst.BaseExpression = node.value
        terms = 0
        while isinstance(left, cst.BinaryOperation) and isinstance(left.operator, cst.Add):
            left = left.left
            terms += 1
        target = node.targets[0].target
        if left is not node.value and left.deep_equals(target):
            # `s = s + a + b`: the first `+` is not followed by the store, so CPython's
            # in-place append cannot apply and even a str local is copied every time.
            self._check(node, target, in_place_possible=terms == 1)

    def _check(
        self, node: cst.CSTNode, target: cst.BaseExpression, in_place_possible: bool = True
    ) -> None:
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
        if kind is None or not self._grows_across_iterations(node, target):
            return
        joiner = 'b""' if kind == "bytes" else '""'
        text = self.module.code_for_node(target)
        if kind == "str" and where == "local" and in_place_possible:
            message = _LOCAL_MESSAGE.format(target=text, joiner=joiner)
            self.report(node, message, severity="info", confidence="low")
        elif kind == "str" and where == "local":
            self.report(node, _SPLIT_LOCAL_MESSAGE.format(target=text), confidence="low")
        else:
            self.report(node, target=text, kind=kind, joiner=joiner)

    def _grows_across_iterations(self, node: cst.CSTNode, target: cst.BaseExpression) -> bool:
        """Whether a loop keeps ``target`` growing with its input: going outwards through
        the loops that repeat ``node``, one that is not bounded comes before any that
        starts each iteration afresh (``s = ""`` ahead of ``node`` in its body) or cuts
        the buffer back (``buf = buf[i:]``, ``line, buf = buf.split("\\n", 1)``)."""
        ancestors = self.ancestors(node)
        root = access_root(target) if not isinstance(target, cst.Name) else None
        for loop in enclosing_loops(node, ancestors):
            if isinstance(root, cst.Name) and root.value in bound_names(self, loop):
                return False  # `item.text += s` with `item` rebound: another object each time
            body = getattr(loop, "body", None)
            if isinstance(body, cst.BaseSuite) and (
                _reset_before(body, node, target, ancestors) or _cut_back(body, target)
            ):
                return False
            if _length_capped(loop, target) or _shifts_to_zero(loop):
                return False
            if not loop_is_bounded(self, loop):
                return True
        return False

    def _name_bindings(self, node: cst.CSTNode, name: str) -> tuple[str, list]:
        """Where ``name`` lives (local, global, nonlocal) and the values bound to it there."""
        scope = self.enclosing_scope(node)
        if not isinstance(scope, cst.FunctionDef):
            return "global", assignments(self, scope, name)
        declared = memoised(self, "declarations", scope, lambda: _declarations(scope)).get(name)
        if declared == "global":
            return "global", assignments(self, self.module, name)
        if declared == "nonlocal":
            outer = self.ancestors(scope)
            for function in (a for a in outer if isinstance(a, cst.FunctionDef)):
                values = assignments(self, function, name)
                if values:
                    return "nonlocal", values
            return "nonlocal", []
        return "local", assignments(self, scope, name)

    def _target_bindings(self, node: cst.CSTNode, target: cst.BaseExpression) -> list:
        """Values of ``target = value`` in the enclosing scope, or in the whole class when
        the scope is a method (``self.x`` is usually set in ``__init__``)."""
        scope = self.enclosing_scope(node)
        if isinstance(scope, cst.FunctionDef):
            owner = next(
                (a for a in self.ancestors(scope) if isinstance(a, SCOPE_BOUNDARIES)), None
            )
            if isinstance(owner, cst.ClassDef):
                scope = owner
        return target_assignments(scope, target)


def _same(left: cst.CSTNode, right: cst.BaseExpression) -> bool:
    name = dotted_name(right)
    return dotted_name(left) == name if name is not None else left.deep_equals(right)


def _reset_before(
    body: cst.BaseSuite, node: cst.CSTNode, target: cst.BaseExpression, ancestors: list
) -> bool:
    """Whether a statement of ``body`` itself (not nested), ahead of the one holding
    ``node``, binds ``target`` afresh from something that does not read it: then every
    iteration starts again from that value, and nothing accumulates across iterations."""
    holding = next(
        (a for a, parent in zip([node, *ancestors], ancestors, strict=False) if parent is body),
        None,
    )
    for statement in body.body:
        if statement is holding:
            return False
        smalls = statement.body if isinstance(statement, cst.SimpleStatementLine) else [statement]
        for small in smalls:
            if (
                isinstance(small, cst.Assign)
                and any(_same(t.target, target) for t in small.targets)
                and not any(_same(n, target) for n in (small.value, *descendants(small.value)))
            ):
                return True
    return False


def _cut_back(body: cst.BaseSuite, target: cst.BaseExpression) -> bool:
    """Whether the loop rebinds ``target`` to a slice or a split of itself, or empties
    it (a line splitter, a buffer flushed when full): its size stays bounded by what one
    chunk or one flush holds, so the copies add up to a linear cost."""
    for assign in find_all(body, cst.Assign):
        assert isinstance(assign, cst.Assign)
        if not any(_binds(t.target, target) for t in assign.targets):
            continue
        value = assign.value
        if isinstance(value, (cst.SimpleString, cst.ConcatenatedString)):
            return True
        if isinstance(value, cst.Subscript):  # buf[i:], buf.partition(sep)[2]
            if _same(value.value, target):
                return True
            value = value.value
        if (
            isinstance(value, cst.Call)
            and isinstance(value.func, cst.Attribute)
            and value.func.attr.value in _CUTS
            and _same(value.func.value, target)
        ):
            return True
    return False


def _length_capped(loop: cst.CSTNode, target: cst.BaseExpression) -> bool:
    """Whether the loop compares ``len(target)`` with a limit (``while len(buf) <
    amount``, ``if len(buf) >= FLUSH_SIZE``): reading to a known length or flushing at a
    size keeps the buffer, and its copies, bounded by that limit."""
    for comparison in find_all(loop, cst.Comparison):
        for side in (comparison.left, *(item.comparator for item in comparison.comparisons)):
            if (
                isinstance(side, cst.Call)
                and dotted_name(side.func) == "len"
                and side.args
                and _same(side.args[0].value, target)
            ):
                return True
    return False


def _shifts_to_zero(loop: cst.CSTNode) -> bool:
    """``while value: ...; value >>= 7``: a varint or bit loop, which runs once per group
    of bits of one integer, a handful of times."""
    if not isinstance(loop, cst.While) or not isinstance(loop.test, cst.Name):
        return False
    name = loop.test.value
    return any(
        isinstance(assign.operator, cst.RightShiftAssign) and dotted_name(assign.target) == name
        for assign in find_all(loop.body, cst.AugAssign)
    )


def _binds(bound: cst.BaseExpression, target: cst.BaseExpression) -> bool:
    """Whether an assignment target binds ``target``, alone or in an unpacking."""
    if isinstance(bound, (cst.Tuple, cst.List)):
        return any(_binds(element.value, target) for element in bound.elements)
    if isinstance(bound, cst.StarredElement):
        return _binds(bound.value, target)
    return _same(bound, target)


def _declarations(function: cst.FunctionDef) -> dict[str, str]:
    """The names that ``function`` itself declares ``"global"`` or ``"nonlocal"`` (such
    declarations are statements, so no expression is walked)."""
    declared: dict[str, str] = {}
    for current in statements(function.body):
        if isinstance(current, (cst.Global, cst.Nonlocal)):
            kind = "global" if isinstance(current, cst.Global) else "nonlocal"
            for item in current.names:
                declared.setdefault(item.name.value, kind)
    return declared


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
