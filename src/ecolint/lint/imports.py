"""Qualified names through imports, from a cheap per-module alias table.

libcst's ``QualifiedNameProvider`` costs about 8.5 libcst parses per file (README.md, "How
it is built"). Rules only need "what does this dotted name refer to",
so the engine records every ``import`` it walks past and resolves names from that table.
A name that no import binds and that is a builtin resolves to ``builtins.<name>``.
"""

from __future__ import annotations

import builtins

import libcst as cst

_BUILTINS = frozenset(dir(builtins))


def dotted_name(node: cst.CSTNode) -> str | None:
    """``a.b.c`` for a chain of ``Name``/``Attribute`` nodes, else ``None``."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


class ImportTable:
    """Local name → fully qualified name, filled while the engine walks the module."""

    __slots__ = ("aliases", "shadowed")

    def __init__(self) -> None:
        self.aliases: dict[str, str] = {}
        self.shadowed: set[str] = set()

    def add_import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = dotted_name(alias.name)
            if full is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.aliases[alias.asname.name.value] = full
            else:
                top = full.split(".", 1)[0]
                self.aliases[top] = top

    def add_import_from(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        module = dotted_name(node.module)
        if module is None:
            return
        for alias in node.names:
            name = dotted_name(alias.name)
            if name is None:
                continue
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self.aliases[local] = f"{module}.{name}"

    def add_definition(self, name: str) -> None:
        """A module-level ``def``/``class`` named like a builtin shadows it."""
        if name in _BUILTINS:
            self.shadowed.add(name)

    def imports_module(self, *modules: str) -> bool:
        """Whether any import brings in one of ``modules`` (or something inside them)."""
        for full in self.aliases.values():
            for module in modules:
                if full == module or full.startswith(module + "."):
                    return True
        return False

    def local_name_for(self, qualified: str) -> str | None:
        """The local spelling of a module or object, if the module imports it."""
        for local, full in self.aliases.items():
            if full == qualified:
                return local
        return None

    def qualified_name(self, node: cst.CSTNode) -> str | None:
        if isinstance(node, cst.Call):
            node = node.func
        dotted = dotted_name(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        full = self.aliases.get(head)
        if full is None:
            full = f"builtins.{head}" if head in _BUILTINS and head not in self.shadowed else head
        return f"{full}.{rest}" if rest else full
