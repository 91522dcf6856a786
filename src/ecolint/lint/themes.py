"""The eight themes of the catalogue, keyed by the hundreds digit of an ``ECO`` rule id.

This is the one place that knows the mapping: the text summary, ``rules/README.md``, the
theme fixtures of the tests and the dashboard all import it, so a theme is named the same
everywhere. It imports nothing heavy (no libcst), so reporters can use it freely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Theme:
    """A group of rules: ``key`` is a stable slug (file names, JSON), ``label`` is for
    people, ``digit`` the hundreds digit of its ids (``None`` for the catch-all groups)."""

    key: str
    label: str
    digit: int | None


THEMES: tuple[Theme, ...] = (
    Theme("loops", "loops", 1),
    Theme("io", "I/O", 2),
    Theme("network", "network", 3),
    Theme("sql", "SQL", 4),
    Theme("data", "data science", 5),
    Theme("concurrency", "concurrency", 6),
    Theme("memory", "memory", 7),
    Theme("web", "web", 8),
)
#: ``ECO0xx``: the files ecolint could not parse or read (``ECO001``, ``ECO002``).
FILES = Theme("files", "unparsable or unreadable files", 0)
#: Rules of third-party packs, whose ids follow no theme scheme.
OTHER = Theme("other", "other", None)

_BY_DIGIT = {theme.digit: theme for theme in (*THEMES, FILES)}
_ECO_CODE = re.compile(r"^ECO([0-9])[0-9]{2}$")


def theme_for(code: str) -> Theme:
    """The theme of a rule id: ``ECO102`` → loops; an unknown scheme → ``OTHER``."""
    match = _ECO_CODE.match(code.upper())
    if match is None:
        return OTHER
    return _BY_DIGIT.get(int(match.group(1)), OTHER)


def theme_of(code: str) -> str:
    """The theme's label for a rule id (``ECO402`` → ``"SQL"``); stable, for display."""
    return theme_for(code).label


def theme_order(code: str) -> int:
    """A sort key that lists the themes in catalogue order, the catch-alls last."""
    theme = theme_for(code)
    return theme.digit if theme.digit else 10 + (theme is OTHER)
