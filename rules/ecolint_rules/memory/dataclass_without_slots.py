from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import libcst as cst

from ecolint import Invalid, Rule, Valid

_DATACLASS = "dataclasses.dataclass"
# Bases that add no `__dict__` of their own.
_SLOT_FREE_BASES = frozenset(
    {"builtins.object", "typing.Generic", "typing.Protocol", "typing.NamedTuple", "abc.ABC"}
)
MIN_VERSION = (3, 10)


class DataclassWithoutSlots(Rule):
    """## What it does
    Flags `@dataclass` / `@dataclasses.dataclass(...)` (in any import form) that does not
    pass `slots=True`, when the project targets Python 3.10 or later (`slots=` does not
    exist before), the class body defines no `__slots__`, and each base class is known not
    to carry a `__dict__`: no base, `object`, `Generic[...]`, `ABC`, or a class of the same
    module that is itself slotted. A base the rule cannot see (imported from elsewhere)
    may give instances a `__dict__` anyway, which makes `slots=True` moot, so such
    classes are left alone. An explicit `slots=False` is taken as a decision and left
    alone too.

    This rule is opt-in: the saving is real only for classes with many live instances.

    ## Why is this wasteful?
    Without `__slots__`, each instance carries a `__dict__`: a second object, a hash
    table sized for growth, allocated and freed with every instance. With slots the
    fields live in fixed offsets inside the instance: less memory, fewer allocations,
    and faster attribute access.

    ## Example
    ```python
    @dataclass(frozen=True)
    class Point:
        x: float
        y: float
    ```

    Use instead:
    ```python
    @dataclass(frozen=True, slots=True)
    class Point:
        x: float
        y: float
    ```

    ## Fix safety
    The fix adds `slots=True` and is unsafe: instances lose their `__dict__` (code that
    sets attributes not declared as fields, or reads `vars(obj)`, breaks), they can no
    longer be weakly referenced unless `weakref_slot=True` (3.11+) is added, some multiple
    inheritance layouts conflict, `functools.cached_property` no longer works on the
    class, and before Python 3.14 a zero-argument `super()` in its methods fails because
    the decorator returns a new class.

    ## Options
    - `target-version` (default `"3.10"`): the oldest Python version the project
      supports, as `"3.X"`. The rule reports nothing below 3.10. ecolint does not read
      `requires-python`; set this option to match it.

    ## Evidence
    `bench/rules/eco703_dataclass_without_slots.py` on a 2-core x86-64 VM (CPython
    3.11, shared with other jobs; time is the median of 7 paired runs): n live instances
    of a 3-field dataclass, plain against `slots=True`. Memory held (tracemalloc):
    n=100: 0.02 MB against 0.01 MB; n=10⁴: 1.52 MB against 1.12 MB; n=10⁶: 152 MB
    against 112 MB (1.36x: 152 against 112 bytes per instance, since CPython 3.11
    already stores a plain instance's attributes compactly). Building the instances and
    reading their fields: 1.08x at n=100, 1.13x at n=10⁴, 1.07x at n=10⁶. The saving
    is a constant 26 % of the memory and under 15 % of the time, which is why the rule
    is opt-in: it matters only for classes with very many live instances.

    Summary: 1.36x memory per instance (152 vs 112 bytes) at n=10⁴ and 10⁶, 1.07-1.13x
    time: a small constant saving, hence opt-in (2 cores, CPython 3.11).

    ## References
    - creedengo GCI112 (slots on dataclasses)
    - `dataclasses.dataclass(slots=True)` (Python 3.10); the data model: `__slots__`
    """

    code = "ECO703"
    name = "dataclass-without-slots"
    message = "`@{decorator}` without `slots=True` gives every instance a `__dict__`"
    fix = "unsafe"
    fix_title = "Add `slots=True` to the decorator"
    opt_in = True
    impact = "low"
    OPTIONS = {"target-version": "3.10"}
    VALID = [
        Valid(
            """
            from dataclasses import dataclass

            @dataclass(slots=True)
            class P:
                x: int
            """
        ),
        Valid(
            """
            from dataclasses import dataclass

            @dataclass
            class P:
                __slots__ = ('x',)
                x: int
            """
        ),
        Valid(
            """
            from dataclasses import dataclass

            @dataclass
            class P:
                x: int
            """,
            options={"target-version": "3.9"},
        ),
        Valid(
            """
            from dataclasses import dataclass
            from models import Base

            @dataclass
            class P(Base):
                x: int
            """
        ),
        Valid(
            """
            from dataclasses import dataclass

            @dataclass(slots=False)
            class Base:
                x: int

            @dataclass
            class P(Base):
                y: int
            """
        ),
        Valid("""
            def dataclass(cls):
                return cls

            @dataclass
            class P:
                x: int
            """),
    ]
    INVALID = [
        Invalid(
            """
            from dataclasses import dataclass

            @dataclass
            class Point:
                x: float
            """,
            line=3,
            fixed="""
            from dataclasses import dataclass

            @dataclass(slots=True)
            class Point:
                x: float
            """,
            unsafe=True,
        ),
        Invalid(
            """
            import dataclasses as dc
            from typing import Generic, TypeVar

            T = TypeVar('T')

            @dc.dataclass(frozen=True)
            class Box(Generic[T]):
                item: T
            """,
            line=6,
            fixed="""
            import dataclasses as dc
            from typing import Generic, TypeVar

            T = TypeVar('T')

            @dc.dataclass(frozen=True, slots=True)
            class Box(Generic[T]):
                item: T
            """,
            unsafe=True,
        ),
        Invalid(
            """
            from dataclasses import dataclass

            @dataclass(slots=True)
            class Base:
                x: int

            @dataclass()
            class Point(Base):
                y: int
            """,
            line=7,
            fixed="""
            from dataclasses import dataclass

            @dataclass(slots=True)
            class Base:
                x: int

            @dataclass(slots=True)
            class Point(Base):
                y: int
            """,
            options={"target-version": "3.12"},
            unsafe=True,
        ),
    ]

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        self._enabled = _parse_version(self.options["target-version"]) >= MIN_VERSION

    def visit_Module(self, node: cst.Module) -> None:
        self._slotted: dict[str, bool] = {}

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        # leave, not visit: the class's own slottedness is recorded after its bases'.
        node = original_node
        decorator, call = self._dataclass_decorator(node)
        slots = _slots_argument(call) if call is not None else None
        has_slots = _defines_slots(node) or slots is True
        self._slotted[node.name.value] = has_slots and self._bases_slot_free(node)
        if decorator is None or not self._enabled or slots is not None or has_slots:
            return
        if not self._bases_slot_free(node):
            return
        text = self.module.code_for_node(decorator.decorator)
        self.report(decorator, decorator=text, replacement=_with_slots(decorator), unsafe=True)

    def _dataclass_decorator(
        self, node: cst.ClassDef
    ) -> tuple[cst.Decorator | None, cst.Call | None]:
        for decorator in node.decorators:
            expression = decorator.decorator
            if self.qualified_name(expression) == _DATACLASS:
                return decorator, expression if isinstance(expression, cst.Call) else None
        return None, None

    def _bases_slot_free(self, node: cst.ClassDef) -> bool:
        for arg in node.bases:
            if arg.keyword is not None or arg.star:
                return False
            base = arg.value
            if isinstance(base, cst.Subscript):
                base = base.value
            if isinstance(base, cst.Name) and base.value in self._slotted:
                if not self._slotted[base.value]:
                    return False
            elif self.qualified_name(base) not in _SLOT_FREE_BASES:
                return False
        return True


