"""Whether an expression is a pandas DataFrame or Series (shared by the pandas rules).

Precision matters more than recall here: `.apply`, `.loc` and `.append` exist on many
objects, so an expression counts as a frame only on real evidence — a pandas call, a
method chain on such a call, a name the scope binds only to frames — or, for names
that no assignment explains (parameters, attributes), a frame-like name (`df`,
`sales_df`, `frame`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import libcst as cst

from ecolint import names_bound, simple_assignments

if TYPE_CHECKING:
    from ecolint import Rule

PANDAS_MODULES = ("pandas", "geopandas", "modin.pandas")
_FRAME_NAME = re.compile(r"^(df|dfs?\d*|.*_df\d*|df_.*|.*frame\d*)$", re.IGNORECASE)
# Methods that give a value which is not a frame (a scalar, an array, a dict, …).
_NOT_FRAME_METHODS = frozenset(
    {"to_numpy", "to_dict", "to_list", "tolist", "to_json", "to_csv", "item", "iterrows"}
)


def frame_like_name(name: str) -> bool:
    """`df`, `df2`, `sales_df`, `df_sales`, `frame`, `data_frame` — not `data`, `rows`."""
    return bool(_FRAME_NAME.match(name))


def is_pandas_call(rule: Rule, node: cst.BaseExpression) -> bool:
    if not isinstance(node, cst.Call):
        return False
    name = rule.qualified_name(node)
    return name is not None and any(name.startswith(f"{module}.") for module in PANDAS_MODULES)


def is_frame(
    rule: Rule, node: cst.BaseExpression, at: cst.CSTNode, seen: frozenset[str] = frozenset()
) -> bool:
    """Whether ``node`` (seen from ``at``, a node on the current path) is a pandas object.
    ``seen``: the names being resolved, so that `df = df.dropna()` ends on the name."""
    if len(seen) > 4:
        return False
    if isinstance(node, cst.Call):
        if is_pandas_call(rule, node):
            return True
        func = node.func
        return (
            isinstance(func, cst.Attribute)
            and func.attr.value not in _NOT_FRAME_METHODS
            and is_frame(rule, func.value, at, seen)
        )
    if isinstance(node, cst.Subscript):
        return is_frame(rule, node.value, at, seen)
    if isinstance(node, cst.Attribute):
        if node.attr.value in ("loc", "iloc"):
            return is_frame(rule, node.value, at, seen)
        return frame_like_name(node.attr.value)
    if isinstance(node, cst.Name):
        if node.value in seen:
            return frame_like_name(node.value)
        scope = rule.enclosing_scope(at)
        values = simple_assignments(scope, node.value)
        if not values and scope is not rule.module and node.value not in names_bound(scope):
            values = simple_assignments(rule.module, node.value)
        if values:
            return all(is_frame(rule, value, at, seen | {node.value}) for value in values)
        return frame_like_name(node.value)
    return False
