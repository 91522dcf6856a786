"""What the bounds modules share: the size below which a collection counts as small, the
calls that keep the size of their argument, and the parameters of a function.

Kept apart so that the literal, guard and data-source analyses agree on these facts
without importing each other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from ecolint.lint.analysis import bound_names

if TYPE_CHECKING:
    from ecolint.lint.rule import Rule

# The largest literal count (a `range` span, a `len(x) < k` guard, a slice) that still
# counts as small: a few dozen items cost microseconds whatever the algorithm.
SMALL = 64
MAX_DEPTH = 4  # name → value → name … lookups followed before giving up

# Calls whose result has the size of their (first) iterable argument.
SAME_SIZE = frozenset(
    f"builtins.{name}"
    for name in ("list", "tuple", "set", "frozenset", "sorted", "reversed", "enumerate", "iter")
)
# Methods of a dict (or a copy) that give as many items as the object holds.
VIEWS = frozenset({"items", "keys", "values", "copy"})


def clauses(clause: cst.CompFor) -> list[cst.CompFor]:
    """The ``for`` clauses of a comprehension, outermost first."""
    found = [clause]
    while clause.inner_for_in is not None:
        clause = clause.inner_for_in
        found.append(clause)
    return found


def parameters(rule: Rule, function: cst.FunctionDef) -> frozenset[str]:
    """The names of the parameters of ``function``."""
    return bound_names(rule, function.params)


def small_integer(expression: cst.BaseExpression) -> bool:
    """A non-negative integer literal of at most ``SMALL``."""
    return isinstance(expression, cst.Integer) and 0 <= int(expression.evaluated_value) <= SMALL
