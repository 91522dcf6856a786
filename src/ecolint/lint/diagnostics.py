"""Findings about a file itself rather than its code: it cannot be read or parsed.

They are always on. A file that does not parse is a finding (exit 1, like any other),
never a crash: the run goes on with the other files.
"""

from __future__ import annotations

from ecolint.results import Finding, RuleInfo

INVALID_SYNTAX = RuleInfo(
    code="ECO001",
    name="invalid-syntax",
    summary="The file is not valid Python that libcst can parse; no rule could run on it.",
    doc="## What it does\nReports a file that libcst cannot parse, with the line and column "
    "of the parser error. No other rule runs on that file.\n\n## Why is this wasteful?\n"
    "It is not: it says that the file was not checked.",
)
UNREADABLE_FILE = RuleInfo(
    code="ECO002",
    name="unreadable-file",
    summary="The file cannot be read as Python source: missing, unreadable, binary, "
    "too large, or not UTF-8 without an encoding declaration.",
    doc="## What it does\nReports a path that could not be linted at all: it does not "
    "exist, cannot be read, holds NUL bytes (a binary file), is larger than the size "
    "limit, or cannot be decoded.\n\n## Why is this wasteful?\nIt is not: it says that "
    "the file was not checked.",
)
DIAGNOSTICS = (INVALID_SYNTAX, UNREADABLE_FILE)


def file_finding(
    path: str, info: RuleInfo, message: str, line: int = 1, column: int = 1
) -> Finding:
    return Finding(
        path=path,
        code=info.code,
        name=info.name,
        message=message,
        line=line,
        column=column,
        end_line=line,
        end_column=column,
        severity="error",
    )
