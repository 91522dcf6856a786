"""What ECO404 knows about a module's models: their relation fields, read once per file.

Django: class attributes built by ``ForeignKey``, ``OneToOneField``, ``ManyToManyField``
(through ``models.`` or imported); SQLAlchemy: attributes built by ``relationship()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from ecolint import children

if TYPE_CHECKING:
    from ecolint import Rule

SINGLE = "single"  # a foreign key or one-to-one: one row per access
MANY = "many"  # a many-to-many or reverse relation: one query per access

_DJANGO_FIELDS = {
    "ForeignKey": SINGLE,
    "OneToOneField": SINGLE,
    "ManyToManyField": MANY,
}
_SQLALCHEMY_RELATIONSHIPS = frozenset(
    {"sqlalchemy.orm.relationship", "sqlalchemy.orm.relation", "sqlmodel.Relationship"}
)

Relations = dict[str, dict[str, str]]  # model class → attribute → SINGLE | MANY


def module_relations(rule: Rule) -> Relations:
    """Relation attributes of the classes defined at the top level of the module."""
    found: Relations = {}
    for statement in rule.module.body:
        if isinstance(statement, cst.ClassDef):
            fields = _class_relations(rule, statement)
            found[statement.name.value] = fields
    return found


def _class_relations(rule: Rule, cls: cst.ClassDef) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in children(cls.body):
        if not isinstance(line, cst.SimpleStatementLine):
            continue
        for small in line.body:
            target, value = _assignment(small)
            if target is None or not isinstance(value, cst.Call):
                continue
            kind = _relation_kind(rule, value)
            if kind is not None:
                fields[target] = kind
    return fields


def _assignment(small: cst.BaseSmallStatement) -> tuple[str | None, cst.BaseExpression | None]:
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        if isinstance(target, cst.Name):
            return target.value, small.value
    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
        return small.target.value, small.value
    return None, None


def _relation_kind(rule: Rule, call: cst.Call) -> str | None:
    name = rule.qualified_name(call) or ""
    if name in _SQLALCHEMY_RELATIONSHIPS:
        uselist = next((a for a in call.args if a.keyword and a.keyword.value == "uselist"), None)
        if uselist is not None and isinstance(uselist.value, cst.Name):
            return MANY if uselist.value.value == "True" else SINGLE
        return "unknown"  # a collection or a scalar, both load lazily
    last = name.rpartition(".")[2]
    return _DJANGO_FIELDS.get(last)  # `models.ForeignKey`, or imported under its name
