"""Whether a statement in a loop body runs at most once per entry into the loop.

`for d in dirs: ...; tail.insert(0, d); return tail` sits in a loop, but the `return`
right after it means the loop never repeats it. Rules whose waste comes from repetition
(ECO109, ECO202) ask this before reporting.
"""

from __future__ import annotations

import libcst as cst

from ecolint import Rule

_EXITS = (cst.Return, cst.Raise, cst.Break)
_BLOCKS = (cst.IndentedBlock, cst.SimpleStatementLine, cst.SimpleStatementSuite)


def leaves_loop_after(rule: Rule, node: cst.CSTNode, loop: cst.CSTNode) -> bool:
    """Whether a ``return``, ``raise`` or ``break`` follows ``node`` unconditionally in
    one of the blocks between it and ``loop`` (``loop`` must be its nearest loop); the
    body of a ``with`` whose header holds ``node`` counts as following it."""
    child = node
    for ancestor in rule.ancestors(node):
        if ancestor is loop:
            return False
        if _with_header_then_exit(ancestor, child):
            return True
        if isinstance(ancestor, _BLOCKS):
            siblings = list(ancestor.body)
            index = next((i for i, s in enumerate(siblings) if s is child), None)
            if index is not None and any(_exits(s) for s in siblings[index + 1 :]):
                return True
        child = ancestor
    return False


def _with_header_then_exit(ancestor: cst.CSTNode, child: cst.CSTNode) -> bool:
    """``with <child>: ...; return``: the body runs right after the header, once."""
    return (
        isinstance(ancestor, cst.With)
        and any(child is item for item in ancestor.items)
        and isinstance(ancestor.body, cst.IndentedBlock)
        and any(_exits(statement) for statement in ancestor.body.body)
    )


def _exits(statement: cst.CSTNode) -> bool:
    if isinstance(statement, _EXITS):
        return True
    if isinstance(statement, cst.SimpleStatementLine):
        return any(isinstance(small, _EXITS) for small in statement.body)
    return False
