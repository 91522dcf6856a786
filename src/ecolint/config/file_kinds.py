"""``[tool.ecolint.file-kinds.<kind>]``: which rules apply to tests, migrations, scripts…

[tool.ecolint.file-kinds.test]
rules = ["ECO301", "ECO6"]     # the rules that apply to test files (replaces the default)
paths = ["qa/**"]              # globs, relative to the root, that are tests too
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from ecolint.config.values import ConfigError, check_keys, read_strings
from ecolint.results import FileKind


@dataclass(frozen=True)
class FileKindSettings:
    """Per kind: the rule selectors that apply (absent: the default policy) and the
    globs that force the kind."""

    rules: dict[FileKind, tuple[str, ...]] = field(default_factory=dict)
    paths: dict[FileKind, tuple[str, ...]] = field(default_factory=dict)


def parse_file_kinds(table: Any, path: Path) -> FileKindSettings:
    kinds: tuple[str, ...] = get_args(FileKind)
    where = f"{path}: file-kinds"
    check_keys(table, where, kinds, "a table of kinds ([tool.ecolint.file-kinds.test])")
    rules: dict[FileKind, tuple[str, ...]] = {}
    paths: dict[FileKind, tuple[str, ...]] = {}
    for kind, entry in table.items():
        check_keys(entry, f"{where}.{kind}", ("rules", "paths"))
        if "rules" in entry:
            rules[kind] = read_strings(entry["rules"], f"file-kinds.{kind}.rules", str(path))
        if "paths" in entry:
            paths[kind] = read_strings(entry["paths"], f"file-kinds.{kind}.paths", str(path))
    if "app" in rules and not rules["app"]:
        raise ConfigError(f"{where}.app.rules is empty: no rule would lint application code")
    return FileKindSettings(rules, paths)
