"""Whether a loop variable is observed outside its loop (shared by ECO107 and ECO108).

A fix that stops binding a loop variable (``for k, v in d.items()`` → ``for k in d``,
``for i in range(len(s))`` → ``for x in s``) is safe only if nothing else in the scope
can read the variable's last value.
"""

from __future__ import annotations

import libcst as cst

from ecolint import SCOPE_BOUNDARIES, Rule, children, descendants, find_all, names_bound
from ecolint.lint.analysis import target_names

# Reading these may observe any local binding.
_INTROSPECTION = frozenset({"locals", "vars", "eval", "exec"})
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)
# Fields holding a binding (or an attribute or keyword name), never a read of a name.
_NOT_READ_FIELDS = {
    cst.AssignTarget: ("target",),
    cst.AnnAssign: ("target",),
    cst.NamedExpr: ("target",),
    cst.Del: ("target",),
    cst.For: ("target",),
    cst.CompFor: ("target",),
    cst.Attribute: ("attr",),
    cst.Arg: ("keyword",),
    cst.FunctionDef: ("name",),
    cst.ClassDef: ("name",),
    cst.Param: ("name",),
}
_NOT_READS = (cst.Import, cst.ImportFrom, cst.Global, cst.Nonlocal, cst.AsName)


def observed_outside(rule: Rule, loop: cst.For, name: str) -> bool:
    """Whether ``name``, bound by the target of ``loop``, may be read, deleted or shared
    (``global``/``nonlocal``, a class attribute) anywhere in the enclosing scope other
    than the loop's own body. Conservative: any doubt answers ``True``."""
    scope = rule.enclosing_scope(loop)
    if isinstance(scope, cst.ClassDef):
        return True  # the loop variable is a class attribute
    if read_outside(rule, loop, name):
        return True
    if any(found.value in _INTROSPECTION for found in find_all(scope, cst.Name)):
        return True
    for statement in find_all(scope, (cst.Global, cst.Nonlocal, cst.Del)):
        if isinstance(statement, cst.Del):
            declared = names_bound(statement)
        else:
            declared = {item.name.value for item in statement.names}
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
    """Whether ``node`` may read the enclosing scope's ``name``: one walk that stops at the
    first read. Plain-name assignment targets and definitions are not reads. Reads in the
    body of a ``for`` (without nested functions) or a comprehension that rebinds ``name``
    itself see that binding, not the enclosing one, and do not count."""
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, cst.Name):
            if current.value == name:
                return True
        elif isinstance(current, cst.For) and name in target_names(current.target):
            if any(isinstance(below, SCOPE_BOUNDARIES) for below in descendants(current.body)):
                pending.append(current.body)
            pending.append(current.iter)
            if current.orelse is not None:
                pending.append(current.orelse)
        elif isinstance(current, _COMPREHENSIONS) and name in target_names(current.for_in.target):
            pending.append(current.for_in.iter)
        elif not isinstance(current, _NOT_READS):
            # A plain name in a binding field binds (or names an attribute), never reads.
            skipped = [getattr(current, field) for field in _NOT_READ_FIELDS.get(type(current), ())]
            pending.extend(
                child
                for child in children(current)
                if not (isinstance(child, cst.Name) and any(child is s for s in skipped))
            )
    return False
