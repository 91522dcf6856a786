"""The public API of ``ecolint`` lists each name three times (the typed imports under
``TYPE_CHECKING``, the lazy ``_HOMES`` table and ``__all__``): they must agree, and each
name must exist where ``_HOMES`` says, or a rule pack breaks on first use."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import ecolint

INIT = Path(ecolint.__file__)


def typed_imports() -> dict[str, str]:
    """``name → module`` of the imports in ``if TYPE_CHECKING:`` of ``ecolint/__init__.py``."""
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    [block] = [
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    ]
    return {
        alias.asname or alias.name: node.module or ""
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def test_the_typed_imports_the_lazy_table_and_all_name_the_same_things():
    homes = ecolint._HOMES
    assert typed_imports() == homes
    assert sorted(ecolint.__all__) == sorted(homes)
    assert len(ecolint.__all__) == len(set(ecolint.__all__))


def test_every_public_name_loads_from_its_home():
    for name, home in ecolint._HOMES.items():
        assert getattr(ecolint, name) is getattr(importlib.import_module(home), name), name
    assert "SCOPE_BOUNDARIES" in dir(ecolint)
