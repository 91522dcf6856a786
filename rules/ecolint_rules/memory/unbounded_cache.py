from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, find_all, names_read, simple_assignments
from ecolint.lint.analysis import bound_names
from ecolint.lint.bounds import data_dependent_loop
from ecolint_rules._syntax import is_constant
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
# A process computes on a handful of devices and dtypes: a cache keyed by them stays small.
_DEVICE_TYPES = frozenset({"torch.device", "torch.dtype"})
_DEVICE_NAMES = ("device", "dtype")
_LOW_MESSAGE = (
    "`@{decorator}` keeps every result for good; worth bounding (`@lru_cache(maxsize=N)`) "
    "only if it is called with many distinct arguments over the life of the process"
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

    Also exempt, as bounded by construction:
    - a parameter for a device or a dtype (annotated `torch.device` / `torch.dtype`, or
      unannotated and named `device`, `dtype`, `*_device`, `*_dtype`): a process computes
      on a handful of them (a mel filterbank or a compiled kernel per device);
    - a parameter the function checks, at the top level of its body, against values it
      writes down (`assert n_mels == 80`, `assert mode in ("a", "b")`,
      `if name not in ("gpt2", "multilingual"): raise …`): any other value raises, and
      nothing is cached for it;
    - a private function (`_name`, or one nested in a function) that this module only
      ever calls, and always with constant arguments (`_config((1, 16, 4, 1),
      num_warps=2)`): at most one entry per call written in the code.

    How many distinct arguments a cache sees over the life of the process is otherwise
    unknown to the rule: in training and inference code most unbounded caches are keyed
    by configuration (a tokenizer name, a filter width, a log file) and stay small. So a
    finding is graded low confidence (hidden by default, its message says why) unless
    the module itself calls the function with each item of a loop over data (a parameter
    of its function, a query, a file): `[load_user(uid) for uid in user_ids]`, where the
    cache grows with the data.

    An unbounded cache on an instance method (`self` first, in a class not hashed by
    value) is reported by ECO702 (cache-on-method) instead, whose message says it is
    unbounded: the better advice there is a per-instance cache, not a bound.

    ## Why opt-in
    Judged on the real-application corpus (`bench/precision.md`): 0 of 16 findings shown
    over the rounds of judging were worth a change. The caches were keyed by a device, a
    dtype, a model name or another argument with a handful of values in practice, so
    they stay small for good; the rule cannot see how many distinct arguments a cache
    gets. Enable it (`extend-select = ["ECO701"]`) to review caches keyed by user data.

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

    def render_all(template: str, user_ids: list[int]) -> list[str]:
        return [render(template, user_id) for user_id in user_ids]
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
    `bench/rules/eco701_unbounded_cache.py` on a 2-core x86-64 VM (CPython 3.11; n distinct
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
    opt_in = True
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
        Valid(
            """
            from functools import lru_cache
            import torch

            @lru_cache(maxsize=None)
            def window(device, dtype: torch.dtype):
                ...

            @lru_cache(maxsize=None)
            def mel_filters(device, n_mels: int = 80) -> torch.Tensor:
                # the filterbank projecting an STFT into a mel spectrogram
                assert n_mels == 80, f"Unsupported n_mels: {n_mels}"
                ...

            @lru_cache(maxsize=None)
            def encoding(name: str = "gpt2"):
                if name not in ("gpt2", "multilingual"):
                    raise ValueError(name)
                ...
            """
        ),
        Valid(
            """
            from functools import cache

            @cache
            def _config(block_sizes: tuple[int, ...], num_warps: int, *, pid_type=None):
                ...

            def _forward_config(query):
                num_tokens = query.shape[0] * query.shape[1]
                if num_tokens <= 512:
                    return _config((1, 16, 4, 1), num_warps=2)
                if num_tokens <= 1024:
                    return _config((1, 4, 4, 1), num_warps=4, pid_type="flat")
                return _config((1, 8, 4, 1), num_warps=-1)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import functools

            @functools.cache
            def load_user(user_id):
                ...

            def render_all(user_ids):
                return [load_user(uid) for uid in user_ids]
            """,
            line=3,
        ),
        Invalid(
            """
            from functools import lru_cache as memo

            class Store:
                @staticmethod
                @memo(maxsize=None)
                def load(path: str) -> bytes:
                    ...

                def load_all(self, rows):
                    for row in rows:
                        yield self.load(row.path)
            """,
            line=5,
        ),
        Invalid(
            """
            import functools

            @functools.cache
            def fib(n):
                ...
            """,
            line=3,
            confidence="low",
            message=(
                "`@functools.cache` keeps every result for good; worth bounding "
                "(`@lru_cache(maxsize=N)`) only if it is called with many distinct arguments "
                "over the life of the process"
            ),
        ),
        Invalid(
            """
            import functools

            @functools.cache
            def filter_for(filter_class, lookup, strict=False):
                ...
            """,
            line=3,
            confidence="low",
        ),
        Invalid(
            """
            import functools

            @functools.lru_cache(None, typed=True)
            def scale(x: int, exact: bool):
                ...
            """,
            line=3,
            confidence="low",
        ),
        Invalid(
            """
            from functools import cache

            @cache
            def any_of(*flags: bool):
                ...
            """,
            line=3,
            confidence="low",
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
            confidence="low",
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
            confidence="low",
        ),
        Invalid(
            """
            from functools import lru_cache

            @lru_cache(maxsize=None)
            def mel_filters(device, n_mels: int):
                ...

            def spectrogram(audio, n_mels: int = 80):
                return mel_filters(audio.device, n_mels)
            """,
            line=3,
            confidence="low",
        ),
        Invalid(
            """
            from functools import cache

            @cache
            def config(block_sizes: tuple[int, ...], num_warps: int):
                ...

            def pick(n):
                return config((1, 16, 4, 1), num_warps=2)
            """,
            line=3,
            confidence="low",
        ),
        Invalid(
            """
            from functools import cache

            @cache
            def _config(block_sizes: tuple[int, ...], num_warps: int):
                ...

            def pick(n, warps):
                if n <= 512:
                    return _config((1, 16, 4, 1), num_warps=2)
                return _config((1, 8, 4, 1), num_warps=warps)
            """,
            line=3,
            confidence="low",
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        self._enum_bases: dict[str, list[str]] = {}
        self._value_classes: set[str] = set()
        # (decorator, function name, parameters not pinned by a check, private to the module)
        self._pending: list[tuple[cst.Decorator, str, list[cst.Param], bool]] = []
        self._per_item: set[str] = set()  # functions called with a loop's item, over data
        self._functools = self.imports.imports_module("functools")

    def visit_Import(self, node: cst.Import) -> None:
        self._functools = self._functools or self.imports.imports_module("functools")

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._functools = self._functools or self.imports.imports_module("functools")

    def visit_Call(self, node: cst.Call) -> None:
        """Remember ``f(item)`` in a loop over data (a parameter, a query, a file): if
        ``f`` is a cached function of this module, its keys grow with the data."""
        if not self._functools or not node.args:
            return
        callee = _callee(node)
        if callee is None or callee.value in self._per_item:
            return
        loop = self.enclosing_loop(node)
        if loop is None:
            return
        item = bound_names(self, loop)
        if any(names_read(arg.value) & item for arg in node.args) and data_dependent_loop(
            self, loop
        ):
            self._per_item.add(callee.value)

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
                name = node.name.value
                private = name.startswith("_") and not name.endswith("__")
                local = private or self.enclosing_function(node) is not None
                unchecked = [p for p in parameters if not _pinned(node, p.name.value)]
                self._pending.append((decorator, name, unchecked, local))

    def leave_Module(self, original_node: cst.Module) -> None:
        enums = self._local_enums()
        for decorator, name, parameters, local in self._pending:
            if all(self._small_domain(param, enums) for param in parameters):
                continue
            if local and _called_with_constants_only(self.module, name):
                continue  # every caller is in view and writes its arguments down
            text = self.module.code_for_node(decorator.decorator)
            if name in self._per_item:
                self.report(decorator, decorator=text)
            else:
                self.report(decorator, _LOW_MESSAGE.format(decorator=text), confidence="low")

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
            return _names_a_class(param) or _flag(param) or _names_a_device(param)
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
        if qualified in _DEVICE_TYPES:
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


def _names_a_device(param: cst.Param) -> bool:
    """An unannotated parameter named for a device or a dtype (``device``, ``dtype``,
    ``target_device``): a process computes on a handful of them (a mel filterbank or a
    kernel memoised per device)."""
    name = param.name.value
    return name in _DEVICE_NAMES or name.endswith(tuple(f"_{n}" for n in _DEVICE_NAMES))


def _pinned(function: cst.FunctionDef, name: str) -> bool:
    """Whether the body of ``function`` checks parameter ``name``, at its top level,
    against values it writes down: ``assert name == 80``, ``assert name in (80, 128)``,
    or ``if name not in ("a", "b"): raise …``; a call with any other value raises, and
    the cache keeps nothing for it."""
    body = function.body.body if isinstance(function.body, cst.IndentedBlock) else ()
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            if any(
                isinstance(small, cst.Assert) and _restricts(small.test, name, cst.And, False)
                for small in statement.body
            ):
                return True
        elif (
            isinstance(statement, cst.If)
            and statement.orelse is None
            and _raises(statement.body)
            and _restricts(statement.test, name, cst.Or, True)
        ):
            return True
    return False


def _restricts(
    test: cst.BaseExpression, name: str, either: type[cst.BaseBooleanOp], negated: bool
) -> bool:
    """``name == c`` / ``name in (c, …)`` (``!=`` / ``not in`` when ``negated``), or one
    operand of a boolean operation joined with ``either``, with constants ``c``."""
    if isinstance(test, cst.BooleanOperation):
        if not isinstance(test.operator, either):
            return False
        return any(_restricts(side, name, either, negated) for side in (test.left, test.right))
    if not (
        isinstance(test, cst.Comparison)
        and len(test.comparisons) == 1
        and isinstance(test.left, cst.Name)
        and test.left.value == name
    ):
        return False
    operator, value = test.comparisons[0].operator, test.comparisons[0].comparator
    if isinstance(operator, cst.NotEqual if negated else cst.Equal):
        return is_constant(value)
    if isinstance(operator, cst.NotIn if negated else cst.In):
        return isinstance(value, (cst.Tuple, cst.List, cst.Set)) and all(
            isinstance(element, cst.Element) and is_constant(element.value)
            for element in value.elements
        )
    return False


def _raises(body: cst.BaseSuite) -> bool:
    """Whether a block ends with ``raise``."""
    last = body.body[-1] if body.body else None
    if isinstance(last, cst.SimpleStatementLine):
        last = last.body[-1] if last.body else None
    return isinstance(last, cst.Raise)


def _callee(call: cst.Call) -> cst.Name | None:
    """The name a call is made by: ``f`` in ``f(…)``, ``obj.f(…)`` and ``cls.f(…)``."""
    func = call.func
    if isinstance(func, cst.Attribute):
        return func.attr
    return func if isinstance(func, cst.Name) else None


def _called_with_constants_only(module: cst.Module, name: str) -> bool:
    """Whether every use of ``name`` in ``module`` (other than its ``def``) is a call
    whose arguments are all constants, and there is at least one: the cache then holds at
    most one entry per call written in the code (a kernel configuration per size bucket)."""
    calls = 0
    accounted: set[int] = set()  # the names of those calls, and of the definition
    uses: list[cst.Name] = []
    for node in find_all(module, (cst.Call, cst.FunctionDef, cst.Name)):
        if isinstance(node, cst.Call):
            callee = _callee(node)
            if callee is None or callee.value != name:
                continue
            if not all(not arg.star and is_constant(arg.value) for arg in node.args):
                return False
            calls += 1
            accounted.add(id(callee))
        elif isinstance(node, cst.FunctionDef):
            accounted.add(id(node.name))
        elif node.value == name:
            uses.append(node)
    return calls > 0 and all(id(use) in accounted for use in uses)


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
