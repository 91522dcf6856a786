"""ECO201 eager-file-read-iteration: `for line in f.readlines()` vs `for line in f`.

`n` is the number of lines (about 53 bytes each) of a temporary file; both forms sum the
line lengths. Iterating the file object is buffered and lazy, so its time stays about the
same; the saving is memory. After the timing table the script prints the peak memory
(tracemalloc) of one pass of each form.
"""

from __future__ import annotations

import atexit
import os
import tempfile

from harness import main, print_peak_memory

_DIR = tempfile.TemporaryDirectory()
atexit.register(_DIR.cleanup)
_FILES: dict[int, str] = {}
SIZES = (100, 10_000, 1_000_000)


def setup(n: int) -> str:
    if n not in _FILES:
        path = os.path.join(_DIR.name, f"lines_{n}.txt")
        with open(path, "w", encoding="utf-8") as f:
            for i in range(n):
                f.write(f"{i:>10} 2024-01-01T00:00:00 GET /api/items/{i % 977} 200\n")
        _FILES[n] = path
    return _FILES[n]


def bad(path: str) -> int:
    total = 0
    with open(path, encoding="utf-8") as f:
        for line in f.readlines():  # the form ECO201 flags
            total += len(line)
    return total


def good(path: str) -> int:
    total = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            total += len(line)
    return total


if __name__ == "__main__":
    main(__doc__, setup, bad, good, sizes=SIZES)
    print_peak_memory(setup, bad, good, SIZES)
