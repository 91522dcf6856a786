"""Lints source text that is not (yet) on disk, as if it were the file at a given path.

Editors send the buffer being edited on standard input: the path decides the
configuration, the per-file ignores and the name in the report, but it is never read or
written (it may not exist yet).
"""

from __future__ import annotations

from pathlib import Path

from ecolint.config import Settings
from ecolint.lint.engine import NO_FIX, Engine, FixMode
from ecolint.lint.registry import Selection, instantiate
from ecolint.lint.runner import display_path, ignored_codes
from ecolint.results import LintReport


def lint_source(
    data: bytes,
    path: Path,
    settings: Settings,
    *,
    selection: Selection | None = None,
    fix: FixMode = NO_FIX,
) -> LintReport:
    """Lint ``data`` as the file ``path``; with ``fix``, the result holds the fixed source."""
    selection = selection or Selection(settings.select, settings.extend_select, settings.ignore)
    rules = selection.resolve()
    engine = Engine(instantiate(rules, settings.options), settings.max_file_size)
    shown = display_path(path)
    result = engine.lint_bytes(data, shown, fix, ignored_codes(str(path), settings))
    return LintReport(
        files=(result,),
        root=str(settings.root),
        rules=tuple(rule.info() for rule in rules),
    )
