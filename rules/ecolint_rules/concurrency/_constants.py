"""Numeric constants as the rules of this theme see them: literals, simple arithmetic on
literals, and module-level names bound once to such a value."""

from __future__ import annotations

import libcst as cst

from ecolint import simple_assignments

_OPERATORS = {
    cst.Add: lambda a, b: a + b,
    cst.Subtract: lambda a, b: a - b,
    cst.Multiply: lambda a, b: a * b,
    cst.Divide: lambda a, b: a / b if b else None,
}


def number(expression: cst.BaseExpression, module: cst.Module | None = None) -> float | None:
    """The value of ``expression`` if it is a constant number (``0.01``, ``1 / 100``,
    ``-0``), or a name that ``module`` binds exactly once, at its top level, to one."""
    if isinstance(expression, cst.Integer):
        return float(int(expression.value.replace("_", ""), 0))
    if isinstance(expression, cst.Float):
        return float(expression.value.replace("_", ""))
    if isinstance(expression, cst.UnaryOperation) and isinstance(
        expression.operator, (cst.Minus, cst.Plus)
    ):
        inner = number(expression.expression, module)
        if inner is None:
            return None
        return -inner if isinstance(expression.operator, cst.Minus) else inner
    if isinstance(expression, cst.BinaryOperation):
        operator = _OPERATORS.get(type(expression.operator))
        left, right = number(expression.left, module), number(expression.right, module)
        if operator is None or left is None or right is None:
            return None
        return operator(left, right)
    if isinstance(expression, cst.Name) and module is not None:
        values = simple_assignments(module, expression.value)
        if len(values) == 1:
            return number(values[0])  # no second hop: `A = B` chains are rare
    return None
