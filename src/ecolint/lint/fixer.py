"""Applies rule fixes to a module: nodes are replaced by identity, in one transform."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import libcst as cst

from ecolint.lint.imports import ImportTable
from ecolint.lint.rule import Replacement


class _Replacer(cst.CSTTransformer):
    def __init__(self, replacements: Mapping[int, Replacement]) -> None:
        super().__init__()
        self.replacements = replacements

    # A fix may put a node of another type in place (a statement for another kind of
    # statement), which libcst's signature (a node comes back as its own type) forbids.
    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> Replacement:
        return self.replacements.get(id(original_node), updated_node)


def apply_replacements(
    module: cst.Module, replacements: Mapping[int, Replacement], imports: Iterable[str]
) -> cst.Module:
    """``module`` with each node whose ``id`` is a key replaced, and ``import x`` added
    for each module in ``imports`` that the module does not import under its own name."""
    fixed = module.visit(_Replacer(replacements))
    assert isinstance(fixed, cst.Module)
    return _ensure_imports(fixed, imports)


def _ensure_imports(module: cst.Module, names: Iterable[str]) -> cst.Module:
    table = ImportTable()
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Import):
                    table.add_import(small)
    missing = sorted({name for name in names if table.aliases.get(name) != name})
    if not missing:
        return module
    new = [cst.parse_statement(f"import {name}\n") for name in missing]
    body = list(module.body)
    position = 0
    for index, statement in enumerate(body):
        if _is_docstring_or_future(statement, index):
            position = index + 1
        else:
            break
    return module.with_changes(body=body[:position] + new + body[position:])


def _is_docstring_or_future(statement: cst.CSTNode, index: int) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    if index == 0 and isinstance(small, cst.Expr) and isinstance(small.value, cst.BaseString):
        return True
    return (
        isinstance(small, cst.ImportFrom)
        and isinstance(small.module, cst.Name)
        and small.module.value == "__future__"
    )
