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
from ecolint.lint.runner import (
    display_path,
    ignored_codes,
    kind_policy,
    relative_to_root,
    shown_report,
)
from ecolint.results import LintReport


def lint_source(
    data: bytes,
    path: Path,
    settings: Settings,
    *,
    selection: Selection | None = None,
    fix: FixMode = NO_FIX,
    show_all: bool = False,
) -> LintReport:
    """Lint ``data`` as the file ``path``; with ``fix``, the result holds the fixed source."""
    selection = selection or Selection(settings.select, settings.extend_select, settings.ignore)
    rules = selection.resolve()
    kinds = kind_policy(settings, rules, show_all)
    engine = Engine(instantiate(rules, settings.options), settings.max_file_size, kinds)
    shown = display_path(path)
    ignored = ignored_codes(str(path), settings)
    relative = relative_to_root(str(path), settings.root)
    result = engine.lint_bytes(data, shown, fix, ignored, relative)
    return shown_report([result], settings, rules, show_all)