def _parse_version(value: object) -> tuple[int, int]:
    text = str(value).strip()
    parts = text.split(".")
    if len(parts) < 2 or not all(p.isdigit() for p in parts[:2]):
        raise ValueError(f'target-version must look like "3.10", not {value!r}')
    return int(parts[0]), int(parts[1])


def _slots_argument(call: cst.Call) -> bool | None:
    """``True``/``False`` for ``slots=True``/``False``; ``False`` for any other value
    (a variable: the author decided); ``None`` when there is no ``slots=``."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "slots":
            return isinstance(arg.value, cst.Name) and arg.value.value == "True"
    return None


def _defines_slots(node: cst.ClassDef) -> bool:
    for statement in node.body.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                targets: list[cst.BaseExpression] = []
                if isinstance(small, cst.Assign):
                    targets = [t.target for t in small.targets]
                elif isinstance(small, cst.AnnAssign):
                    targets = [small.target]
                if any(isinstance(t, cst.Name) and t.value == "__slots__" for t in targets):
                    return True
    return False


def _with_slots(decorator: cst.Decorator) -> cst.Decorator:
    expression = decorator.decorator
    slots = cst.Arg(
        keyword=cst.Name("slots"),
        value=cst.Name("True"),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )
    if isinstance(expression, cst.Call):
        args = list(expression.args)
        if args:
            last = args[-1]
            if last.comma is cst.MaybeSentinel.DEFAULT or last.comma is None:
                args[-1] = last.with_changes(
                    comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                )
            elif isinstance(last.comma, cst.Comma):
                args[-1] = last.with_changes(
                    comma=last.comma.with_changes(whitespace_after=cst.SimpleWhitespace(" "))
                )
        return decorator.with_changes(decorator=expression.with_changes(args=[*args, slots]))
    return decorator.with_changes(decorator=cst.Call(func=expression, args=[slots]))
