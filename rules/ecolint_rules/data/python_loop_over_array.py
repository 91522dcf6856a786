from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, dotted_name

_ARRAY_MODULES = ("numpy", "torch", "cupy", "jax")
_MATH_UFUNCS = frozenset(
    f"math.{name}"
    for name in (
        "sqrt", "exp", "log", "log2", "log10", "log1p", "expm1", "sin", "cos", "tan",
        "asin", "acos", "atan", "sinh", "cosh", "tanh", "fabs", "floor", "ceil", "pow",
    )
)  # fmt: skip
_ELEMENTWISE = (cst.Add, cst.Subtract, cst.Multiply, cst.Divide, cst.Power, cst.FloorDivide)


class PythonLoopOverArray(Rule):
    """## What it does
    Flags a `for` loop (or a perfect nest of them) over `range(len(a))` or
    `range(a.shape[k])` whose innermost body is a single statement that is array
    arithmetic done one element at a time:
    - a sum of products of subscripts, `acc += a[i] * b[i]` or
      `c[i][j] += a[i][k] * b[k][j]` (a dot or matrix product);
    - an element-wise operation, `out[i] = a[i] + b[i]` (`+ - * / // **`);
    - a `math` function of an element, `out[i] = math.sqrt(a[i])`.

    It reports only in modules that import numpy, torch, cupy or jax, or when a loop
    bound reads `.shape`: in plain-Python code the vector form is not at hand.

    ## Why is this wasteful?
    The interpreter dispatches every element: a bytecode loop, a boxed float per
    operation and a bounds-checked subscript each time. `a @ b`, `np.dot` and ufuncs run
    the same arithmetic in compiled loops over contiguous memory, with SIMD and BLAS.

    ## Example
    ```python
    for i in range(len(a)):
        out[i] = math.sqrt(a[i]) * b[i]
    ```

    Use instead:
    ```python
    out = np.sqrt(a) * b
    ```

    ## Evidence
    `bench/rules/eco504_python_loop_over_array.py` on a 2-core x86-64 VM, shared with
    other jobs and heavily loaded (CPython 3.11, numpy 2.4, one BLAS thread, median of 7
    paired runs; a dot product of two float64 arrays of n elements, loop vs `a @ b`):
    60× at n=100, 1251× at n=10⁴, 2340× at n=10⁶ (1.9 s against 0.74 ms). Two earlier
    runs with numpy's default BLAS threads gave 39× / 114×, 1208× / 2958× and 34× / 38×:
    at n=10⁶ the threads of `a @ b` spun against the other jobs on the 2 cores.

    Summary: dot product loop vs `a @ b`: 60× at n=100, 1251× at n=10⁴, 2340× at n=10⁶
    (one BLAS thread, loaded 2-core machine, CPython 3.11).

    ## References
    - creedengo GCI107 (iterative matrix operations), GCI106 (array form only);
      GreenCodeAnalyzer (element-wise, reduction, batch matmul in loops)
    - NumPy user guide, "What is NumPy?" (vectorisation and broadcasting)
    """

    code = "ECO504"
    name = "python-loop-over-array"
    message = "a Python loop does {what} one element at a time; use {alternative}"
    impact = "high"
    VALID = [
        Valid("""
            import numpy as np

            total = a @ b
            """),
        Valid("""
            for i in range(len(a)):
                out[i] = a[i] + b[i]
            """),
        Valid(
            """
            import numpy as np

            for i in range(len(a)):
                out[i] = a[i] + b[i]
                log(i)
            """
        ),
        Valid("""
            import numpy as np

            for i in range(len(a)):
                out[i] = f(a[i])
            """),
        Valid("""
            import numpy as np

            for i in range(10):
                acc += a[i] * b[i]
            """),
        Valid("""
            import numpy as np

            for i in range(len(a)):
                acc += a[i] * 2
            """),
    ]
    INVALID = [
        Invalid(
            """
            import numpy as np

            def dot(a, b):
                acc = 0.0
                for i in range(len(a)):
                    acc += a[i] * b[i]
                return acc
            """,
            line=5,
        ),
        Invalid(
            """
            import numpy as np

            for i in range(A.shape[0]):
                for j in range(B.shape[1]):
                    for k in range(A.shape[1]):
                        C[i][j] += A[i][k] * B[k][j]
            """,
            line=3,
        ),
        Invalid(
            """
            import math

            for i in range(x.shape[0]):
                y[i] = math.sqrt(x[i])
            """,
            line=3,
        ),
        Invalid(
            """
            import numpy as np

            for i in range(len(a)): out[i, 0] = a[i, 0] - b[i, 0]
            """,
            line=3,
        ),
    ]

    def visit_For(self, node: cst.For) -> None:
        if _array_bound(self, node.iter) is None or self._inner_of_nest(node):
            return
        loops = [node]
        while True:
            inner = _only_statement(loops[-1].body)
            if not isinstance(inner, cst.For) or _array_bound(self, inner.iter) is None:
                break
            loops.append(inner)
        names = [loop.target for loop in loops if isinstance(loop.target, cst.Name)]
        if len(names) != len(loops):
            return  # a loop unpacks its items
        indices = {name.value for name in names}
        found = self._arithmetic(_only_statement(loops[-1].body), indices)
        if found is None:
            return
        reads_shape = any(_array_bound(self, loop.iter) == "shape" for loop in loops)
        if reads_shape or self.imports.imports_module(*_ARRAY_MODULES):
            what, alternative = found
            self.report(node, what=what, alternative=alternative)

    def _inner_of_nest(self, node: cst.For) -> bool:
        """Whether ``node`` is the only statement of an outer loop this rule walks too."""
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, cst.For):
                return _only_statement(ancestor.body) is node and (
                    _array_bound(self, ancestor.iter) is not None
                )
            if not isinstance(ancestor, (cst.IndentedBlock, cst.SimpleStatementSuite)):
                return False
        return False

    def _arithmetic(
        self, statement: cst.CSTNode | None, indices: set[str]
    ) -> tuple[str, str] | None:
        if isinstance(statement, cst.AugAssign):
            value = statement.value
            if (
                isinstance(statement.operator, cst.AddAssign)
                and isinstance(value, cst.BinaryOperation)
                and isinstance(value.operator, cst.Multiply)
                and _element(value.left, indices)
                and _element(value.right, indices)
            ):
                return "a sum of products", "`a @ b` / `np.dot`"
            if self._ufunc_of_element(value, indices):
                return "a `math` function", "a numpy ufunc on the whole array"
            return None
        if not isinstance(statement, cst.Assign) or len(statement.targets) != 1:
            return None
        if not _element(statement.targets[0].target, indices):
            return None
        value = statement.value
        if (
            isinstance(value, cst.BinaryOperation)
            and isinstance(value.operator, _ELEMENTWISE)
            and _element(value.left, indices)
            and _element(value.right, indices)
        ):
            return "element-wise arithmetic", "the operator on whole arrays"
        if self._ufunc_of_element(value, indices):
            return "a `math` function", "a numpy ufunc on the whole array"
        if isinstance(value, cst.BinaryOperation) and (
            self._ufunc_of_element(value.left, indices)
            or self._ufunc_of_element(value.right, indices)
        ):
            return "a `math` function", "a numpy ufunc on the whole array"
        return None

    def _ufunc_of_element(self, value: cst.BaseExpression, indices: set[str]) -> bool:
        return (
            isinstance(value, cst.Call)
            and self.qualified_name(value) in _MATH_UFUNCS
            and bool(value.args)
            and _element(value.args[0].value, indices)
        )


