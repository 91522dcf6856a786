"""Typed readers of configuration values; each mistake raises ``ConfigError`` naming the key."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class ConfigError(ValueError):
    """The configuration cannot be used (exit code 2)."""


def check_keys(table: Any, where: str, known: Iterable[str], shape: str = "a table") -> None:
    """``table`` is a table whose keys are all in ``known`` (listed in that order)."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be {shape}")
    known = tuple(known)
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(known)}"
        )


def read_bool(value: Any, key: str, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: {key} must be true or false")
    return value


def read_strings(value: Any, key: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: {key} must be a list of strings, got {value!r}")
    return tuple(value)


def read_positive(value: Any, key: str, where: str) -> float:
    """A number of at least 0 (booleans refused)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigError(f"{where}: {key} must be a positive number, got {value!r}")
    return float(value)


def read_choice(value: Any, key: str, where: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ConfigError(f"{where}: {key} must be one of {', '.join(choices)}")
    return value
