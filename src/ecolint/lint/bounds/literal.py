"""Collections whose size the code itself fixes: displays, literal ranges and slices,
names bound only to such values, and what wraps them (``list``, ``zip``, ``.items()``…).

A loop over three constants or ``range(4)`` runs a handful of times whatever the data,
so an O(n) pattern in it saves nothing worth a change (issue 16). Only plain
assignments in the reading scope (else the module) are followed, a few levels deep;
anything else counts as not bounded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from ecolint.lint.analysis import (
    COMPREHENSIONS,
    SCOPE_BOUNDARIES,
    assignments,
    bound_names,
    integer_value,
    memoised,
    target_names,
)
from ecolint.lint.bounds.declared import (
    class_constant,
    declared_attribute,
    declared_call,
    enum_class,
)
from ecolint.lint.bounds.shared import (
    MAX_DEPTH,
    SAME_SIZE,
    SMALL,
    VIEWS,
    clauses,
    parameters,
    small_integer,
)
from ecolint.lint.tree import children, descendants

if TYPE_CHECKING:
    from ecolint.lint.rule import Rule

_DISPLAYS = (cst.Tuple, cst.List, cst.Set)
_STRINGS = (cst.SimpleString, cst.ConcatenatedString)
_STR_SPLITS = frozenset({"split", "rsplit", "splitlines", "partition", "rpartition"})
_GROWERS = frozenset(
    {"append", "extend", "insert", "add", "update", "setdefault", "appendleft", "extendleft"}
)


def bounded(rule: Rule, expression: cst.BaseExpression, scope: cst.CSTNode, depth: int) -> bool:
    """Whether ``expression``, read in ``scope``, is a collection of a small size that
    the code fixes (see ``ecolint.lint.bounds.is_bounded``)."""
    if depth > MAX_DEPTH:
        return False
    if isinstance(expression, _STRINGS):
        return True
    if isinstance(expression, _DISPLAYS):
        return all(
            not isinstance(element, cst.StarredElement)
            or bounded(rule, element.value, scope, depth + 1)
            for element in expression.elements
        )
    if isinstance(expression, cst.Dict):
        return all(
            not isinstance(element, cst.StarredDictElement)
            or bounded(rule, element.value, scope, depth + 1)
            for element in expression.elements
        )
    if isinstance(expression, COMPREHENSIONS):
        return all(
            bounded(rule, clause.iter, scope, depth + 1) for clause in clauses(expression.for_in)
        )
    if isinstance(expression, cst.BinaryOperation):
        return isinstance(expression.operator, (cst.Add, cst.BitOr)) and all(
            bounded(rule, side, scope, depth + 1) for side in (expression.left, expression.right)
        )
    if isinstance(expression, cst.Subscript):
        return _small_slice(expression) or (
            is_slice(expression) and bounded(rule, expression.value, scope, depth + 1)
        )
    if isinstance(expression, cst.Call):
        return _bounded_call(rule, expression, scope, depth)
    if isinstance(expression, cst.Attribute):
        return _bounded_attribute(rule, expression, scope, depth)
    if isinstance(expression, cst.Name):
        return enum_class(rule, expression.value) or _bounded_name(
            rule, expression.value, scope, depth
        )
    return False


def _bounded_call(rule: Rule, call: cst.Call, scope: cst.CSTNode, depth: int) -> bool:
    name = rule.qualified_name(call)
    positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
    if name == "builtins.range":
        return _small_range(positional) or (
            len(positional) == 1
            and isinstance(positional[0], cst.Call)
            and rule.qualified_name(positional[0]) == "builtins.len"
            and len(positional[0].args) == 1
            and bounded(rule, positional[0].args[0].value, scope, depth + 1)
        )
    if name in SAME_SIZE or name == "builtins.dict":
        return bool(positional) and bounded(rule, positional[0], scope, depth + 1)
    if name == "builtins.zip":  # as long as its shortest argument
        return any(bounded(rule, value, scope, depth + 1) for value in positional)
    if name in ("builtins.map", "builtins.filter"):
        return any(bounded(rule, value, scope, depth + 1) for value in positional[1:])
    if name == "itertools.islice":
        return len(positional) == 2 and small_integer(positional[1])
    if declared_call(call, name):
        return True
    func = call.func
    if not isinstance(func, cst.Attribute):
        return False
    method = func.attr.value
    if (method in VIEWS and not call.args) or method in _STR_SPLITS or method == "fromkeys":
        target = positional[0] if method == "fromkeys" and positional else func.value
        return bounded(rule, target, scope, depth + 1)
    return False


def _bounded_attribute(
    rule: Rule, attribute: cst.Attribute, scope: cst.CSTNode, depth: int
) -> bool:
    if declared_attribute(rule, attribute):
        return True
    found = class_constant(rule, attribute, scope)
    if found is None:
        return False
    cls, values = found
    return bool(values) and all(bounded(rule, value, cls, depth + 1) for value in values)


def _bounded_name(rule: Rule, name: str, scope: cst.CSTNode, depth: int) -> bool:
    """``name`` bound, in the scope that ``scope``'s code reads it from, only to bounded
    values and never grown."""
    if isinstance(scope, cst.FunctionDef) and name in parameters(rule, scope):
        return False
    values = assignments(rule, scope, name) if not isinstance(scope, cst.Lambda) else []
    # `x = x[i:]` / `x = x[::-1]` never makes `x` larger than it was.
    values = [v for v in values if not (isinstance(v, cst.Subscript) and _is_name(v.value, name))]
    if not values:
        if scope is rule.module or name in bound_names(rule, scope):
            return False
        return _bounded_name(rule, name, rule.module, depth + 1)
    if name in _grown_or_rebound(rule, scope):
        return False
    if isinstance(scope, (cst.Module, cst.ClassDef)) and any(_empty(v) for v in values):
        return False  # an empty module-level registry is filled from elsewhere
    return all(bounded(rule, value, scope, depth + 1) for value in values)


def _grown_or_rebound(rule: Rule, scope: cst.CSTNode) -> frozenset[str]:
    """The names that may grow in ``scope`` (``append``, ``+=``, an item set) or be
    bound there otherwise than by a plain assignment (a ``for`` target, unpacking,
    ``with … as``, a walrus); one walk per scope and file. Module and class bodies are
    not searched below their own statements: functions that grow a module-level
    constant are rare, and searching them all would cost a walk of the module."""
    return memoised(rule, "grown or rebound", scope, lambda: _grown_names(scope))


def _grown_names(scope: cst.CSTNode) -> frozenset[str]:
    nodes = descendants(scope) if isinstance(scope, cst.FunctionDef) else _own_nodes(scope)
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, cst.AugAssign):
            found.update(_name_of(node.target))
        elif isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value in _GROWERS:
                found.update(_name_of(func.value))
        elif isinstance(node, cst.AssignTarget):
            target = node.target
            if isinstance(target, cst.Subscript):
                found.update(_name_of(target.value))
            elif isinstance(target, (cst.Tuple, cst.List)):
                found |= target_names(target)
        elif isinstance(node, (cst.For, cst.CompFor)):
            found |= target_names(node.target)
        elif isinstance(node, cst.NamedExpr):
            found.update(_name_of(node.target))
        elif isinstance(node, cst.AsName):
            found.update(_name_of(node.name))
    return frozenset(found)


def _own_nodes(scope: cst.CSTNode) -> list[cst.CSTNode]:
    """The nodes of a module or class body, nested functions and classes excluded."""
    found: list[cst.CSTNode] = []
    pending = list(children(scope))
    while pending:
        node = pending.pop()
        found.append(node)
        if not isinstance(node, SCOPE_BOUNDARIES):
            pending.extend(children(node))
    return found


def _small_range(arguments: list[cst.BaseExpression]) -> bool:
    """``range(k)``, ``range(a, b)`` or ``range(a, b, s)`` of integer literals, at most
    ``SMALL`` steps."""
    numbers = [integer_value(argument) for argument in arguments]
    if not 1 <= len(numbers) <= 3 or any(number is None for number in numbers):
        return False
    values = [number for number in numbers if number is not None]
    if len(values) == 1:
        values = [0, values[0]]
    if len(values) == 3 and values[2] == 0:
        return False
    return len(range(*values)) <= SMALL


def is_slice(subscript: cst.Subscript) -> bool:
    """``x[a:b]`` (one slice, any bounds), not ``x[i]`` or ``x[a:b, c]``."""
    return len(subscript.slice) == 1 and isinstance(subscript.slice[0].slice, cst.Slice)


def _small_slice(subscript: cst.Subscript) -> bool:
    """``x[:k]``, ``x[a:b]``, ``x[-k:]`` or ``x[-a:-b]`` with literal bounds: at most
    ``SMALL`` items whatever ``x`` holds."""
    if not is_slice(subscript):
        return False
    part = subscript.slice[0].slice
    assert isinstance(part, cst.Slice)
    if part.step is not None:
        return False
    lower = 0 if part.lower is None else integer_value(part.lower)
    if lower is None:
        return False
    if part.upper is None:
        return -SMALL <= lower < 0  # x[-k:]
    upper = integer_value(part.upper)
    if upper is None or (lower < 0) != (upper < 0):
        return False
    return upper - lower <= SMALL


def _empty(value: cst.BaseExpression) -> bool:
    if isinstance(value, (cst.List, cst.Tuple, cst.Set, cst.Dict)):
        return not value.elements
    return isinstance(value, cst.Call) and not value.args


def _is_name(node: cst.CSTNode, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name


def _name_of(node: cst.CSTNode) -> tuple[str, ...]:
    return (node.value,) if isinstance(node, cst.Name) else ()
