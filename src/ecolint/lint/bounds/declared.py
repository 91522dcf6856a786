"""What one class or object declares: its fields, members, slots or constants.

Their number is fixed when the code is written (the fields of a model, the members of an
enum, ``__slots__``), so a loop over them runs a handful of times whatever the data: on
real applications, loops over model fields were a common false alarm (issue 16).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from ecolint.lint.analysis import assignments, attribute_assignments, memoised
from ecolint.lint.imports import dotted_name

if TYPE_CHECKING:
    from ecolint.lint.rule import Rule

_DECLARED_CALLS = frozenset(
    {
        "builtins.vars",
        "builtins.dir",
        "dataclasses.fields",
        "attr.fields",
        "attrs.fields",
        "typing.get_type_hints",
        "inspect.getmembers",
        "inspect.getmro",
    }
)
_DECLARED_ATTRIBUTES = frozenset(
    {
        "__slots__",
        "__mro__",
        "__bases__",
        "__annotations__",
        "__dataclass_fields__",
        "__members__",
        "__match_args__",
        "__dict__",
        "_fields",
        "_field_defaults",
        "model_fields",
        "__fields__",
    }
)
_DECLARED_METHODS = frozenset({"mro", "__subclasses__", "get_fields"})
_ENUM_BASES = ("Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "Choices")


def declared_call(call: cst.Call, name: str | None) -> bool:
    """``dataclasses.fields(x)``, ``vars(obj)``, ``cls.mro()``… (``name``: the call's
    qualified name)."""
    if name in _DECLARED_CALLS:
        return True
    func = call.func
    return isinstance(func, cst.Attribute) and func.attr.value in _DECLARED_METHODS


def declared_attribute(rule: Rule, attribute: cst.Attribute) -> bool:
    """``cls.__slots__``, ``Model._meta.fields`` (Django's options: ``fields``,
    ``concrete_fields``, ``many_to_many``…), ``inspect.signature(f).parameters``."""
    name = attribute.attr.value
    owner = attribute.value
    if name in _DECLARED_ATTRIBUTES:
        return True
    if isinstance(owner, cst.Attribute) and owner.attr.value == "_meta":
        return True
    return (
        name == "parameters"
        and isinstance(owner, cst.Call)
        and rule.qualified_name(owner) == "inspect.signature"
    )


def class_constant(
    rule: Rule, attribute: cst.Attribute, scope: cst.CSTNode
) -> tuple[cst.ClassDef, list[cst.BaseExpression]] | None:
    """For a class constant read as ``self.FIELDS``, ``cls.FIELDS`` or ``Form.FIELDS``
    (from ``scope``): its class and the values its body assigns it; ``None`` when it is
    no such constant, or when a method assigns it (``self.FIELDS = …``) too."""
    name = attribute.attr.value
    owner = attribute.value
    if dotted_name(owner) in ("self", "cls"):
        cls = _class_of(rule, scope)
    elif isinstance(owner, cst.Name):
        cls = module_class(rule, owner.value)
    else:
        return None
    if cls is None or attribute_assignments(cls, name, owners=("self", "cls")):
        return None
    return cls, assignments(rule, cls, name)


def enum_class(rule: Rule, name: str, seen: frozenset[str] = frozenset()) -> bool:
    """Whether ``name`` is a class of the module deriving from an enum (or Django
    choices) base, directly or through classes of the module: iterating it yields its
    members, as many as the code declares."""
    cls = module_class(rule, name)
    if cls is None or name in seen:
        return False
    for base in cls.bases:
        if base.keyword is not None:
            continue
        full = rule.qualified_name(base.value) or ""
        last = full.rpartition(".")[2]
        if last.endswith(_ENUM_BASES) or (last != name and enum_class(rule, last, seen | {name})):
            return True
    return False


def module_class(rule: Rule, name: str) -> cst.ClassDef | None:
    """The class ``name`` defined at the top level of the module (not nested); the
    first one when the module defines several."""
    module = rule.module
    return memoised(rule, "module classes", module, lambda: _top_level_classes(module)).get(name)


def _top_level_classes(module: cst.Module) -> dict[str, cst.ClassDef]:
    classes: dict[str, cst.ClassDef] = {}
    for statement in module.body:
        if isinstance(statement, cst.ClassDef):
            classes.setdefault(statement.name.value, statement)
    return classes


def _class_of(rule: Rule, scope: cst.CSTNode) -> cst.ClassDef | None:
    """The class whose method (or body) ``scope`` is."""
    if isinstance(scope, cst.ClassDef):
        return scope
    for ancestor in rule.ancestors(scope):
        if isinstance(ancestor, cst.ClassDef):
            return ancestor
        if isinstance(ancestor, (cst.FunctionDef, cst.Lambda)):
            return None
    return None
