"""Line and column of reported nodes only, computed lazily.

``PositionProvider`` costs 2.85–4.4 libcst parses per file because it records a range
for every node. Half the files of a typical tree have no finding at all, and the others
have a handful, so this module regenerates the code once, counting characters, and
records ranges only for the nodes that were reported — the same syntactic ranges
``PositionProvider`` gives (leading blank lines and comments excluded).
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field

import libcst as cst
from libcst._nodes.internal import CodegenState

Span = tuple[int, int, int, int]  # line, column (both 1-based), end line, end column
_NULL = nullcontext()


@dataclass
class _OffsetRecordingState(CodegenState):
    wanted: dict[int, list[int]] = field(default_factory=dict)
    offset: int = 0
    _pending: list[int] = field(default_factory=list)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        self.offset += len(value)

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def before_codegen(self, node: cst.CSTNode) -> None:
        slot = self.wanted.get(id(node))
        if slot is not None and slot[0] < 0:
            slot[0] = self.offset

    def after_codegen(self, node: cst.CSTNode) -> None:
        slot = self.wanted.get(id(node))
        if slot is not None and slot[1] < 0:
            slot[1] = self.offset

    # libcst declares a generator context; any context manager works where it is used
    # (``with``), and a node nobody reported gets one shared ``nullcontext`` instead of
    # a new generator: this runs for every node of the module.
    def record_syntactic_position(  # type: ignore[override]
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> AbstractContextManager[None]:
        slot = self.wanted.get(id(node))
        if slot is None:
            return _NULL
        return self._record(slot, start_node, end_node)

    @contextmanager
    def _record(
        self, slot: list[int], start_node: cst.CSTNode | None, end_node: cst.CSTNode | None
    ) -> Iterator[None]:
        # Like PositionProvider: a block's range is hoisted from its first and last child.
        start_slot = self.wanted.setdefault(id(start_node), [-1, -1]) if start_node else None
        end_slot = self.wanted.setdefault(id(end_node), [-1, -1]) if end_node else None
        start = self.offset
        yield
        slot[0] = start_slot[0] if start_slot else start
        slot[1] = end_slot[1] if end_slot else self.offset


def spans(module: cst.Module, nodes: Collection[cst.CSTNode]) -> tuple[dict[int, Span], str]:
    """Map ``id(node)`` → its span, for each of ``nodes``; also return the module's code."""
    wanted = {id(node): [-1, -1] for node in nodes}
    state = _OffsetRecordingState(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        wanted=wanted,
    )
    module._codegen(state)
    code = "".join(state.tokens)
    line_starts = [0]
    position = code.find("\n")
    while position >= 0:
        line_starts.append(position + 1)
        position = code.find("\n", position + 1)

    def locate(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(line_starts, offset)
        return line, offset - line_starts[line - 1] + 1

    result: dict[int, Span] = {}
    for node in nodes:
        start, end = wanted[id(node)]
        start = max(start, 0)
        end = max(end, start)
        line, column = locate(start)
        end_line, end_column = locate(end)
        result[id(node)] = (line, column, end_line, end_column)
    return result, code
