"""``ecolint.lint.bounds``: which loops run a small, fixed number of times, which data is
plausibly large. Each case is a module whose loop marked ``# <-`` is probed by a rule."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from ecolint.lint import bounds
from ecolint.lint.engine import Engine
from ecolint.lint.rule import Rule


class _Probe(Rule):
    """Reports every marked ``for`` with its verdicts as the message."""

    code = "ECO999"
    name = "probe"
    message = "{verdict}"

    def visit_For(self, node: cst.For) -> None:
        if "# <-" not in self.module.code_for_node(node).strip().splitlines()[0]:
            return
        bounded = bounds.loop_is_bounded(self, node)
        large = bounds.is_plausibly_large(self, node.iter, node)
        self.report(node, verdict="bounded" if bounded else "large" if large else "unknown")


def _verdict(source: str) -> str:
    result = Engine([_Probe()]).lint_bytes(textwrap.dedent(source).encode(), "case.py")
    assert not result.errors, result.errors
    (finding,) = result.findings
    return finding.message


BOUNDED = {
    "tuple of constants": "for x in ('a', 'b', 'c'):  # <-\n    pass\n",
    "string literal": "for c in 'abc':  # <-\n    pass\n",
    "small range": "for i in range(1, 10, 2):  # <-\n    pass\n",
    "slice of anything": "def f(rows):\n    for r in rows[:10]:  # <-\n        pass\n",
    "module constant": "FIELDS = ['a', 'b']\ndef f():\n    for x in FIELDS:  # <-\n        pass\n",
    "constant plus display": "A = ('a',)\nfor x in A + ('b',):  # <-\n    pass\n",
    "zip with a display": "def f(xs):\n    for i, x in zip('ab', xs):  # <-\n        pass\n",
    "split of a literal": "for w in 'a b c'.split():  # <-\n    pass\n",
    "enum class": """
        import enum

        class Color(enum.Enum):
            RED = 1

        for c in Color:  # <-
            pass
        """,
    "class constant": """
        class Form:
            KEYS = ("a", "b")

            def clean(self):
                for key in self.KEYS:  # <-
                    pass
        """,
    "enum through a class of the module": """
        import enum

        class Base(enum.Enum):
            pass

        class Color(Base):
            RED = 1

        for c in Color:  # <-
            pass
        """,
    "model fields": "def f(obj):\n    for f in type(obj)._meta.fields:  # <-\n        pass\n",
    "dataclass fields": """
        import dataclasses

        def f(obj):
            for field in dataclasses.fields(obj):  # <-
                pass
        """,
    "len guard": "def f(d):\n    if len(d) == 1:\n        for k in d:  # <-\n            pass\n",
    "guard that returns": """
        def f(items):
            if len(items) > 3:
                raise ValueError(items)
            for item in items:  # <-
                pass
        """,
    "else of a guard": """
        def f(items):
            if len(items) >= 8:
                return None
            else:
                for item in items.values():  # <-
                    pass
        """,
    "local display sliced": """
        def f(a, b):
            steps = [a, b]
            steps = steps[::-1]
            for step in steps:  # <-
                pass
        """,
}

NOT_BOUNDED = {
    "parameter": ("def f(rows):\n    for r in rows:  # <-\n        pass\n", "unknown"),
    "large range": ("for i in range(1000):  # <-\n    pass\n", "unknown"),
    "all but the last": ("def f(rows):\n    for r in rows[:-1]:  # <-\n        pass\n", "unknown"),
    "grown local": (
        "def f(x):\n    todo = [x]\n    todo.append(x)\n    for t in todo:  # <-\n        pass\n",
        "unknown",
    ),
    "empty module registry": (
        "HOOKS = []\n\ndef f():\n    for h in HOOKS:  # <-\n        pass\n",
        "unknown",
    ),
    "guard then rebinding": (
        """
        def f(rows, load):
            if len(rows) > 3:
                return
            rows = load()
            for row in rows:  # <-
                pass
        """,
        "unknown",
    ),
    "large guard": (
        "def f(d):\n    if len(d) < 1000:\n        for k in d:  # <-\n            pass\n",
        "unknown",
    ),
    "class constant a method rebinds": (
        """
        class Form:
            KEYS = ("a", "b")

            def load(self, fetch):
                self.KEYS = fetch()

            def clean(self):
                for key in self.KEYS:  # <-
                    pass
        """,
        "unknown",
    ),
    "classes deriving from each other": (
        """
        class A(B):
            pass

        class B(A):
            pass

        for x in A:  # <-
            pass
        """,
        "unknown",
    ),
    "queryset": (
        "def f(User):\n    for u in User.objects.filter(active=True):  # <-\n        pass\n",
        "large",
    ),
    "name bound to rows": (
        "def f(cursor):\n    rows = cursor.fetchall()\n    for r in rows:  # <-\n        pass\n",
        "large",
    ),
    "comprehension over a file": (
        "def f(path):\n    for n in [len(l) for l in open(path)]:  # <-\n        pass\n",
        "large",
    ),
}


@pytest.mark.parametrize("source", BOUNDED.values(), ids=BOUNDED.keys())
def test_small_fixed_collections_are_bounded(source):
    assert _verdict(source) == "bounded"


@pytest.mark.parametrize(("source", "verdict"), NOT_BOUNDED.values(), ids=NOT_BOUNDED.keys())
def test_data_is_not_bounded(source, verdict):
    assert _verdict(source) == verdict
