"""The per-file state the engine shares with the rules while it walks one module."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from ecolint.lint.imports import ImportTable
from ecolint.results import FileKind

if TYPE_CHECKING:
    from ecolint.lint.rule import Report


class FileContext:
    """The module being walked, its import table, the path from the root to the current
    node (``stack``), the reports raised so far, and ``memo``: answers that rules share
    for this file (``ecolint.lint.analysis.memoised``), dropped with the context."""

    __slots__ = ("imports", "kind", "memo", "module", "path", "reports", "stack")

    def __init__(self, path: str, module: cst.Module, kind: FileKind = "app") -> None:
        self.path = path
        self.module = module
        self.kind = kind
        self.imports = ImportTable()
        self.stack: list[cst.CSTNode] = []
        self.reports: list[Report] = []
        self.memo: dict[tuple[str, int], tuple[cst.CSTNode, object]] = {}

    def ancestors(self, node: cst.CSTNode) -> list[cst.CSTNode]:
        """Ancestors of ``node``, nearest first. ``node`` is looked up on the current path;
        a node below the current one gets the current path as its ancestors."""
        stack = self.stack
        for index in range(len(stack) - 1, -1, -1):
            if stack[index] is node:
                return stack[index - 1 :: -1] if index else []
        return stack[::-1]
