"""ecolint: find the code that wastes energy, measure what it costs.

The public, typed API. Rule packs import from here only. The names are loaded on first
use (PEP 562), so that importing a submodule such as ``ecolint.config`` — which the
pytest plugin does in every test session — does not pay for libcst. Each name is listed
three times (the typed imports, ``_HOMES``, ``__all__``): ``tests/test_public_api.py``
keeps them in step.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ecolint.lint.analysis import (
        SCOPE_BOUNDARIES,
        attribute_assignments,
        enclosing_loop,
        names_bound,
        names_read,
        simple_assignments,
    )
    from ecolint.lint.imports import dotted_name
    from ecolint.lint.rule import Invalid, Replacement, Rule, Valid
    from ecolint.lint.tree import children, descendants, find_all
    from ecolint.results import FileResult, Finding, Fix, InternalError, LintReport, RuleInfo

_HOMES = {
    "SCOPE_BOUNDARIES": "ecolint.lint.analysis",
    "enclosing_loop": "ecolint.lint.analysis",
    "names_bound": "ecolint.lint.analysis",
    "names_read": "ecolint.lint.analysis",
    "simple_assignments": "ecolint.lint.analysis",
    "attribute_assignments": "ecolint.lint.analysis",
    "dotted_name": "ecolint.lint.imports",
    "Invalid": "ecolint.lint.rule",
    "Replacement": "ecolint.lint.rule",
    "Rule": "ecolint.lint.rule",
    "Valid": "ecolint.lint.rule",
    "children": "ecolint.lint.tree",
    "descendants": "ecolint.lint.tree",
    "find_all": "ecolint.lint.tree",
    "FileResult": "ecolint.results",
    "Finding": "ecolint.results",
    "Fix": "ecolint.results",
    "InternalError": "ecolint.results",
    "LintReport": "ecolint.results",
    "RuleInfo": "ecolint.results",
}

__all__ = [
    "SCOPE_BOUNDARIES",
    "FileResult",
    "Finding",
    "Fix",
    "InternalError",
    "Invalid",
    "LintReport",
    "Replacement",
    "Rule",
    "RuleInfo",
    "Valid",
    "attribute_assignments",
    "children",
    "descendants",
    "dotted_name",
    "enclosing_loop",
    "find_all",
    "names_bound",
    "names_read",
    "simple_assignments",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'ecolint' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
