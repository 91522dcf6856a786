from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid
from ecolint_rules.memory._cache import (
    CACHES,
    DEFAULT_MAXSIZE,
    hashed_by_value,
    is_instance_method,
    is_unbounded_cache,
    literal_maxsize,
)

_UNBOUNDED_MESSAGE = (
    "`@{decorator}` on a method keeps every instance alive, and unbounded (ECO701 "
    "unbounded-cache) it never lets one go; use `cached_property` or a per-instance cache"
)
_SMALL_MESSAGE = (
    "`@{decorator}` on a method keeps up to {size} instances alive after their last use; "
    "worth changing only if the instances are many, short-lived and large (a per-instance "
    "cache or `cached_property` frees them)"
)


class CacheOnMethod(Rule):
    """## What it does
    Flags `@functools.lru_cache` / `@functools.cache` (in any import form, with or without
    arguments) on a method defined directly in a class body whose first parameter is
    `self`, unless the method is also a `staticmethod` or `classmethod`, or the class is
    hashed by value (it or a base class defined above it in the module defines
    `__hash__`, it is a `NamedTuple`, or a dataclass with `frozen=True` or
    `unsafe_hash=True`): equal instances then share cache entries, so
    the cache memoises a function of the value on purpose (an unbounded one is still
    reported by ECO701).

    An unbounded cache (`@cache`, `@lru_cache(maxsize=None)`) on such a method is one
    problem with two names: it is reported here only, with a message that says it is
    unbounded too, and not again by ECO701 (unbounded-cache), whose advice (a bound) would
    only cap the number of instances kept alive.

    A bounded cache whose size the code writes down and that keeps at most 128 entries
    (`@lru_cache(maxsize=8)`, or the default `@lru_cache` / `@lru_cache()`) is graded low
    confidence: it keeps at most that many instances alive, which matters only when the
    instances are many, short-lived and large. A small cache on the `__getitem__` of a
    dataset that lives for the whole training run (`@lru_cache(maxsize=8)`, to reuse an
    item fetched twice in a row) holds a few items and no instance that would otherwise
    have been freed.

    ## Why opt-in
    Judged on the real-application corpus (`bench/precision.md`): 0 of 14 findings shown
    over the rounds of judging were worth a change. The instances were created once and
    live as long as the process (a configuration object, a dataset, a service), or the
    cache held a few entries: keeping them alive costs nothing. Enable it (`extend-select
    = ["ECO702"]`) to review caches on short-lived, many-instance classes.

    ## Why is this wasteful?
    The cache lives on the function, shared by the class, and its keys include `self`:
    every instance that ever called the method stays alive as long as the class does
    (usually the whole process), with everything it references. Instances that should
    have been freed pile up, the heap grows and the garbage collector scans them again
    and again. A bounded `maxsize` only caps the leak at that many instances.

    ## Example
    ```python
    class Report:
        @lru_cache(maxsize=None)
        def totals(self):
            ...
    ```

    Use instead:
    ```python
    class Report:
        @cached_property
        def totals(self):
            ...
    ```

    Or keep a per-instance dictionary, or cache a module-level function of the hashable
    fields the result depends on.

    ## Evidence
    `bench/rules/eco702_cache_on_method.py` on a 2-core x86-64 VM (CPython 3.11, shared
    with other jobs; time is the median of 7 paired runs): n short-lived objects of 20
    numbers each ask their cached total twice, then are dropped. Memory still held
    afterwards (tracemalloc) and instances still alive, `@lru_cache(maxsize=None)` /
    `@lru_cache()` (128) / `@cached_property`: n=100: 0.10 MB, 100 / 0.10 MB, 100 /
    0 MB, 0; n=10⁴: 9.1 MB, 10,000 / 0.13 MB, 128 / 0 MB, 0; n=10⁵: 93 MB, 100,000 /
    0.13 MB, 128 / 0 MB, 0. Time, unbounded cache against `cached_property`: 0.90x at
    n=100, 1.34x at n=10⁴, 2.0x at n=10⁵ (the growing cache and the objects it keeps
    cost the garbage collector more and more).

    Summary: memory kept after n objects are dropped, unbounded method cache vs
    `cached_property`: 0.1 / 9.1 / 93 MB vs 0 at n=10² / 10⁴ / 10⁵; time 0.9x / 1.3x /
    2.0x (2 cores, CPython 3.11).

    ## References
    - flake8-bugbear B019 (ruff B019, cached-instance-method)
    - `functools.cached_property`; the Python FAQ "How do I cache method calls?"
    """

    code = "ECO702"
    name = "cache-on-method"
    message = (
        "`@{decorator}` on a method keeps every instance alive; use `cached_property` or "
        "a per-instance cache"
    )
    impact = "high"
    opt_in = True
    VALID = [
        Valid(
            """
            from functools import cached_property

            class Report:
                @cached_property
                def totals(self):
                    return 1
            """
        ),
        Valid(
            """
            import functools

            class Units:
                @staticmethod
                @functools.cache
                def factor(name):
                    return 1
            """
        ),
        Valid(
            """
            from functools import lru_cache

            class Config:
                @classmethod
                @lru_cache(maxsize=8)
                def load(cls, name):
                    return cls()
            """
        ),
        Valid(
            """
            from functools import lru_cache

            @lru_cache(maxsize=128)
            def area(shape):
                return 1
            """
        ),
        Valid(
            """
            from functools import lru_cache

            class A:
                def method(self):
                    @lru_cache(maxsize=None)
                    def inner(x):
                        return x
                    return inner
            """
        ),
        Valid(
            """
            from functools import lru_cache
            from typing import NamedTuple

            class Color(NamedTuple):
                red: int

                @lru_cache(maxsize=1024)
                def blend(self, other):
                    return self
            """
        ),
        Valid(
            """
            from functools import lru_cache

            class Style:
                def __hash__(self):
                    return 1

                @lru_cache(maxsize=1024)
                def render(self, text):
                    return text
            """
        ),
        Valid(
            """
            import functools

            class _BaseAddress:
                def __hash__(self):
                    return 1

            class IPv4Address(_BaseAddress):
                @property
                @functools.lru_cache()
                def is_private(self):
                    return False
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from functools import lru_cache

            class Report:
                @lru_cache(maxsize=None)
                def totals(self):
                    return 1
            """,
            line=4,
        ),
        Invalid(
            """
            import functools as ft

            class Graph:
                @property
                @ft.cache
                def degree(self):
                    return 1
            """,
            line=5,
        ),
        Invalid(
            """
            from functools import lru_cache as memo

            class Parser:
                @memo(maxsize=256)
                def lex(self, text):
                    return text
            """,
            line=4,
        ),
        Invalid(
            """
            from functools import lru_cache as memo

            class Parser:
                @memo
                def parse(self, text):
                    return text
            """,
            line=4,
            confidence="low",
        ),
        Invalid(
            """
            from functools import lru_cache

            class IndexedDataset:
                @lru_cache(maxsize=8)
                def __getitem__(self, i):
                    return self.read(i)
            """,
            line=4,
            confidence="low",
            message=(
                "`@lru_cache(maxsize=8)` on a method keeps up to 8 instances alive after their "
                "last use; worth changing only if the instances are many, short-lived and large "
                "(a per-instance cache or `cached_property` frees them)"
            ),
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        self._value_classes: set[str] = set()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if hashed_by_value(self, node, self._value_classes):
            self._value_classes.add(node.name.value)
            return
        for statement in node.body.body:
            if isinstance(statement, cst.FunctionDef) and is_instance_method(self, statement):
                self._check_method(statement)

    def _check_method(self, method: cst.FunctionDef) -> None:
        for decorator in method.decorators:
            if self.qualified_name(decorator.decorator) in CACHES:
                text = self.module.code_for_node(decorator.decorator)
                size = literal_maxsize(self, decorator.decorator)
                if is_unbounded_cache(self, decorator.decorator):
                    self.report(decorator, _UNBOUNDED_MESSAGE.format(decorator=text))
                elif size is not None and size <= DEFAULT_MAXSIZE:
                    message = _SMALL_MESSAGE.format(decorator=text, size=size)
                    self.report(decorator, message, confidence="low")
                else:
                    self.report(decorator, decorator=text)
