"""ECO202 open-in-loop: opening and reading the same 4 kB file in every iteration vs once.

`n` is the number of loop iterations; each iteration uses the file's text (its length plus
the loop index). The bad form pays open, fstat, read, decode and close n times.
"""

from __future__ import annotations

import atexit
import os
import tempfile

from harness import main

_DIR = tempfile.TemporaryDirectory()
atexit.register(_DIR.cleanup)
PATH = os.path.join(_DIR.name, "settings.ini")
with open(PATH, "w", encoding="utf-8") as _f:
    _f.write("".join(f"key_{i} = value number {i}\n" for i in range(160))[:4096])


def setup(n: int) -> int:
    return n


def bad(n: int) -> int:
    total = 0
    for i in range(n):
        with open(PATH, encoding="utf-8") as f:  # the form ECO202 flags
            text = f.read()
        total += len(text) + i
    return total


def good(n: int) -> int:
    total = 0
    with open(PATH, encoding="utf-8") as f:
        text = f.read()
    for i in range(n):
        total += len(text) + i
    return total


if __name__ == "__main__":
    main(__doc__, setup, bad, good, sizes=(100, 10_000, 100_000))
