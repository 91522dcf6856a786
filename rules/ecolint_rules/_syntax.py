"""Small syntax helpers shared by the fixes that build comprehensions."""

from __future__ import annotations

import libcst as cst

from ecolint import find_all

# Expressions that a comprehension clause would misread without parentheses.
_LOOSE = (cst.IfExp, cst.Lambda, cst.NamedExpr, cst.Tuple, cst.StarredElement)


def contains(node: cst.CSTNode, kinds: tuple[type, ...]) -> bool:
    """Whether ``node`` is, or holds, a node of one of ``kinds``."""
    return isinstance(node, kinds) or next(find_all(node, kinds), None) is not None


def grouped(expression: cst.BaseExpression) -> cst.BaseExpression:
    """``expression``, parenthesised if a comprehension clause would misread it bare."""
    if isinstance(expression, _LOOSE) and not expression.lpar:
        return expression.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return expression
