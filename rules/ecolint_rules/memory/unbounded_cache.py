from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, simple_assignments
from ecolint_rules.memory._cache import (
    CLASSMETHOD,
    hashed_by_value,
    is_instance_method,
    is_unbounded_cache,
)

_LITERAL = frozenset({"typing.Literal", "typing_extensions.Literal"})
# `type[X]` / `Type[X]` / `type`: a class, of which a program defines a fixed few.
_CLASS_TYPES = frozenset({"builtins.type", "typing.Type", "typing_extensions.Type"})
_ABSTRACT = frozenset({"abc.abstractmethod"})
_ENUM_BASES = frozenset(
    {"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag", "enum.ReprEnum"}
)


class UnboundedCache(Rule):
    """## What it does
    Flags `@functools.cache` and `@functools.lru_cache(maxsize=None)` (also written
    `lru_cache(None)`), however `functools` or the decorator was imported, on a function
    that can be called with an unbounded number of distinct arguments. Functions whose
    parameters are all annotated `bool`, `Literal[...]`, an `Enum` subclass defined in
    the same module or a class (`type`, `type[X]`, `Type[X]`: a program defines a fixed
    few), and functions with no parameters, are exempt: their cache is small by
    construction. An unannotated parameter counts as a class when it is named for one
    (`cls`, `klass`, `*_class`, as in a factory memoising one subclass per filter class),
    and as a flag when its default is `True` or `False`. The `cls` of a `classmethod`
    counts the same way (the class and its subclasses), so
    `@classmethod @cache def f(cls)` is exempt too. So are abstract methods
    (`@abc.abstractmethod`): subclasses override them, and the cache of the abstract one
    never fills.

    An unbounded cache on an instance method (`self` first, in a class not hashed by
    value) is reported by ECO702 (cache-on-method) instead, whose message says it is
    unbounded: the better advice there is a per-instance cache, not a bound.

    ## Why is this wasteful?
    An unbounded cache keeps every argument tuple and every result alive for the life of
    the process. On a long-running service the cache becomes a slow memory leak: the heap
    keeps growing, the garbage collector scans ever more objects, and the process needs
    a bigger machine or periodic restarts.

    ## Example
    ```python
    from functools import cache

    @cache
    def render(template: str, user_id: int) -> str: ...
    ```

    Use instead:
    ```python
    from functools import lru_cache

    @lru_cache(maxsize=1024)
    def render(template: str, user_id: int) -> str: ...
    ```

    No fix is offered: the bound is a policy choice.

    This rule conflicts with ruff's UP033 (`lru-cache-with-maxsize-none`), which rewrites
    `@lru_cache(maxsize=None)` into `@functools.cache`: an unbounded cache under another
    spelling, which this rule flags the same way. Disable UP033 alongside this rule (ruff's
    UP011, which drops the `()` of a bare `@lru_cache()`, is harmless).

    ## Evidence
    `bench/rules/eco701_unbounded_cache.py` on this 2-core machine (CPython 3.11; n distinct
    ids, each rendered twice to a short HTML string): memory still held once the n ids have
    been seen (tracemalloc), `@cache` against `@lru_cache(maxsize=1024)`: 0.01 MB against
    0.018 MB at n=100 (below its bound the LRU form costs more per entry), 1.40 MB against
    0.245 MB at n=10⁴ (5.7x), 154.8 MB against 0.247 MB at n=10⁶ (626x). The unbounded
    cache grows linearly and never shrinks; the bounded one stays flat. Time (bad/good,
    median of 7 paired runs): 0.93x at n=100, 1.00x at n=10⁴, 1.35x at n=10⁶.

    Summary: memory held after n distinct calls, `@cache` vs `@lru_cache(maxsize=1024)`:
    0.56x at n=100, 5.7x at n=10⁴, 626x at n=10⁶ (155 MB vs 0.25 MB); time 0.93–1.35x.

    ## References
    - creedengo GCI89 (which matches only a bare `@cache` / `@lru_cache` name)
    - conflicts with ruff UP033
    """

    code = "ECO701"
    name = "unbounded-cache"
    impact = "high"
    message = "`@{decorator}` keeps every result for good; bound it: `@lru_cache(maxsize=N)`"
    VALID = [
        Valid("""
            import functools

            @functools.lru_cache(maxsize=256)
            def area(shape):
                ...
            """),
        Valid("""
            from functools import lru_cache

            @lru_cache
            def parse(text):
                ...
            """),
        Valid("""
            from functools import cache

            @cache
            def settings():
                return load()
            """),
        Valid(
            """
            import enum
            from functools import cache

            class Mode(enum.Enum):
                FAST = 1
                SLOW = 2

            @cache
            def table(mode: Mode, strict: bool) -> dict:
                ...
            """
        ),
        Valid(
            """
            from typing import Literal
            import functools as ft

            @ft.cache
            def codec(name: Literal['utf-8', 'latin-1'], *, strict: bool = True):
                ...
            """
        ),
        Valid(
            """
            from functools import cache
            from typing import Literal

            Codec = Literal['utf-8', 'latin-1']

            @cache
            def codec(name: Codec):
                ...
            """
        ),
        Valid(
            """
            from enum import IntEnum
            from functools import lru_cache

            @lru_cache(maxsize=None)
            def rank(level: 'Level'):
                ...

            class Base(IntEnum):
                pass

            class Level(Base):
                LOW = 1
            """
        ),
        Valid(
            """
            import abc
            import functools

            class Apply(abc.ABC):
                @staticmethod
                @functools.cache
                @abc.abstractmethod
                def compile(func):
                    pass
            """
        ),
        Valid("""
            def cache(function):
                return function

            @cache
            def f(x):
                ...
            """),
        Valid(
            """
            import functools
            from typing import Type

            class Serializer:
                @classmethod
                @functools.cache
                def fields(cls):
                    ...

                @classmethod
                @functools.lru_cache(maxsize=None)
                def field_for(cls, model: type[Model], required: bool):
                    ...

            @functools.cache
            def table_of(model: Type["Model"]):
                ...
            """
        ),
        Valid(
            """
            from functools import cache

            class Report:
                @cache
                def totals(self, year):
                    ...
            """
        ),
        Valid(
            """
            import functools

            @functools.cache
            def bulk_serializer_for(serializer_class, *, partial=False):
                ...

            @functools.cache
            def subclass_of(klass):
                ...
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import functools

            @functools.cache
            def fib(n):
                ...
            """,
            line=3,
        ),
        Invalid(
            """
            import functools

            @functools.cache
            def filter_for(filter_class, lookup, strict=False):
                ...
            """,
            line=3,
        ),
        Invalid(
            """
            from functools import lru_cache as memo

            @memo(maxsize=None)
            def load(path: str) -> bytes:
                ...
            """,
            line=3,
        ),
        Invalid(
            """
            import functools

            @functools.lru_cache(None, typed=True)
            def scale(x: int, exact: bool):
                ...
            """,
            line=3,
        ),
        Invalid(
            """
            from functools import cache

            @cache
            def any_of(*flags: bool):
                ...
            """,
            line=3,
        ),
        Invalid(
            """
            from functools import cache
            from modes import Mode

            @cache
            def table(mode: Mode):
                ...
            """,
            line=4,
        ),
        Invalid(
            """
            from functools import cache
            from typing import NamedTuple

            class Loader:
                @classmethod
                @cache
                def load(cls, path: str):
                    ...

            class Point(NamedTuple):
                x: int

                @cache
                def norm(self):
                    ...
            """,
            line=6,
            count=2,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        self._enum_bases: dict[str, list[str]] = {}
        self._value_classes: set[str] = set()
        self._pending: list[tuple[cst.Decorator, list[cst.Param]]] = []

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        bases = [self.qualified_name(arg.value) or "" for arg in node.bases if arg.keyword is None]
        self._enum_bases[node.name.value] = bases
        if hashed_by_value(self, node, self._value_classes):
            self._value_classes.add(node.name.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        names = [self.qualified_name(d.decorator) for d in node.decorators]
        if any(name in _ABSTRACT for name in names) or self._cache_on_method(node):
            return
        parameters = _parameters(node)
        if CLASSMETHOD in names and self._in_class_body(node):
            parameters = parameters[1:]  # `cls`: the class or a subclass, a fixed few
        for decorator in node.decorators:
            if is_unbounded_cache(self, decorator.decorator):
                self._pending.append((decorator, parameters))

    def leave_Module(self, original_node: cst.Module) -> None:
        enums = self._local_enums()
        for decorator, parameters in self._pending:
            if not all(self._small_domain(param, enums) for param in parameters):
                text = self.module.code_for_node(decorator.decorator)
                self.report(decorator, decorator=text)

    def _in_class_body(self, node: cst.FunctionDef) -> bool:
        above = self.ancestors(node)
        return len(above) > 1 and isinstance(above[1], cst.ClassDef)

    def _cache_on_method(self, node: cst.FunctionDef) -> bool:
        """Whether ECO702 (cache-on-method) reports this decorator: an instance method of
        a class not hashed by value. Its finding says the cache is unbounded too."""
        if not self._in_class_body(node) or not is_instance_method(self, node):
            return False
        cls = self.ancestors(node)[1]
        assert isinstance(cls, cst.ClassDef)
        return cls.name.value not in self._value_classes

    def _local_enums(self) -> set[str]:
        """Classes of this module that derive (directly or through each other) from Enum."""
        enums: set[str] = set()
        changed = True
        while changed:
            changed = False
            for name, bases in self._enum_bases.items():
                if name not in enums and any(b in _ENUM_BASES or b in enums for b in bases):
                    enums.add(name)
                    changed = True
        return enums

    def _small_domain(self, param: cst.Param, enums: set[str]) -> bool:
        if param.annotation is None:
            return _names_a_class(param) or _flag(param)
        return self._small_type(param.annotation.annotation, enums)

    def _small_type(
        self, annotation: cst.BaseExpression, enums: set[str], seen: frozenset[str] = frozenset()
    ) -> bool:
        if isinstance(annotation, cst.SimpleString):  # a forward reference: "Mode"
            try:
                annotation = cst.parse_expression(str(annotation.evaluated_value))
            except (cst.ParserSyntaxError, TypeError):
                return False
        if isinstance(annotation, cst.Subscript):
            return self.qualified_name(annotation.value) in _LITERAL | _CLASS_TYPES
        qualified = self.qualified_name(annotation)
        if qualified in ("builtins.bool", "builtins.type") or qualified in enums:
            return True
        # A module-level alias: `Mode = Literal["a", "b"]` (a `TypeAlias` annotation too).
        if isinstance(annotation, cst.Name) and annotation.value not in seen:
            values = simple_assignments(self.module, annotation.value)
            seen |= {annotation.value}  # `A = A` must not loop
            return bool(values) and all(self._small_type(v, enums, seen) for v in values)
        return False


def _names_a_class(param: cst.Param) -> bool:
    """An unannotated parameter named for a class (``cls``, ``klass``, ``model_class``):
    keyed by the program's classes, a fixed few (a subclass factory memoised per class)."""
    name = param.name.value
    return name in ("cls", "klass") or name.endswith("_class")


def _flag(param: cst.Param) -> bool:
    """An unannotated parameter whose default is ``True`` or ``False``: a flag."""
    default = param.default
    return isinstance(default, cst.Name) and default.value in ("True", "False")


def _parameters(function: cst.FunctionDef) -> list[cst.Param]:
    """Every parameter; ``*args`` / ``**kwargs`` are given no annotation (any count)."""
    params = function.params
    found = [*params.posonly_params, *params.params, *params.kwonly_params]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            found.append(star.with_changes(annotation=None))
    return found
