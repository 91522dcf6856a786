"""Sizes the code has checked: ``if len(x) == 1:``, ``if len(x) > 3: return``,
``assert len(x) <= k``.

A dict the code has just checked holds one item costs nothing to copy or scan, however
large such dicts may be elsewhere; on real applications such guarded loops were reported
as if the dict could be large (issue 16). Only the ``if`` / ``assert`` statements on the
path to the node, within its function, are read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import libcst as cst

from ecolint.lint.analysis import SCOPE_BOUNDARIES, names_bound
from ecolint.lint.bounds.shared import SAME_SIZE, VIEWS, small_integer
from ecolint.lint.imports import dotted_name

if TYPE_CHECKING:
    from ecolint.lint.rule import Rule

_CAPPING = (cst.Equal, cst.LessThan, cst.LessThanEqual)
_EXCEEDING = (cst.GreaterThan, cst.GreaterThanEqual, cst.NotEqual)
_MIRRORED = {
    cst.LessThan: cst.GreaterThan,
    cst.LessThanEqual: cst.GreaterThanEqual,
    cst.GreaterThan: cst.LessThan,
    cst.GreaterThanEqual: cst.LessThanEqual,
    cst.Equal: cst.Equal,
    cst.NotEqual: cst.NotEqual,
}


def guarded_small(rule: Rule, expression: cst.BaseExpression, at: cst.CSTNode) -> bool:
    """Whether the code on the way to ``at`` has checked ``expression`` to hold few items:
    ``at`` is under ``if len(x) == 1:`` / ``< k`` / ``<= k`` (``and`` allowed), or in the
    ``else`` of ``if len(x) > k:``, or follows ``if len(x) > k: return`` (or ``raise``,
    ``continue``, ``break``) or ``assert len(x) <= k`` in an enclosing block of its
    function, with a literal ``k`` of at most ``SMALL``."""
    name = dotted_name(expression)
    if name is None:
        return False
    child: cst.CSTNode = at
    for ancestor in rule.ancestors(at):
        if isinstance(ancestor, (cst.If, cst.While)) and child is ancestor.body:
            if _caps(ancestor.test, name):
                return True
        elif isinstance(ancestor, cst.If) and child is ancestor.orelse:
            if _exceeds(ancestor.test, name):
                return True
        elif isinstance(ancestor, (cst.IndentedBlock, cst.Module)):
            if _checked_before(ancestor.body, child, name):
                return True
        elif isinstance(ancestor, SCOPE_BOUNDARIES):
            return False
        child = ancestor
    return False


def guard_subject(rule: Rule, expression: cst.BaseExpression) -> cst.BaseExpression | None:
    """The name or attribute whose length decides the size of ``expression``: ``d`` for
    ``d``, ``d.keys()``, ``list(d.items())``, ``sorted(d)``; ``None`` for anything else."""
    while isinstance(expression, cst.Call):
        func = expression.func
        if isinstance(func, cst.Attribute) and func.attr.value in VIEWS and not expression.args:
            expression = func.value
        elif rule.qualified_name(expression) in SAME_SIZE and expression.args:
            expression = expression.args[0].value
        else:
            return None
    return expression if isinstance(expression, (cst.Name, cst.Attribute)) else None


def _checked_before(statements: Sequence[cst.CSTNode], child: cst.CSTNode, name: str) -> bool:
    """Whether a statement ahead of ``child`` checks ``name`` to be small (a guard that
    leaves, or an ``assert``), and no statement between them binds the name again."""
    checked = False
    for statement in statements:
        if statement is child:
            return checked
        if (
            isinstance(statement, cst.If)
            and statement.orelse is None
            and _exceeds(statement.test, name)
            and _leaves(statement.body)
        ) or (
            isinstance(statement, cst.SimpleStatementLine)
            and any(
                isinstance(small, cst.Assert) and _caps(small.test, name)
                for small in statement.body
            )
        ):
            checked = True
        elif checked and "." not in name and name in names_bound(statement):
            checked = False
    return False


def _leaves(body: cst.BaseSuite) -> bool:
    """Whether a block ends by leaving (``return``, ``raise``, ``continue``, ``break``)."""
    statements = body.body
    last = statements[-1] if statements else None
    if isinstance(last, cst.SimpleStatementLine):
        last = last.body[-1] if last.body else None
    return isinstance(last, (cst.Return, cst.Raise, cst.Continue, cst.Break))


def _caps(test: cst.BaseExpression, name: str) -> bool:
    """``len(name) == k`` / ``< k`` / ``<= k`` / ``in (…)`` (or one operand of ``and``)."""
    return _compares(test, name, cst.And, _CAPPING)


def _exceeds(test: cst.BaseExpression, name: str) -> bool:
    """``len(name) > k`` / ``>= k`` / ``!= k`` (or one operand of ``or``): false only when
    ``name`` is small."""
    return _compares(test, name, cst.Or, _EXCEEDING)


def _compares(
    test: cst.BaseExpression,
    name: str,
    either: type[cst.BaseBooleanOp],
    operators: tuple[type[cst.BaseCompOp], ...],
) -> bool:
    """Whether ``test`` compares ``len(name)`` with one of ``operators`` to a literal of
    at most ``SMALL`` (``in`` a display of such literals counts as ``==``); of a boolean
    operation, one operand must when it joins them with ``either``, both otherwise."""
    if isinstance(test, cst.BooleanOperation):
        join = any if isinstance(test.operator, either) else all
        return join(_compares(side, name, either, operators) for side in (test.left, test.right))
    found = _len_comparison(test, name)
    if found is None:
        return False
    operator, bound = found
    if isinstance(operator, cst.In) and cst.Equal in operators:
        return isinstance(bound, (cst.Tuple, cst.List, cst.Set)) and all(
            isinstance(e, cst.Element) and small_integer(e.value) for e in bound.elements
        )
    return isinstance(operator, operators) and small_integer(bound)


def _len_comparison(
    test: cst.BaseExpression, name: str
) -> tuple[cst.BaseCompOp, cst.BaseExpression] | None:
    """``(operator, other side)`` for ``len(name) <op> other``, with ``other <op>
    len(name)`` mirrored into that form; ``None`` for anything else."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    operator, right = test.comparisons[0].operator, test.comparisons[0].comparator
    if _is_len_of(test.left, name):
        return operator, right
    mirrored = _MIRRORED.get(type(operator))
    if mirrored is not None and _is_len_of(right, name):
        return mirrored(), test.left
    return None


def _is_len_of(expression: cst.BaseExpression, name: str) -> bool:
    return (
        isinstance(expression, cst.Call)
        and isinstance(expression.func, cst.Name)
        and expression.func.value == "len"
        and len(expression.args) == 1
        and dotted_name(expression.args[0].value) == name
    )
