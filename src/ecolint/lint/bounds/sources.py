"""Data of any size: results of database, file and API calls, and what a caller hands in.

A loop over a queryset, ``cursor.fetchall()``, ``os.listdir(...)`` or ``response.json()``
processes whatever amount the application holds, so an O(n) waste in it is worth acting
on: the size-sensitive rules report those findings with ``high`` confidence (issue 16).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from ecolint.lint.analysis import COMPREHENSIONS, access_root, assignments
from ecolint.lint.bounds.shared import MAX_DEPTH, SAME_SIZE, VIEWS, parameters

if TYPE_CHECKING:
    from ecolint.lint.rule import Rule

_DATA_CALLS = frozenset(
    {
        "builtins.open",
        "os.listdir",
        "os.scandir",
        "os.walk",
        "glob.glob",
        "glob.iglob",
        "json.load",
        "json.loads",
        "csv.reader",
        "csv.DictReader",
        "pickle.load",
    }
)
_DATA_METHODS = frozenset(
    {
        "all",
        "filter",
        "exclude",
        "order_by",
        "values_list",
        "annotate",
        "select_related",
        "prefetch_related",
        "only",
        "defer",
        "distinct",
        "iterator",
        "get_queryset",
        "fetchall",
        "fetchmany",
        "execute",
        "scalars",
        "cursor",
        "readlines",
        "json",
        "iterdir",
        "glob",
        "rglob",
        "find_all",
        "findall",
        "paginate",
    }
)


def plausibly_large(
    rule: Rule, expression: cst.BaseExpression, scope: cst.CSTNode, depth: int = 0
) -> bool:
    """Whether ``expression``, read in ``scope``, holds the result of a database, file
    or API call: directly, through a comprehension, a subscript or a wrapper
    (``list``, ``zip``, ``.items()``…) over one, or through a name bound to one there."""
    if depth > MAX_DEPTH:
        return False
    if isinstance(expression, COMPREHENSIONS):
        return plausibly_large(rule, expression.for_in.iter, scope, depth + 1)
    if isinstance(expression, cst.Subscript):
        return plausibly_large(rule, expression.value, scope, depth + 1)
    if isinstance(expression, cst.Name):
        if isinstance(scope, cst.Lambda):
            return False
        values = assignments(rule, scope, expression.value)
        return any(plausibly_large(rule, value, scope, depth + 1) for value in values)
    if not isinstance(expression, cst.Call):
        return False
    name = rule.qualified_name(expression) or ""
    if name in _DATA_CALLS or name.startswith("pandas.read_"):
        return True
    positional = [arg.value for arg in expression.args if arg.keyword is None and not arg.star]
    if name in SAME_SIZE or name in ("builtins.zip", "builtins.map", "builtins.filter"):
        return any(plausibly_large(rule, value, scope, depth + 1) for value in positional)
    func = expression.func
    if not isinstance(func, cst.Attribute):
        return False
    method = func.attr.value
    if method in _DATA_METHODS or (method == "values" and expression.args):
        return True
    return method in VIEWS and plausibly_large(rule, func.value, scope, depth + 1)


def parameter_data(rule: Rule, expression: cst.BaseExpression, scope: cst.CSTNode) -> bool:
    """Whether ``expression`` is a parameter of the function ``scope`` (other than
    ``self``/``cls``) or reached from one (``order.items``, ``request.data.keys()``)."""
    if not isinstance(scope, cst.FunctionDef):
        return False
    root = access_root(expression)
    if not isinstance(root, cst.Name) or root.value in ("self", "cls"):
        return False
    return root.value in parameters(rule, scope)
