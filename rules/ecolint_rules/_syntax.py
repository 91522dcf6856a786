"""Small syntax helpers shared by several rules and their fixes."""

from __future__ import annotations

import libcst as cst

from ecolint import Rule, find_all

# Expressions that a comprehension clause would misread without parentheses.
_LOOSE = (cst.IfExp, cst.Lambda, cst.NamedExpr, cst.Tuple, cst.StarredElement)


def contains(node: cst.CSTNode, kinds: tuple[type, ...]) -> bool:
    """Whether ``node`` is, or holds, a node of one of ``kinds``."""
    return isinstance(node, kinds) or next(find_all(node, kinds), None) is not None


def keyword_is(call: cst.Call, keyword: str, constant: str) -> bool:
    """Whether ``call`` passes ``keyword=<constant>`` (``None``, ``True``, ``False``)."""
    return any(
        arg.keyword is not None
        and arg.keyword.value == keyword
        and isinstance(arg.value, cst.Name)
        and arg.value.value == constant
        for arg in call.args
    )


def grouped(expression: cst.BaseExpression) -> cst.BaseExpression:
    """``expression``, parenthesised if a comprehension clause would misread it bare."""
    if isinstance(expression, _LOOSE) and not expression.lpar:
        return expression.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return expression


def range_len_argument(rule: Rule, iterable: cst.BaseExpression) -> cst.BaseExpression | None:
    """``seq`` in ``range(len(seq))`` (builtins resolved through imports), else ``None``."""
    for builtin in ("builtins.range", "builtins.len"):
        if (
            not isinstance(iterable, cst.Call)
            or rule.qualified_name(iterable) != builtin
            or len(iterable.args) != 1
            or iterable.args[0].keyword is not None
            or iterable.args[0].star
        ):
            return None
        iterable = iterable.args[0].value
    return iterable


def is_constant(value: cst.BaseExpression) -> bool:
    """A hashable literal: a number (signed too), a string, ``True``/``False``/``None``,
    or a tuple of them: one value the code writes down (a set member, a cache key)."""
    if isinstance(value, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString)):
        return True
    if isinstance(value, cst.UnaryOperation):
        return isinstance(value.operator, (cst.Minus, cst.Plus)) and is_constant(value.expression)
    if isinstance(value, cst.ConcatenatedString):
        return is_constant(value.left) and is_constant(value.right)
    if isinstance(value, cst.Name):
        return value.value in ("True", "False", "None")
    if isinstance(value, cst.Tuple):
        return all(isinstance(e, cst.Element) and is_constant(e.value) for e in value.elements)
    return False


def open_mode(call: cst.Call, position: int) -> str | None:
    """The mode of ``open(...)`` / ``path.open(...)``: the literal passed as ``mode=`` or
    at ``position`` (1 for ``open(path, mode)``, 0 for ``path.open(mode)``), ``"r"`` when
    left out; ``None`` when it is not a literal, or ``**kwargs`` may hold it."""
    for index, arg in enumerate(call.args):
        if (arg.keyword is not None and arg.keyword.value == "mode") or (
            arg.keyword is None and not arg.star and index == position
        ):
            value = arg.value
            if isinstance(value, cst.SimpleString) and isinstance(value.evaluated_value, str):
                return value.evaluated_value
            return None
    return None if any(arg.star for arg in call.args) else "r"
