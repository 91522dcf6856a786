"""Whether a loop variable is observed outside its loop (shared by ECO107 and ECO108).

A fix that stops binding a loop variable (``for k, v in d.items()`` → ``for k in d``,
``for i in range(len(s))`` → ``for x in s``) is safe only if nothing else in the scope
can read the variable's last value.
"""

from __future__ import annotations

import libcst as cst

from ecolint import Rule, children, descendants, find_all, names_bound, names_read

# Reading these may observe any local binding.
_INTROSPECTION = frozenset({"locals", "vars", "eval", "exec"})
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)
_NESTED_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)


def observed_outside(rule: Rule, loop: cst.For, name: str) -> bool:
    """Whether ``name``, bound by the target of ``loop``, may be read, deleted or shared
    (``global``/``nonlocal``, a class attribute) anywhere in the enclosing scope other
    than the loop's own body. Conservative: any doubt answers ``True``."""
    scope = rule.enclosing_scope(loop)
    if isinstance(scope, cst.ClassDef):
        return True  # the loop variable is a class attribute
    if names_read(scope) & _INTROSPECTION or read_outside(rule, loop, name):
        return True
    for statement in find_all(scope, (cst.Global, cst.Nonlocal, cst.Del)):
        if isinstance(statement, cst.Del):
            declared = names_bound(statement)
        else:
            declared = {item.name.value for item in statement.names}  # type: ignore[attr-defined]
        if name in declared:
            return True
    return False


def read_outside(rule: Rule, loop: cst.For, name: str) -> bool:
    """Whether ``name`` may be read in the enclosing scope outside the body of ``loop``:
    in its iterable or ``else``, before or after it, or in a nested function."""
    if _may_read(loop.iter, name) or (loop.orelse is not None and _may_read(loop.orelse, name)):
        return True
    scope = rule.enclosing_scope(loop)
    on_path = {id(ancestor) for ancestor in rule.ancestors(loop)}
    pending = [scope.body if isinstance(scope, (cst.FunctionDef, cst.ClassDef)) else scope]
    while pending:
        for child in children(pending.pop()):
            if id(child) in on_path:
                pending.append(child)
            elif child is not loop and _may_read(child, name):
                return True
    return False


def _may_read(node: cst.CSTNode, name: str) -> bool:
    """Whether ``node`` may read the enclosing scope's ``name``. Reads in the body of a
    ``for`` (without nested functions) or a comprehension that rebinds ``name`` itself see
    that binding, not the enclosing one, and do not count."""
    if name not in names_read(node):
        return False
    if (
        isinstance(node, cst.For)
        and name in target_names(node.target)
        and not any(isinstance(below, _NESTED_SCOPES) for below in descendants(node.body))
    ):
        return _may_read(node.iter, name) or (
            node.orelse is not None and _may_read(node.orelse, name)
        )
    if isinstance(node, _COMPREHENSIONS) and name in target_names(node.for_in.target):
        return _may_read(node.for_in.iter, name)
    if not any(isinstance(below, (cst.For, *_COMPREHENSIONS)) for below in descendants(node)):
        return True
    return any(_may_read(child, name) for child in children(node))


def target_names(target: cst.BaseExpression) -> set[str]:
    """The plain names a ``for`` target binds (not attributes or subscripts)."""
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return set().union(*(target_names(element.value) for element in target.elements))
    if isinstance(target, cst.StarredElement):
        return target_names(target.value)
    return set()
