"""File sizes as people write them in configuration: ``10485760``, ``"10MB"``, ``"10 MiB"``.

Units follow the standards, so nobody has to guess: ``kB``/``MB``/``GB`` are powers of
1000, ``KiB``/``MiB``/``GiB`` powers of 1024; units are case-insensitive.
"""

from __future__ import annotations

import re

DEFAULT_MAX_FILE_SIZE = 10 * 2**20

UNITS: dict[str, int] = {
    "": 1,
    "b": 1,
    "kb": 1000,
    "mb": 1000**2,
    "gb": 1000**3,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
}

_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*")


def parse_size(value: object) -> int:
    """Bytes from an integer or a string with an optional unit; ``ValueError`` says why not."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"expected a number of bytes or a string like '10MB', got {value!r}")
    if isinstance(value, int):
        size = value
    else:
        match = _SIZE.fullmatch(value)
        unit = match.group(2).lower() if match else None
        if match is None or unit not in UNITS:
            known = ", ".join(u for u in ("B", "kB", "MB", "GB", "KiB", "MiB", "GiB"))
            raise ValueError(f"cannot read {value!r} as a size; write bytes or use {known}")
        size = int(float(match.group(1)) * UNITS[unit])
    if size <= 0:
        raise ValueError(f"must be more than 0 bytes, got {value!r}")
    return size


def format_size(size: int) -> str:
    """The shortest exact way to say ``size``: ``10 MiB``, ``20 MB``, ``1234 bytes``."""
    for unit, factor in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size % factor == 0:
            return f"{size // factor} {unit}"
    for unit, factor in (("GB", 1000**3), ("MB", 1000**2), ("kB", 1000)):
        if size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"