def _array_bound(rule: Rule, iterable: cst.BaseExpression) -> str | None:
    """ "len" for `range(len(x))`, "shape" for `range(x.shape[k])`, else ``None``."""
    if (
        not isinstance(iterable, cst.Call)
        or rule.qualified_name(iterable) != "builtins.range"
        or len(iterable.args) != 1
        or iterable.args[0].keyword is not None
    ):
        return None
    bound = iterable.args[0].value
    if isinstance(bound, cst.Call) and rule.qualified_name(bound) == "builtins.len":
        return "len"
    if (
        isinstance(bound, cst.Subscript)
        and isinstance(bound.value, cst.Attribute)
        and bound.value.attr.value == "shape"
    ):
        return "shape"
    return None


def _only_statement(body: cst.BaseSuite) -> cst.CSTNode | None:
    """The single small statement or compound statement of ``body``, else ``None``."""
    if isinstance(body, cst.SimpleStatementSuite):
        return body.body[0] if len(body.body) == 1 else None
    if len(body.body) != 1:
        return None
    statement = body.body[0]
    if isinstance(statement, cst.SimpleStatementLine):
        return statement.body[0] if len(statement.body) == 1 else None
    return statement


def _element(node: cst.BaseExpression, indices: set[str]) -> bool:
    """`a[i]`, `a[i][k]`, `a[i, 0]`: a subscript (chain) indexed by a loop variable."""
    found = False
    while isinstance(node, cst.Subscript):
        for element in node.slice:
            index = element.slice
            if not isinstance(index, cst.Index):
                return False
            if isinstance(index.value, cst.Name) and index.value.value in indices:
                found = True
        node = node.value
    return found and dotted_name(node) is not None
