"""Adding a keyword argument to a call while keeping its layout (shared by the fixes)."""

from __future__ import annotations

import libcst as cst


def keyword_arg(name: str, value: cst.BaseExpression) -> cst.Arg:
    """`name=value`, without spaces around `=` (PEP 8 for keyword arguments)."""
    return cst.Arg(
        value=value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""),
            whitespace_after=cst.SimpleWhitespace(""),
        ),
    )


def with_appended_arg(call: cst.Call, arg: cst.Arg) -> cst.Call:
    """``call`` with ``arg`` last. The new argument takes over the old last argument's
    comma (a trailing comma stays trailing), and the old last argument gets a comma like
    the one before it (a call written one argument per line stays so)."""
    args = list(call.args)
    if not args:
        return call.with_changes(args=[arg])
    spacing: cst.BaseParenthesizableWhitespace = cst.SimpleWhitespace(" ")
    if len(args) >= 2 and isinstance(args[-2].comma, cst.Comma):
        spacing = args[-2].comma.whitespace_after
    last = args[-1]
    args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=spacing))
    args.append(arg.with_changes(comma=last.comma))
    return call.with_changes(args=args)
