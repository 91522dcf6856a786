"""``# noqa`` suppression comments: bare, or with rule ids and names (``# noqa: ECO102``)."""

from __future__ import annotations

import re

_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Za-z0-9_-]+(?:[\s,]+[A-Za-z0-9_-]+)*))?", re.I)


def suppressed(line_text: str, code: str, name: str) -> bool:
    """Whether a ``# noqa`` comment on ``line_text`` silences rule ``code``/``name``."""
    if "noqa" not in line_text.lower():
        return False
    for match in _NOQA.finditer(line_text):
        codes = match.group("codes")
        if codes is None:
            return True
        wanted = {part for part in re.split(r"[\s,]+", codes) if part}
        if code in wanted or name in wanted:
            return True
    return False
