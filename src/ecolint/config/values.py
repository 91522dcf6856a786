"""Typed readers of configuration values; each mistake raises ``ConfigError`` naming the key."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# How alike a name must be to a known one to be suggested: catches a dropped, doubled or
# swapped letter ("extend-selct", "ecolnt"), not a different word.
CLOSE_MATCH = 0.75


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
            f"{where}: unknown key(s) {unknown_names(unknown, known)}; known: {', '.join(known)}"
        )


def close_match(name: str, known: Iterable[str]) -> str | None:
    """The one of ``known`` that ``name`` is most likely a typo of, if any is close."""
    import difflib  # here: only a mistake needs it, and every run imports this module

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=CLOSE_MATCH)
    return close[0] if close else None


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """``" (did you mean x?)"`` when one of ``known`` is close to ``name``, else ``""``:
    the list of known names follows in the message, but a typo is found faster pointed at
    (as click does for options)."""
    close = close_match(name, known)
    return f" (did you mean {close}?)" if close else ""


def unknown_names(unknown: Iterable[str], known: Iterable[str]) -> str:
    """``selekt (did you mean select?), foo``: each unknown name with its likely intent."""
    known = tuple(known)
    return ", ".join(f"{name}{did_you_mean(name, known)}" for name in unknown)


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
