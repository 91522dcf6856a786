"""Whether a collection is bounded (small and fixed by the code) or plausibly large.

An O(n) or O(n²) pattern costs nothing worth changing when n is small and fixed: a loop
over three constants or ``range(4)``, the fields of one model, the members of an enum, a
dict the code has just checked holds one item. On real applications most false alarms of
the size-sensitive rules were of that kind (issue 16), so those rules ask here before
reporting: *bounded* means "stay silent", *large* (a database, file or API result) means
"worth acting on", and *unknown* means "grade the finding ``low`` and say it depends on
the size".

Everything is local and cheap: the expression itself, the plain assignments of the
enclosing function and of the module (or class) level, and the ``if`` / ``assert``
statements on the path to the node. No scope metadata, no whole-module analysis; the
helpers run only when a rule is about to report, so files without a candidate pay nothing.

This module is the API the rules use; the analyses live beside it: ``literal`` (sizes the
code writes down), ``declared`` (what a class declares), ``guards`` (``len`` checks on
the way) and ``sources`` (database, file and API results, parameters).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from ecolint.lint.analysis import COMPREHENSIONS, enclosing_loops
from ecolint.lint.bounds.guards import guard_subject, guarded_small
from ecolint.lint.bounds.literal import bounded
from ecolint.lint.bounds.shared import SMALL, clauses
from ecolint.lint.bounds.sources import parameter_data, plausibly_large

if TYPE_CHECKING:
    from ecolint.lint.rule import Rule
    from ecolint.results import Confidence

__all__ = [
    "SMALL",
    "data_dependent_loop",
    "finding_confidence",
    "guarded_small",
    "if_large",
    "is_bounded",
    "is_parameter_data",
    "is_plausibly_large",
    "loop_is_bounded",
    "repeats_boundedly",
]


def is_bounded(rule: Rule, expression: cst.BaseExpression, at: cst.CSTNode) -> bool:
    """Whether ``expression`` is a collection whose size the code fixes, and small:

    - a display (tuple, list, set, dict) written out in the code, a string literal, a
      literal ``range`` of at most ``SMALL`` steps, a slice ``x[:k]`` with a small ``k``;
    - a name bound in its scope (or at module or class level) only to such values, and not
      grown (``append``, ``+=``, an item set) in its function;
    - an enum class of the module, or what one class declares: ``Model._meta.fields``,
      ``cls.__slots__``, ``dataclasses.fields(...)``, ``vars(obj)``, ``type(self).__mro__``;
    - ``list``/``sorted``/``enumerate``/``.items()``/a comprehension… of a bounded one;
    - a name or attribute the code has checked to be small on the way to ``at``:
      under ``if len(x) == 1:`` / ``< k`` / ``<= k``, or after ``if len(x) > k: return``.
    """
    if bounded(rule, expression, rule.enclosing_scope(at), 0):
        return True
    subject = guard_subject(rule, expression)
    return subject is not None and guarded_small(rule, subject, at)


def loop_is_bounded(rule: Rule, loop: cst.CSTNode) -> bool:
    """Whether ``loop`` (a ``for``, a comprehension or one of its ``for`` clauses) runs a
    bounded number of times; a ``while`` loop never counts as bounded."""
    if isinstance(loop, (cst.For, cst.CompFor)):
        return is_bounded(rule, loop.iter, loop)
    if isinstance(loop, COMPREHENSIONS):
        return all(is_bounded(rule, clause.iter, loop) for clause in clauses(loop.for_in))
    return False


def repeats_boundedly(rule: Rule, node: cst.CSTNode) -> bool:
    """Whether every loop that repeats ``node`` in its function is bounded, so that
    ``node`` runs a small, fixed number of times (``True`` outside any loop)."""
    return all(loop_is_bounded(rule, loop) for loop in enclosing_loops(node, rule.ancestors(node)))


def is_plausibly_large(rule: Rule, expression: cst.BaseExpression, at: cst.CSTNode) -> bool:
    """Whether ``expression`` holds the result of a database, file or API call (a
    queryset, ``cursor.fetchall()``, ``os.listdir``, ``response.json()``), directly, through
    a comprehension or a wrapper over one, or through a name bound to one in its function."""
    return plausibly_large(rule, expression, rule.enclosing_scope(at))


def is_parameter_data(rule: Rule, expression: cst.BaseExpression, at: cst.CSTNode) -> bool:
    """Whether ``expression`` is a parameter of the enclosing function (other than
    ``self``/``cls``) or reached from one (``order.items``, ``request.data.keys()``): data
    handed in by a caller, which a loop over it processes in whatever amount it comes."""
    return parameter_data(rule, expression, rule.enclosing_scope(at))


def data_dependent_loop(rule: Rule, loop: cst.CSTNode) -> bool:
    """Whether ``loop`` iterates data of plausibly any size: a database, file or API
    result, or a parameter of its function."""
    if isinstance(loop, COMPREHENSIONS):
        loop = loop.for_in
    if not isinstance(loop, (cst.For, cst.CompFor)):
        return False
    return is_plausibly_large(rule, loop.iter, loop) or is_parameter_data(rule, loop.iter, loop)


def finding_confidence(
    rule: Rule, expression: cst.BaseExpression, at: cst.CSTNode
) -> Confidence | None:
    """How sure a rule can be that an O(n) waste on ``expression`` (a copy, a sort, a
    tuple per item) at ``at`` is worth changing: ``None`` when ``expression`` is bounded
    (do not report), ``high`` when it is plausibly large or ``at`` is repeated by a loop
    that is not bounded, ``low`` when its size cannot be known (say so: ``if_large``)."""
    if is_bounded(rule, expression, at):
        return None
    if is_plausibly_large(rule, expression, at) or not repeats_boundedly(rule, at):
        return "high"
    return "low"


def if_large(rule: Rule, expression: cst.CSTNode) -> str:
    """The clause a ``low`` finding's message ends with: the saving needs a large input."""
    text = " ".join(rule.module.code_for_node(expression).split())
    if len(text) > 40:
        text = text[:37] + "…"
    return f" (worth it only if `{text}` is large)"
