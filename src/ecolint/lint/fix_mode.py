"""Which fixes a run applies; apart from the engine so that choosing it costs no libcst."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ecolint.lint.rule import Report


@dataclass(frozen=True)
class FixMode:
    """Which fixes to apply: none, safe ones, or safe and unsafe ones."""

    apply: bool = False
    unsafe: bool = False

    def accepts(self, report: Report) -> bool:
        return self.apply and report.replacement is not None and (self.unsafe or not report.unsafe)


NO_FIX = FixMode()
