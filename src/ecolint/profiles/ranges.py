"""The lines whose samples a finding is charged with: its own lines, or, when a loop
repeats it, that loop's lines (header to last line of the body).

This is the rule ``Rule.enclosing_loop`` applies during linting (``ecolint.lint.
analysis``), restated on Python's own ``ast``: the join runs only with a profile, after
linting, on the few files that are both profiled and have findings, and ``ast.parse`` is
several times cheaper than a second libcst parse. A loop repeats its body (and a
``while`` its test), a comprehension everything but its first iterable; a ``def``,
``lambda`` or ``class`` between the loop and the finding stops the search, since its
body does not run once per iteration.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass

Position = tuple[int, int]  # line (1-based), column (0-based, in characters)
Lines = tuple[int, int]  # first and last line, inclusive

_Comprehension = ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp
LoopNode = ast.For | ast.AsyncFor | ast.While | _Comprehension
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


@dataclass(frozen=True, slots=True)
class _Region:
    start: Position
    end: Position

    def holds(self, start: Position, end: Position) -> bool:
        return self.start <= start and end <= self.end


@dataclass(frozen=True, slots=True)
class _Loop:
    node: _Region
    repeated: _Region
    once: _Region | None  # the part evaluated once (a comprehension's first iterable)

    def repeats(self, start: Position, end: Position) -> bool:
        inside = self.repeated.holds(start, end)
        return inside and not (self.once is not None and self.once.holds(start, end))


def cost_lines(source: str | bytes, spans: Sequence[tuple[int, int, int, int]]) -> list[Lines]:
    """For each finding span ``(line, column, end_line, end_column)`` (1-based columns,
    as findings carry them), the lines its cost is read from."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return [(line, end_line) for line, _, end_line, _ in spans]
    text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
    regions = _Regions(text.splitlines())
    loops, scopes = regions.collect(tree)
    return [_lines(span, loops, scopes) for span in spans]


def _lines(span: tuple[int, int, int, int], loops: list[_Loop], scopes: list[_Region]) -> Lines:
    line, column, end_line, end_column = span
    start, end = (line, column - 1), (end_line, end_column - 1)
    # The narrowest scope holding the finding: a loop counts only inside it.
    scope = min((s for s in scopes if s.holds(start, end)), key=_size, default=None)
    repeating = [
        loop
        for loop in loops
        if loop.repeats(start, end)
        and (scope is None or scope.holds(loop.node.start, loop.node.end))
    ]
    if not repeating:
        return (line, end_line)
    loop = min(repeating, key=lambda loop: _size(loop.node))
    return (loop.node.start[0], loop.node.end[0])


def _size(region: _Region) -> tuple[int, int]:
    return (region.end[0] - region.start[0], region.end[1] - region.start[1])


class _Regions:
    """Node positions in characters (``ast`` counts UTF-8 bytes in a line)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def collect(self, tree: ast.AST) -> tuple[list[_Loop], list[_Region]]:
        loops: list[_Loop] = []
        scopes: list[_Region] = []
        for node in ast.walk(tree):
            if isinstance(node, LoopNode):
                loops.append(self._loop(node))
            elif isinstance(node, _SCOPES):
                scopes.append(self.region(node, node))
        return loops, scopes

    def _loop(self, node: LoopNode) -> _Loop:
        whole = self.region(node, node)
        if isinstance(node, ast.For | ast.AsyncFor):
            return _Loop(whole, self.region(node.body[0], node.body[-1]), None)
        if isinstance(node, ast.While):
            return _Loop(whole, self.region(node.test, node.body[-1]), None)
        first = node.generators[0].iter
        return _Loop(whole, whole, self.region(first, first))

    def region(self, first: ast.expr | ast.stmt, last: ast.expr | ast.stmt) -> _Region:
        start = (first.lineno, self._column(first.lineno, first.col_offset))
        end_line = last.end_lineno or last.lineno
        return _Region(start, (end_line, self._column(end_line, last.end_col_offset or 0)))

    def _column(self, line: int, offset: int) -> int:
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if text.isascii():
            return offset
        return len(text.encode("utf-8")[:offset].decode("utf-8", "replace"))
