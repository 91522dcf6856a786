"""Small, local analyses that rules share: loops, names read and names bound.

They work on a subtree (a loop body, a function) rather than on whole-module scope
metadata, which would cost several parses per file. Rules ask the same questions about
one function many times (every logger call, every ``x in name`` in it), so the
``rule``-taking variants answer from a memo kept for the file being walked.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, TypeVar

import libcst as cst

from ecolint.lint.imports import dotted_name
from ecolint.lint.tree import children

if TYPE_CHECKING:
    from ecolint.lint.rule import Rule

_T = TypeVar("_T")

COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)
# The nodes that open a new scope: a loop or a name binding does not reach through them.
# Public as ``ecolint.SCOPE_BOUNDARIES``, so rules use this one tuple, not a copy.
SCOPE_BOUNDARIES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
_STATEMENT_CONTAINERS = (
    cst.BaseSuite,
    cst.BaseCompoundStatement,
    cst.SimpleStatementLine,
    cst.Else,
    cst.ExceptHandler,
    cst.ExceptStarHandler,
    cst.Finally,
    cst.MatchCase,
)


def enclosing_loop(node: cst.CSTNode, ancestors: Sequence[cst.CSTNode]) -> cst.CSTNode | None:
    """The loop that repeats ``node``, given its ancestors nearest first (see ``Rule``)."""
    child = node
    for ancestor in ancestors:
        if isinstance(ancestor, SCOPE_BOUNDARIES):
            return None
        if isinstance(ancestor, cst.For):
            if child is ancestor.body:
                return ancestor
        elif isinstance(ancestor, cst.While):
            if child is ancestor.body or child is ancestor.test:
                return ancestor
        elif isinstance(ancestor, cst.CompFor):
            if child is ancestor.inner_for_in or any(child is c for c in ancestor.ifs):
                return ancestor
        elif isinstance(ancestor, COMPREHENSIONS) and child is not ancestor.for_in:
            return ancestor
        child = ancestor
    return None


def enclosing_loops(node: cst.CSTNode, ancestors: Sequence[cst.CSTNode]) -> list[cst.CSTNode]:
    """Every loop that repeats ``node`` within its own function, innermost first: how
    often ``node`` runs is the product of their sizes, so a rule that prices a pattern
    by that count (a copy per iteration) must look at all of them, not only the nearest."""
    loops: list[cst.CSTNode] = []
    current, above = node, ancestors
    while (loop := enclosing_loop(current, above)) is not None:
        loops.append(loop)
        index = next(i for i, ancestor in enumerate(above) if ancestor is loop)
        current, above = loop, above[index + 1 :]
    return loops


def names_read(node: cst.CSTNode) -> set[str]:
    """Every plain name loaded somewhere in ``node``."""
    reads: set[str] = set()
    _collect(node, reads, set())
    return reads


def names_bound(node: cst.CSTNode) -> set[str]:
    """Every plain name stored somewhere in ``node`` (assignments, loop and ``with``
    targets, walrus, ``del``, imports, ``def``/``class`` names, ``except … as``)."""
    stores: set[str] = set()
    _collect(node, set(), stores)
    return stores


def target_names(target: cst.BaseExpression) -> set[str]:
    """The plain names an assignment or ``for`` target binds (not attributes or
    subscripts): ``{a, b, c}`` for ``a, (b, *c)``."""
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return set().union(*(target_names(element.value) for element in target.elements))
    if isinstance(target, cst.StarredElement):
        return target_names(target.value)
    return set()


def access_root(expression: cst.BaseExpression) -> cst.BaseExpression:
    """What an access chain starts from: ``d`` for ``d``, ``d.x``, ``d[i]``, ``d.keys()``
    or ``d[i].get(k)``; the chain reads that object, so it shares its origin."""
    while True:
        if isinstance(expression, (cst.Attribute, cst.Subscript)):
            expression = expression.value
        elif isinstance(expression, cst.Call) and isinstance(expression.func, cst.Attribute):
            expression = expression.func.value
        else:
            return expression


def integer_value(expression: cst.BaseExpression) -> int | None:
    """The value of an integer literal, negative ones included (``3``, ``-1``)."""
    if isinstance(expression, cst.Integer):
        return int(expression.evaluated_value)
    if (
        isinstance(expression, cst.UnaryOperation)
        and isinstance(expression.operator, cst.Minus)
        and isinstance(expression.expression, cst.Integer)
    ):
        return -int(expression.expression.evaluated_value)
    return None


def _collect_target(target: cst.CSTNode, reads: set[str], stores: set[str]) -> None:
    if isinstance(target, cst.Name):
        stores.add(target.value)
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            _collect_target(element.value, reads, stores)
    elif isinstance(target, cst.StarredElement):
        _collect_target(target.value, reads, stores)
    else:  # x.attr = … and x[i] = … read x (and i)
        _collect(target, reads, stores)


def _collect(node: cst.CSTNode, reads: set[str], stores: set[str]) -> None:
    if isinstance(node, cst.Name):
        reads.add(node.value)
    elif isinstance(node, (cst.Attribute, cst.Arg)):
        _collect(node.value, reads, stores)
    elif isinstance(node, cst.Assign):
        for target in node.targets:
            _collect_target(target.target, reads, stores)
        _collect(node.value, reads, stores)
    elif isinstance(node, cst.AugAssign):
        _collect_target(node.target, reads, stores)
        _collect(node.target, reads, stores)
        _collect(node.value, reads, stores)
    elif isinstance(node, cst.AnnAssign):
        _collect_target(node.target, reads, stores)
        if node.value is not None:
            _collect(node.value, reads, stores)
    elif isinstance(node, (cst.For, cst.CompFor)):
        _collect_target(node.target, reads, stores)
        for child in children(node):
            if child is not node.target:
                _collect(child, reads, stores)
    elif isinstance(node, cst.NamedExpr):
        _collect_target(node.target, reads, stores)
        _collect(node.value, reads, stores)
    elif isinstance(node, cst.AsName):
        _collect_target(node.name, reads, stores)
    elif isinstance(node, cst.Del):
        _collect_target(node.target, reads, stores)
    elif isinstance(node, (cst.FunctionDef, cst.ClassDef)):
        stores.add(node.name.value)
        for child in children(node):
            if child is not node.name:
                _collect(child, reads, stores)
    elif isinstance(node, cst.Param):
        stores.add(node.name.value)
        if node.default is not None:
            _collect(node.default, reads, stores)
    elif isinstance(node, cst.ImportAlias):
        if node.asname is None:
            name: cst.BaseExpression = node.name
            while isinstance(name, cst.Attribute):
                name = name.value
            if isinstance(name, cst.Name):
                stores.add(name.value)
        else:
            _collect_target(node.asname.name, reads, stores)
    elif isinstance(node, cst.ImportFrom):
        if not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                _collect(alias, reads, stores)
    elif isinstance(node, (cst.Global, cst.Nonlocal)):
        return
    else:
        for child in children(node):
            _collect(child, reads, stores)


def simple_assignments(scope: cst.CSTNode, name: str) -> list[cst.BaseExpression]:
    """The values assigned to ``name`` by plain ``name = value`` / ``name: T = value``
    statements directly in ``scope`` (nested functions and classes excluded), in order."""
    return _assignment_index(scope).get(name, [])


def statements(scope: cst.CSTNode, *, nested: bool = False) -> list[cst.CSTNode]:
    """The nodes of ``scope`` reached through statements only, in order: its compound
    statements, lines and small statements (an assignment, ``global``…), without
    descending into expressions. Nested functions and classes are listed but not entered
    unless ``nested``. Statements hold no expression walk, so this costs a fraction of
    ``descendants`` on a function."""
    found: list[cst.CSTNode] = []
    stack = list(children(scope))
    stack.reverse()
    while stack:
        current = stack.pop()
        found.append(current)
        if isinstance(current, _STATEMENT_CONTAINERS) and (
            nested or not isinstance(current, (cst.FunctionDef, cst.ClassDef))
        ):
            below = list(children(current))
            below.reverse()
            stack.extend(below)
    return found


def _assignment_index(scope: cst.CSTNode) -> dict[str, list[cst.BaseExpression]]:
    """``name`` → the values of its plain assignments directly in ``scope``, in order."""
    index: dict[str, list[cst.BaseExpression]] = {}
    for current in statements(scope):
        if isinstance(current, cst.Assign):
            for target in current.targets:
                if isinstance(target.target, cst.Name):
                    index.setdefault(target.target.value, []).append(current.value)
        elif (
            isinstance(current, cst.AnnAssign)
            and isinstance(current.target, cst.Name)
            and current.value is not None
        ):
            index.setdefault(current.target.value, []).append(current.value)
    return index


# -- answered once per file ------------------------------------------------------------


def memoised(rule: Rule, what: str, node: cst.CSTNode, compute: Callable[[], _T]) -> _T:
    """``compute()``, remembered for ``node`` while the engine walks the current file
    (nodes do not change, so neither does the answer). The entry keeps ``node`` alive,
    so its ``id`` cannot be reused for another node while the entry exists."""
    memo = rule.context.memo if rule.context is not None else {}
    key = (what, id(node))
    entry = memo.get(key)
    if entry is None:
        entry = memo[key] = (node, compute())
    # The memo holds values of every type; ``what`` names one kind of answer, and each
    # kind is computed by one ``compute``, so the entry has the type ``compute`` returns.
    return entry[1]  # type: ignore[return-value]


def assignments(rule: Rule, scope: cst.CSTNode, name: str) -> list[cst.BaseExpression]:
    """``simple_assignments(scope, name)``, from an index of ``scope`` built once per
    file: one walk answers every name asked about that scope."""
    index = memoised(rule, "assignments", scope, lambda: _assignment_index(scope))
    return list(index.get(name, ()))


def bound_names(rule: Rule, node: cst.CSTNode) -> frozenset[str]:
    """``names_bound(node)``, computed once per file for each node asked about."""
    return memoised(rule, "bound", node, lambda: frozenset(names_bound(node)))


def visible_assignments(rule: Rule, scope: cst.CSTNode, name: str) -> list[cst.BaseExpression]:
    """The values that ``name``, read in ``scope``, may hold: its plain assignments in
    ``scope``, or, when ``scope`` binds it in no way at all (no assignment, parameter,
    loop target, import…), those at the module level, where Python looks it up next."""
    values = assignments(rule, scope, name)
    if not values and scope is not rule.module and name not in bound_names(rule, scope):
        values = assignments(rule, rule.module, name)
    return values


def attribute_assignments(
    cls: cst.ClassDef, attr: str, owners: Collection[str] = ("self",)
) -> list[cst.BaseExpression]:
    """The values assigned to ``self.<attr>`` (``self.x = v`` or ``self.x: T = v``) anywhere
    in the class, its methods included, in order; ``owners`` widens ``self`` (``cls``)."""
    return [
        value
        for target, value in _bindings(cls)
        if isinstance(target, cst.Attribute)
        and target.attr.value == attr
        and dotted_name(target.value) in owners
    ]


def target_assignments(scope: cst.CSTNode, target: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The values assigned to an expression equal to ``target`` (``obj.x``, ``d["k"]``,
    ``self.a.b``) anywhere in ``scope``, nested functions and classes included, in order:
    ``attribute_assignments`` for any assignable expression, not only ``self.<attr>``."""
    return [value for bound, value in _bindings(scope) if _equal_targets(bound, target)]


