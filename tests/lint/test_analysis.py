"""The dataflow helpers rules share: ``attribute_assignments``."""

from __future__ import annotations

import libcst as cst

from ecolint import attribute_assignments

SOURCE = """
class Worker:
    queue = "class attribute"

    def __init__(self, other):
        self.queue = []
        other.queue = "someone else's"
        self.queue: list = list()

    def reset(self):
        self.queue = deque()
        self.queue: list
        cls.queue = "cls"
"""


def _class() -> cst.ClassDef:
    return next(s for s in cst.parse_module(SOURCE).body if isinstance(s, cst.ClassDef))


def _code(values: list[cst.BaseExpression]) -> list[str]:
    return [cst.Module([]).code_for_node(value) for value in values]


def test_self_attribute_values_come_from_every_method_in_order_with_annotations():
    assert _code(attribute_assignments(_class(), "queue")) == ["[]", "list()", "deque()"]


def test_other_owners_are_counted_only_when_asked_for():
    assert _code(attribute_assignments(_class(), "queue", ("self", "cls")))[-1] == '"cls"'
    assert attribute_assignments(_class(), "missing") == []
