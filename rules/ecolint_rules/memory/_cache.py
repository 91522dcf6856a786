"""What ECO701 (unbounded-cache) and ECO702 (cache-on-method) both need to know about a
`functools` cache decorator, so that one decorator gets one finding: an unbounded cache
on an instance method is ECO702's (its advice, a per-instance cache, is the one that
frees the instances); ECO701 reports every other unbounded cache."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from ecolint.lint.analysis import integer_value

if TYPE_CHECKING:
    from ecolint import Rule

CACHE = "functools.cache"
LRU_CACHE = "functools.lru_cache"
CACHES = frozenset({CACHE, LRU_CACHE})
CLASSMETHOD = "builtins.classmethod"
_NOT_INSTANCE = frozenset({"builtins.staticmethod", CLASSMETHOD})
_VALUE_BASES = frozenset({"typing.NamedTuple", "builtins.tuple"})
_DATACLASS = "dataclasses.dataclass"
DEFAULT_MAXSIZE = 128  # `@lru_cache` / `@lru_cache()` without a size keeps 128 entries


def is_unbounded_cache(rule: Rule, expression: cst.BaseExpression) -> bool:
    """``@cache``, ``@lru_cache(maxsize=None)`` or ``@lru_cache(None)``, however imported."""
    if not isinstance(expression, cst.Call):
        return rule.qualified_name(expression) == CACHE
    if rule.qualified_name(expression) != LRU_CACHE:
        return False
    for position, arg in enumerate(expression.args):
        keyword = arg.keyword.value if arg.keyword is not None else None
        if (keyword is None and position == 0) or keyword == "maxsize":
            return isinstance(arg.value, cst.Name) and arg.value.value == "None"
    return False


def literal_maxsize(rule: Rule, expression: cst.BaseExpression) -> int | None:
    """The number of entries an ``lru_cache`` decorator keeps when the code writes it down:
    ``@lru_cache(maxsize=8)`` or ``@lru_cache(8)`` gives 8, ``@lru_cache`` and
    ``@lru_cache()`` the default 128. ``None`` for an unbounded cache, a size that is not
    an integer literal, or another decorator."""
    if rule.qualified_name(expression) != LRU_CACHE:
        return None
    if not isinstance(expression, cst.Call):
        return DEFAULT_MAXSIZE
    for position, arg in enumerate(expression.args):
        keyword = arg.keyword.value if arg.keyword is not None else None
        if (keyword is None and position == 0) or keyword == "maxsize":
            return integer_value(arg.value)
    return DEFAULT_MAXSIZE


def hashed_by_value(rule: Rule, node: cst.ClassDef, value_classes: set[str]) -> bool:
    """A ``NamedTuple``, a frozen (or ``unsafe_hash``) dataclass, a class that defines
    ``__hash__``, or a subclass of one of ``value_classes`` (those of the module seen so
    far): equal instances share cache entries, so a method cache memoises on purpose."""
    for arg in node.bases:
        if rule.qualified_name(arg.value) in _VALUE_BASES:
            return True
        if isinstance(arg.value, cst.Name) and arg.value.value in value_classes:
            return True
    for decorator in node.decorators:
        call = decorator.decorator
        if isinstance(call, cst.Call) and rule.qualified_name(call) == _DATACLASS:
            for arg in call.args:
                keyword = arg.keyword.value if arg.keyword is not None else None
                if keyword in ("frozen", "unsafe_hash") and _is_true(arg.value):
                    return True
    return any(
        isinstance(statement, cst.FunctionDef) and statement.name.value == "__hash__"
        for statement in node.body.body
    )


def is_instance_method(rule: Rule, method: cst.FunctionDef) -> bool:
    """Whether ``method`` takes ``self`` first and is neither a static nor a class method."""
    params = [*method.params.posonly_params, *method.params.params]
    if not params or params[0].name.value != "self":
        return False
    return not any(rule.qualified_name(d.decorator) in _NOT_INSTANCE for d in method.decorators)


def _is_true(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "True"
