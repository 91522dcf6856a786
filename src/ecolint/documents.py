"""Versioned JSON documents: one way to read them back, with errors naming file and field.

ecolint writes JSON for other programs and for itself: the energy report of a test
session, the A/B comparison, the web report, the CI report (handed from a fork PR's job
to a privileged one) and history records. Each is an object with a ``version``, and says
who wrote it (``"tool"``: ``{"name": "ecolint", …}`` or ``"ecolint 0.1.0"``) or what it is
(``"kind"``). A :class:`DocumentType` names one of them and does the part they share:

- :meth:`~DocumentType.load`: the file read and parsed, its header checked, then built;
  every error starts with the file's name;
- :meth:`~DocumentType.check`: a JSON object, of this version, written by ecolint, of
  this ``kind``;
- :meth:`~DocumentType.build`: a dataclass from a JSON object, field by field from its
  type hints. Unknown and missing fields are refused by name (a field with a default may
  be left out, unless the type says ``every_field``), and each value must have
  its field's type: ``str``, ``bool``, ``int``, ``float`` (an integer is taken),
  ``X | None``, ``Literal[…]``, ``tuple[X, ...]`` or ``list[X]`` (a JSON list),
  ``dict[str, X]``, a nested dataclass, ``Any`` (taken as it is). A key that a class
  lists in ``JSON_DERIVED`` was written for the reader (``exceeded``, computed from the
  other fields) and is skipped.

Each codec keeps what is its own: its dataclasses, the checks beyond types (a grade's
letter, a score's range) and its messages for them.

Why no pydantic or msgspec: the energy report is imported by every ``pytest --eco``
session, so its import time is paid on each test run. Measured on top of
``import ecolint.energy.model`` (a 2-core x86 machine, bytecode cached, best of 15):
pydantic's ``BaseModel`` and ``TypeAdapter`` add 50 ms, msgspec 10 ms (and a compiled
dependency), this module 0.5 ms.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, NamedTuple, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")
_Convert = Callable[[Any, str], Any]  # (JSON value, where it is) → the field's value


class DocumentError(ValueError):
    """A document that cannot be read or does not have the shape of its version; the
    message names the file (when there is one) and the field."""


# Plain classes, not dataclasses: the energy report imports this module in every
# `pytest --eco` session, and each dataclass costs its import about a millisecond.
class Limits:
    """Caps for a document someone else may have written (a fork PR's CI artifact): a
    longer list is refused, a longer string cut, a NaN refused."""

    __slots__ = ("items", "string")

    def __init__(self, items: int, string: int) -> None:
        self.items = items
        self.string = string


class DocumentType:
    """One kind of versioned document: its name (in every message), the version this
    ecolint reads and writes, the error its codec raises, and how its header is spelt:
    ``kind``, the value of its "kind" key for a document that has one; ``wrong_version``,
    the error for another version ({name}, {expected} and {found} are filled in);
    ``limits`` for an untrusted document; ``every_field``, a field with a default is still
    required (the writer always writes it)."""

    def __init__(
        self,
        name: str,
        version: int,
        error: type[Exception] = DocumentError,
        *,
        kind: str | None = None,
        wrong_version: str = "not an ecolint {name} of version {expected} (found {found})",
        limits: Limits | None = None,
        every_field: bool = False,
    ) -> None:
        self.name = name
        self.version = version
        self.error = error
        self.kind = kind
        self.wrong_version = wrong_version
        self.limits = limits
        self.every_field = every_field
        self._plans: dict[type[Any], _Plan] = {}

    def header(self) -> dict[str, Any]:
        """``version`` and ``tool`` of a document being written (reads package metadata)."""
        from ecolint.version import document_header

        return document_header(self.version)

    def load(self, path: Path, build: Callable[[dict[str, Any]], T]) -> T:
        """The document in ``path``: read, parsed, header checked, then made by ``build``
        (which calls :meth:`build` and the codec's own checks). Every error names the file."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise self.error(f"{path}: cannot read the {self.name}: {error.strerror}") from error
        except ValueError as error:  # not UTF-8, not JSON
            raise self.error(
                f"{path}: not a JSON {self.name}: the text is not JSON ({error})"
            ) from error
        try:
            return build(self.check(data))
        except self.error as error:
            raise self.error(f"{path}: {error}") from error

    def check(self, data: Any) -> dict[str, Any]:
        """``data`` (parsed JSON) if it is this document: an object, of this ``kind``, of
        this version, written by ecolint."""
        if not isinstance(data, dict):
            raise self.error(f"the {self.name} must be a JSON object, got {_json_type(data)}")
        if self.kind is not None and data.get("kind") != self.kind:
            raise self.error(f"not an ecolint {self.name} (its kind is not {self.kind!r})")
        if data.get("version") != self.version:
            raise self.error(
                self.wrong_version.format(
                    name=self.name, expected=self.version, found=_shown(data.get("version"))
                )
            )
        tool = data.get("tool")
        if tool is not None:
            name = tool.get("name") if isinstance(tool, dict) else str(tool).partition(" ")[0]
            if name != "ecolint":
                raise self.error(f"this {self.name} was written by {_shown(name)}, not ecolint")
        return data

    def build(self, kind: type[T], value: Any, where: str = "") -> T:
        """A ``kind`` dataclass from the JSON object ``value`` found at ``where`` (a field
        path such as ``pages[0].runs``; empty for the document itself)."""
        place = where or self.name
        if not isinstance(value, dict):
            raise self.error(f"{place} must be an object, got {_json_type(value)}")
        plan = self._plans.get(kind) or self._plans.setdefault(kind, _plan(self, kind))
        self.refuse_unknown(value, plan.known, place)
        missing = plan.required - value.keys()
        if missing:
            raise self.error(f"missing {place} field(s): {_names(missing)}")
        made = {}
        for name, ready, convert in plan.fields:
            if name in value:
                item = value[name]
                # the common case, a value already of its field's type, costs no call
                made[name] = (
                    item
                    if type(item) in ready
                    else convert(item, f"{where}.{name}" if where else name)
                )
        return kind(**made)

    def refuse_unknown(self, value: dict[str, Any], known: frozenset[str], place: str) -> None:
        """An error naming the keys of ``value`` that are not in ``known``."""
        unknown = value.keys() - known
        if unknown:
            raise self.error(f"unknown {place} field(s): {_names(unknown)}")


class _Plan(NamedTuple):
    known: frozenset[str]  # the fields, and the keys written for readers only
    required: frozenset[str]
    fields: tuple[tuple[str, frozenset[type], _Convert], ...]  # name, types taken as is, convert


def _plan(document: DocumentType, kind: type[Any]) -> _Plan:
    """How to build ``kind``, worked out once per class from its type hints."""
    hints = get_type_hints(kind)
    specs = [spec for spec in dataclasses.fields(kind) if spec.init]
    return _Plan(
        known=frozenset(spec.name for spec in specs) | frozenset(getattr(kind, "JSON_DERIVED", ())),
        required=frozenset(
            spec.name
            for spec in specs
            if document.every_field
            or (spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING)
        ),
        fields=tuple(
            (spec.name, _ready(document, hints[spec.name]), _converter(document, hints[spec.name]))
            for spec in specs
        ),
    )


def _ready(document: DocumentType, hint: Any) -> frozenset[type]:
    """The JSON value types that need no check or conversion for ``hint``: an exact scalar
    type (a bool is not an int here), and None when the field may be null. Under limits,
    strings are cut and floats checked for NaN, so they always go through the converter."""
    options = get_args(hint) if get_origin(hint) in (Union, types.UnionType) else (hint,)
    scalars = (bool, int) if document.limits else (str, bool, int, float)
    return frozenset(option for option in options if option in scalars or option is types.NoneType)


def _converter(document: DocumentType, hint: Any) -> _Convert:
    """A function checking a JSON value against ``hint`` and making the field's value."""
    error, limits = document.error, document.limits
    origin, arguments = get_origin(hint), get_args(hint)
    if hint is Any:
        return lambda value, where: value
    if origin in (Union, types.UnionType):
        return _union(document, arguments)
    if origin is Literal:
        return functools.partial(_literal, error=error, allowed=arguments)
    if origin in (tuple, list):
        item = _converter(document, arguments[0])
        return functools.partial(_sequence, error=error, item=item, limits=limits, make=origin)
    if origin is dict:
        item = _converter(document, arguments[1])
        return functools.partial(_mapping, error=error, item=item)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return lambda value, where: document.build(hint, value, where)
    scalar = _SCALARS.get(hint)
    if scalar is None:
        raise TypeError(f"no JSON loader for the type {hint!r}")  # a codec's mistake
    return functools.partial(scalar, error=error, limits=limits)


def _union(document: DocumentType, arguments: tuple[Any, ...]) -> _Convert:
    options = [argument for argument in arguments if argument is not types.NoneType]
    nullable = len(options) < len(arguments)
    converters = [_converter(document, option) for option in options]
    expected = " or ".join(_describe(option) for option in options)

    def convert(value: Any, where: str) -> Any:
        if value is None:
            if nullable:
                return None
            raise document.error(f"{where} must not be null")
        if len(converters) == 1:
            return converters[0](value, where)
        for option in converters:
            try:
                return option(value, where)
            except document.error:
                continue
        raise document.error(f"{where} must be {expected}, got {_json_type(value)}")

    return convert


def _literal(value: Any, where: str, *, error: type[Exception], allowed: tuple[Any, ...]) -> Any:
    if not any(type(value) is type(option) and value == option for option in allowed):
        raise error(f"{where} must be one of {'/'.join(map(str, allowed))}, got {_shown(value)}")
    return value


def _sequence(
    value: Any,
    where: str,
    *,
    error: type[Exception],
    item: _Convert,
    limits: Limits | None,
    make: type[Any],
) -> Any:
    if not isinstance(value, list):
        raise error(f"{where} must be a list, got {_json_type(value)}")
    if limits is not None and len(value) > limits.items:
        raise error(f"{where} must be a list of at most {limits.items} items")
    return make(item(entry, f"{where}[{index}]") for index, entry in enumerate(value))


def _mapping(value: Any, where: str, *, error: type[Exception], item: _Convert) -> Any:
    if not isinstance(value, dict):
        raise error(f"{where} must be an object, got {_json_type(value)}")
    return {key: item(entry, f"{where}[{key!r}]") for key, entry in value.items()}


def _string(value: Any, where: str, *, error: type[Exception], limits: Limits | None) -> str:
    if not isinstance(value, str):
        raise error(f"{where} must be a string, got {_json_type(value)}")
    return value if limits is None else value[: limits.string]


def _boolean(value: Any, where: str, *, error: type[Exception], limits: Limits | None) -> bool:
    if not isinstance(value, bool):
        raise error(f"{where} must be true or false, got {_json_type(value)}")
    return value


def _integer(value: Any, where: str, *, error: type[Exception], limits: Limits | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise error(f"{where} must be an integer, got {_json_type(value)}")
    return value


def _number(value: Any, where: str, *, error: type[Exception], limits: Limits | None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise error(f"{where} must be a number, got {_json_type(value)}")
    if limits is not None and value != value:
        raise error(f"{where} must be a number, got NaN")
    return float(value)


_SCALARS: dict[Any, Callable[..., Any]] = {
    str: _string,
    bool: _boolean,
    int: _integer,
    float: _number,
}
_DESCRIPTIONS = {str: "a string", bool: "true or false", int: "an integer", float: "a number"}


def _describe(hint: Any) -> str:
    return _DESCRIPTIONS.get(hint, "an object" if dataclasses.is_dataclass(hint) else str(hint))


def _json_type(value: Any) -> str:
    """What a JSON value is, in words (never the value: the document may be hostile)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    for kind, words in ((str, "a string"), (int, "an integer"), (float, "a number")):
        if isinstance(value, kind):
            return words
    return "a list" if isinstance(value, list) else "an object"


def _shown(value: Any) -> str:
    """``value`` for a message, cut short: a hostile document cannot flood the output."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _names(keys: Any) -> str:
    return ", ".join(_shown(key) for key in sorted(keys))
