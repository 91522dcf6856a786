"""One traversal per file, dispatching every node to all enabled rules together.

The dispatch tables are built once per process from the rules' ``visit_<Type>`` and
``leave_<Type>`` methods; the walk keeps the ancestor stack that ``Rule.parent_of`` and
``Rule.in_loop`` read, and records imports for qualified names as it passes them.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Iterable, Sequence
from typing import Protocol, cast

import libcst as cst

from ecolint.lint.context import FileContext
from ecolint.lint.rule import Rule
from ecolint.lint.timings import Timings
from ecolint.lint.tree import NODE_CLASSES, SKIPPED_FIELDS, node_fields


class Handler(Protocol):
    """A rule's bound ``visit_<Node>`` / ``leave_<Node>`` method."""

    __self__: Rule

    def __call__(self, node: cst.CSTNode, /) -> object: ...


_TOKEN_TYPES = frozenset(
    {"Comma", "Semicolon", "Colon", "Dot", "LeftParen", "RightParen", "Newline", "EmptyLine"}
)


class RuleDefinitionError(TypeError):
    """A rule declares a handler the engine can never call."""


def _node_class(rule: type[Rule], attribute: str, type_name: str) -> type:
    node_class = getattr(cst, type_name, None)
    if not (isinstance(node_class, type) and issubclass(node_class, cst.CSTNode)):
        raise RuleDefinitionError(f"{rule.code}: {attribute} names no libcst node type")
    if type_name in _TOKEN_TYPES or "Whitespace" in type_name:
        raise RuleDefinitionError(
            f"{rule.code}: {attribute}: token nodes are not visited (fields skipped: "
            f"{', '.join(sorted(SKIPPED_FIELDS))}); inspect them from the parent node"
        )
    return node_class


class Walker:
    """Walks a module once, calling every rule's handlers for each node."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)
        self.visit: dict[type, list[Handler]] = {}
        self.leave: dict[type, list[Handler]] = {}
        for rule in self.rules:
            for attribute in dir(type(rule)):
                prefix, _, type_name = attribute.partition("_")
                if prefix not in ("visit", "leave") or not type_name:
                    continue
                table = self.visit if prefix == "visit" else self.leave
                node_class = _node_class(type(rule), attribute, type_name)
                table.setdefault(node_class, []).append(getattr(rule, attribute))
        self.failures: dict[Rule, str] = {}
        self._context: FileContext | None = None
        self.timings: Timings | None = None

    def time_rules(self, timings: Timings) -> None:
        """From now on, add each rule's time in its handlers to ``timings``."""
        self.timings = timings
        self._call = self._timed_call  # type: ignore[method-assign]  # the untimed path stays lean

    def run(self, context: FileContext) -> dict[Rule, str]:
        """Walk ``context.module``; return the rules that raised, with their traceback."""
        self.failures = {}
        self._context = context
        for rule in self.rules:
            rule.context = context
        _prescan_imports(context)
        try:
            self._walk(context.module)
        finally:
            for rule in self.rules:
                rule.context = None
            context.stack.clear()
        return self.failures

    def _call(self, handlers: Iterable[Handler], node: cst.CSTNode) -> None:
        for handler in handlers:
            rule = handler.__self__
            if rule in self.failures:
                continue
            try:
                handler(node)
            except Exception:  # a broken rule must not stop the others
                self.failures[rule] = traceback.format_exc(limit=-3)

    def _timed_call(self, handlers: Iterable[Handler], node: cst.CSTNode) -> None:
        assert self.timings is not None
        spent = self.timings.rules
        for handler in handlers:
            rule = handler.__self__
            if rule in self.failures:
                continue
            started = time.perf_counter()
            try:
                handler(node)
            except Exception:  # a broken rule must not stop the others
                self.failures[rule] = traceback.format_exc(limit=-3)
            spent[rule.code] += time.perf_counter() - started

    def _walk(self, node: cst.CSTNode) -> None:
        context = self._context
        assert context is not None
        stack = context.stack
        stack.append(node)
        cls = type(node)
        # ``cls is`` rather than ``isinstance`` (an ABC check, on every node) narrows
        # nothing for a type checker: the casts run only on import statements.
        if cls is cst.Import:
            context.imports.add_import(cast(cst.Import, node))
        elif cls is cst.ImportFrom:
            context.imports.add_import_from(cast(cst.ImportFrom, node))
        handlers = self.visit.get(cls)
        if handlers:
            self._call(handlers, node)
        for name in node_fields(cls):
            value = getattr(node, name)
            kind = type(value)
            if kind in NODE_CLASSES:
                self._walk(value)
            elif kind is tuple or kind is list:
                for item in value:
                    if type(item) in NODE_CLASSES:
                        self._walk(item)
        handlers = self.leave.get(cls)
        if handlers:
            self._call(handlers, node)
        stack.pop()


def _prescan_imports(context: FileContext) -> None:
    """Record top-level imports and definitions before the walk, so that a function
    defined above an import still resolves the names it uses."""
    imports = context.imports
    pending: list[cst.CSTNode] = list(context.module.body)
    while pending:
        statement = pending.pop()
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Import):
                    imports.add_import(small)
                elif isinstance(small, cst.ImportFrom):
                    imports.add_import_from(small)
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            imports.add_definition(statement.name.value)
        elif isinstance(statement, (cst.If, cst.Try)):
            pending.extend(statement.body.body)
            if isinstance(statement, cst.Try):
                for handler in statement.handlers:
                    pending.extend(handler.body.body)
