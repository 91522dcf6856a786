"""The dataflow helpers rules share: ``attribute_assignments``, the statement walk,
``visible_assignments`` and the per-file memo behind it."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from ecolint import Rule, attribute_assignments
from ecolint.lint.analysis import (
    integer_value,
    memoised,
    statements,
    target_assignments,
    visible_assignments,
)
from ecolint.lint.engine import Engine

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


def test_any_assignable_target_is_matched_by_its_whole_expression():
    """``target_assignments`` (ECO102's attribute and subscript accumulators) is
    ``attribute_assignments`` for any expression: the owner must be the same too."""
    other_queue = cst.parse_expression("other.queue")
    assert _code(target_assignments(_class(), other_queue)) == ['"someone else\'s"']
    self_queue = cst.parse_expression("self.queue")
    assert _code(target_assignments(_class(), self_queue)) == _code(
        attribute_assignments(_class(), "queue")
    )
    module = cst.parse_module('d = {}\nd["k"] = b""\nd["j"] = ""\n')
    assert _code(target_assignments(module, cst.parse_expression('d["k"]'))) == ['b""']


class _Lookup(Rule):
    """Reports each ``probe(name)`` with the values ``name`` may hold there."""

    code = "ECO998"
    name = "lookup"
    message = "{values}"

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "probe":
            name = node.args[0].value
            assert isinstance(name, cst.Name)
            values = visible_assignments(self, self.enclosing_scope(node), name.value)
            self.report(node, values=" | ".join(self.module.code_for_node(v) for v in values))


def _lookup(source: str) -> str:
    result = Engine([_Lookup()]).lint_bytes(textwrap.dedent(source).encode(), "case.py")
    assert not result.errors, result.errors
    (finding,) = result.findings
    return finding.message


VISIBLE = {
    "local first": ("X = 1\ndef f():\n    X = 2\n    X = 3\n    probe(X)\n", "2 | 3"),
    "module when unbound": ("X = 1\ndef f():\n    probe(X)\n", "1"),
    "parameter hides the module": ("X = 1\ndef f(X):\n    probe(X)\n", ""),
    "loop target hides the module": ("X = 1\ndef f(xs):\n    for X in xs:\n        probe(X)\n", ""),
    "nested function not read": ("def f():\n    def g():\n        X = 2\n    probe(X)\n", ""),
}


@pytest.mark.parametrize(("source", "values"), VISIBLE.values(), ids=VISIBLE.keys())
def test_visible_assignments_follow_python_lookup_one_level_out(source, values):
    assert _lookup(source) == values


class _Counter(Rule):
    """Asks the memo twice per ``Call`` for the module, counting the computations."""

    code = "ECO997"
    name = "counter"
    message = "{count}"

    def __init__(self) -> None:
        super().__init__()
        self.computed = 0

    def _compute(self) -> int:
        self.computed += 1
        return self.computed

    def visit_Call(self, node: cst.Call) -> None:
        first = memoised(self, "count", self.module, self._compute)
        assert memoised(self, "count", self.module, self._compute) == first
        self.report(node, count=first)


def test_the_memo_computes_once_per_node_and_file():
    engine = Engine([_Counter()])
    first = engine.lint_bytes(b"f()\ng()\n", "a.py").findings
    second = engine.lint_bytes(b"f()\n", "b.py").findings
    assert [f.message for f in first] == ["1", "1"]
    assert [f.message for f in second] == ["2"]


def test_statements_skip_expressions_and_nested_scopes_unless_asked():
    function = cst.parse_module(
        "def f():\n    x = [y for y in z]\n    def g():\n        w = 1\n"
    ).body[0]
    assert isinstance(function, cst.FunctionDef)
    shallow = statements(function.body)
    assert sum(isinstance(n, cst.Assign) for n in shallow) == 1
    assert not any(isinstance(n, cst.CompFor) for n in shallow)
    assert sum(isinstance(n, cst.Assign) for n in statements(function.body, nested=True)) == 2


@pytest.mark.parametrize(("code", "value"), [("3", 3), ("-2", -2), ("x", None), ("+1", None)])
def test_integer_value_reads_signed_integer_literals(code, value):
    assert integer_value(cst.parse_expression(code)) == value
