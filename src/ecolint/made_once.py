"""``made_once``: a dataclass whose ``__init__`` is shared, not compiled when its module loads.

``@dataclass`` writes each class's ``__init__`` as source text and compiles it at every
import: about 0.2 M instructions per field on Python 3.11, so the energy report's classes
(70 fields) cost ``pytest --eco`` more at start-up than its hook costs on 250 tests
(bench/eco_overhead.py --instructions). A class made once per session does not need that
speed: ``made_once`` gives it ``dataclasses``' fields, defaults, ``asdict`` and ``replace``, with
one ``__init__`` for all, which reads the fields each time. Type checkers see a dataclass
(``dataclass_transform``): their checks of the constructor's arguments stay. A class built
for every test of every session (``TestEnergy``) keeps ``@dataclass``, whose compiled
``__init__`` is faster per object; ``BudgetResult`` is built per test only for a per-test
budget someone configured, where the shared one costs microseconds per test.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(field_specifiers=(dataclasses.field,))
def made_once(cls: type[T]) -> type[T]:
    """``@dataclass(repr=False, eq=False)`` with the shared ``__init__`` (see the module).

    The class needs a docstring: without one, dataclass computes it from the class's
    signature, which without a compiled ``__init__`` cost 10 M instructions."""
    if cls.__doc__ is None:
        raise TypeError(f"{cls.__name__}: a made_once class needs a docstring")
    made = dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
    made.__init__ = _init  # type: ignore[method-assign]
    # the fields, not the ClassVars that __dataclass_fields__ also holds
    specs = dataclasses.fields(made)  # type: ignore[arg-type]
    made.__made_once_fields__ = {spec.name: spec for spec in specs}  # type: ignore[attr-defined]
    return made


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    fields = self.__made_once_fields__
    kind = type(self).__name__
    if len(args) > len(fields):
        raise TypeError(f"{kind}() takes {len(fields)} positional arguments, got {len(args)}")
    values = dict(zip(fields, args, strict=False))
    for name in kwargs:
        if name not in fields:
            raise TypeError(f"{kind}() got an unexpected keyword argument {name!r}")
        if name in values:
            raise TypeError(f"{kind}() got multiple values for argument {name!r}")
    values.update(kwargs)
    for name, spec in fields.items():
        if name in values:
            value = values[name]
        elif spec.default is not dataclasses.MISSING:
            value = spec.default
        elif spec.default_factory is not dataclasses.MISSING:
            value = spec.default_factory()
        else:
            raise TypeError(f"{kind}() missing required argument {name!r}")
        setattr(self, name, value)
