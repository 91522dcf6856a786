"""ecolint: find the code that wastes energy, measure what it costs.

The public, typed API. Rule packs import from here only.
"""

from __future__ import annotations

from ecolint.lint.analysis import enclosing_loop, names_bound, names_read, simple_assignments
from ecolint.lint.imports import dotted_name
from ecolint.lint.rule import Invalid, Replacement, Rule, Valid
from ecolint.lint.tree import children, descendants, find_all
from ecolint.results import FileResult, Finding, Fix, InternalError, LintReport, RuleInfo

__all__ = [
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
    "children",
    "descendants",
    "dotted_name",
    "enclosing_loop",
    "find_all",
    "names_bound",
    "names_read",
    "simple_assignments",
]
