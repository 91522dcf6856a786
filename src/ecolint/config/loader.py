"""Reads the configuration found by walking up from the linted path.

In each folder, ``.ecolint.toml`` wins over ``ecolint.toml`` (both with the keys at the
top level), which wins over ``pyproject.toml`` (keys under ``[tool.ecolint]``), as ruff
orders ``.ruff.toml``, ``ruff.toml`` and ``pyproject.toml``; a ``pyproject.toml`` without
that table is passed over. The first file found is the whole configuration: files are
not merged. Unknown keys and wrong types are errors, never silently ignored, and so is a
table whose name is a typo of ``[tool.ecolint]``.
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from pathlib import Path
from typing import Any

from ecolint.config.file_kinds import parse_file_kinds
from ecolint.config.settings import Settings
from ecolint.config.sizes import parse_size
from ecolint.config.values import ConfigError, check_keys, close_match, read_bool, read_strings

_LIST_KEYS = {
    "select": "select",
    "extend-select": "extend_select",
    "ignore": "ignore",
    "exclude": "exclude",
    "extend-exclude": "extend_exclude",
}
# [tool.ecolint.<key>] tables, each parsed by ``ecolint.config.<key>.parse_<key>`` into
# ``Settings.sections`` (read through the property of that name); the module of a section
# is imported only when the file has it, so `ecolint check` pays for none it does not use.
_SECTIONS = ("energy", "history", "ci", "web", "teams", "score")
_KNOWN_KEYS = {
    *_LIST_KEYS,
    "per-file-ignores",
    "respect-gitignore",
    "options",
    "max-file-size",
    "file-kinds",
    *_SECTIONS,
}


# The configuration files of one folder, the first one found wins (see the docstring).
OWN_FILES = (".ecolint.toml", "ecolint.toml")
PYPROJECT = "pyproject.toml"


def find_config(start: Path) -> Path | None:
    """The nearest ``.ecolint.toml``, ``ecolint.toml`` or ``pyproject.toml`` with
    ``[tool.ecolint]`` (or with a misspelt one, so that reading it reports the typo)."""
    folder = _resolved(start)
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        for name in OWN_FILES:
            if (candidate / name).is_file():
                return candidate / name
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except RuntimeError:  # a symlink loop (before Python 3.13): look from where it sits
        return path.absolute()


def _read(path: Path) -> dict[str, Any]:
    import tomllib  # here: `ecolint check --isolated` reads no file

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from error
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from error


def _has_tool_table(pyproject: Path) -> bool:
    try:
        data = _read(pyproject)
    except ConfigError:
        return True  # a broken file next to the code is an error, not something to skip
    tools = data.get("tool")
    return (isinstance(tools, dict) and "ecolint" in tools) or _misspelt(data) is not None


def _misspelt(data: dict[str, Any]) -> str | None:
    """A table of a pyproject-shaped file meant as ``[tool.ecolint]`` but named otherwise
    (``[tool.ecolnt]``, ``[tool.EcoLint]``, ``[ecolint]``), which would be passed over."""
    tools = data.get("tool")
    names = (
        {f"tool.{key}": key for key in tools if key != "ecolint"} if isinstance(tools, dict) else {}
    )
    names.update({key: key for key in data if key != "tool"})
    return next(
        (name for name, key in names.items() if close_match(key.lower(), ["ecolint"])), None
    )


def load_settings(config_path: Path | None = None, start: Path | None = None) -> Settings:
    """Settings from ``config_path``, or from the nearest configuration above ``start``."""
    path = config_path or find_config(start or Path.cwd())
    if path is None:
        return Settings(root=_resolved(start or Path.cwd()))
    return parse_table(_ecolint_table(_read(path), path), path)


def _ecolint_table(data: dict[str, Any], path: Path) -> Any:
    """The keys of a configuration file: the whole of an ``ecolint.toml``, the
    ``[tool.ecolint]`` table of a ``pyproject.toml`` or of any file shaped like one (it
    has ``[tool]`` tables: ``--config ci.toml`` copied from a pyproject.toml)."""
    if path.name != PYPROJECT and "tool" not in data:
        return data
    typo = _misspelt(data)
    if typo is not None:
        raise ConfigError(f"{path}: [{typo}] is not read by ecolint: did you mean [tool.ecolint]?")
    tools = data.get("tool", {})
    if not isinstance(tools, dict):
        raise ConfigError(f"{path}: tool must be a table")
    if "ecolint" not in tools and path.name != PYPROJECT:
        raise ConfigError(
            f"{path}: no [tool.ecolint] table (a file with [tool] tables is read like a "
            f"pyproject.toml; in {OWN_FILES[1]}, the keys are at the top level)"
        )
    return tools.get("ecolint", {})


def parse_table(table: dict[str, Any], path: Path) -> Settings:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.ecolint] must be a table")
    check_keys(table, str(path), sorted(_KNOWN_KEYS))
    settings = Settings(root=path.parent.resolve(), config_path=path)
    changes: dict[str, Any] = {
        attribute: read_strings(table[key], key, str(path))
        for key, attribute in _LIST_KEYS.items()
        if key in table
    }
    if "respect-gitignore" in table:
        changes["respect_gitignore"] = read_bool(
            table["respect-gitignore"], "respect-gitignore", str(path)
        )
    if "per-file-ignores" in table:
        changes["per_file_ignores"] = _per_file(table["per-file-ignores"], path)
    if "options" in table:
        changes["options"] = _options(table["options"], path)
    if "file-kinds" in table:
        changes["file_kinds"] = parse_file_kinds(table["file-kinds"], path)
    changes["sections"] = {
        key: getattr(importlib.import_module(f"ecolint.config.{key}"), f"parse_{key}")(
            table[key], path
        )
        for key in _SECTIONS
        if key in table
    }
    if "max-file-size" in table:
        try:
            changes["max_file_size"] = parse_size(table["max-file-size"])
        except ValueError as error:
            raise ConfigError(f"{path}: max-file-size: {error}") from error
    return replace(settings, **changes)


def _per_file(value: Any, path: Path) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: per-file-ignores must be a table of glob = [rules]")
    return {
        glob: read_strings(rules, f"per-file-ignores.{glob}", str(path))
        for glob, rules in value.items()
    }


def _options(value: Any, path: Path) -> dict[str, dict[str, object]]:
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise ConfigError(f"{path}: options must hold one table per rule ([options.ECO103])")
    return {rule: dict(table) for rule, table in value.items()}