def _bindings(scope: cst.CSTNode) -> list[tuple[cst.BaseExpression, cst.BaseExpression]]:
    """(target, value) of every ``target = value`` and ``target: T = value`` in ``scope``,
    nested scopes included, in order (assignments are statements: no expression walk)."""
    found: list[tuple[cst.BaseExpression, cst.BaseExpression]] = []
    for statement in statements(scope, nested=True):
        if isinstance(statement, cst.Assign):
            found.extend((target.target, statement.value) for target in statement.targets)
        elif isinstance(statement, cst.AnnAssign) and statement.value is not None:
            found.append((statement.target, statement.value))
    return found


def _equal_targets(bound: cst.BaseExpression, target: cst.BaseExpression) -> bool:
    """``bound.deep_equals(target)``, with the attribute names compared first: a class
    assigns many ``self.<attr>``, and a full comparison of each costs far more."""
    if (
        isinstance(bound, cst.Attribute)
        and isinstance(target, cst.Attribute)
        and bound.attr.value != target.attr.value
    ):
        return False
    return bound.deep_equals(target)


def rebinds_locally(rule: Rule, node: cst.CSTNode, name: str) -> bool:
    """Whether ``name``, seen from ``node``, is not the module an import brought in: the
    module assigns it (``requests = RequestSession()``), or an enclosing function takes
    it as a parameter or assigns it (``def parse(url, requests): requests.get(url)``).
    The import table maps names to imports for the whole file; this is the scope check
    it leaves out, asked only when a rule's finding depends on the library. A module-level
    ``name = None`` (the fallback of an optional import) does not count."""
    # `requests = None` after a failed import is the same optional module, not another one
    if any(dotted_name(value) != "None" for value in assignments(rule, rule.module, name)):
        return True
    for ancestor in rule.ancestors(node):
        if isinstance(ancestor, cst.FunctionDef) and (
            name in bound_names(rule, ancestor.params) or assignments(rule, ancestor, name)
        ):
            return True
    return False
