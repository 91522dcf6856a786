"""ECO203 listdir-then-stat: `os.listdir` + `os.path.isdir(join)` vs `os.scandir` + `is_dir()`.

`n` is the number of directory entries (half files, half folders) of a temporary folder on
the local disk (page cache warm after the first pass); both forms count the folders. After
the table, the same for sizes: `os.path.getsize(join)` vs `DirEntry.stat().st_size` (on
Linux `DirEntry.stat()` is still one `stat` call per entry, so expect less there).
"""

from __future__ import annotations

import atexit
import os
import tempfile

from harness import compare, main

_DIR = tempfile.TemporaryDirectory()
atexit.register(_DIR.cleanup)
_FOLDERS: dict[int, str] = {}
SIZES = (100, 10_000, 100_000)


def setup(n: int) -> str:
    if n not in _FOLDERS:
        root = os.path.join(_DIR.name, f"tree_{n}")
        os.mkdir(root)
        for i in range(n):
            path = os.path.join(root, f"entry_{i:07d}")
            if i % 2:
                os.mkdir(path)
            else:
                with open(path, "wb") as f:
                    f.write(b"x" * (i % 100))
        _FOLDERS[n] = root
    return _FOLDERS[n]


def bad(root: str) -> int:
    return sum(
        1 for name in os.listdir(root) if os.path.isdir(os.path.join(root, name))
    )  # the form ECO203 flags


def good(root: str) -> int:
    with os.scandir(root) as entries:
        return sum(1 for entry in entries if entry.is_dir())


def bad_size(root: str) -> int:
    return sum(os.path.getsize(os.path.join(root, name)) for name in os.listdir(root))


def good_size(root: str) -> int:
    with os.scandir(root) as entries:
        return sum(entry.stat().st_size for entry in entries)


if __name__ == "__main__":
    main(__doc__, setup, bad, good, sizes=SIZES)
    print("\nsizes: os.path.getsize(join) vs DirEntry.stat().st_size")
    for n, b, g, ratio in compare(setup, bad_size, good_size, SIZES):
        print(f"{n:>10}  {b * 1e6:>10.1f}µs  {g * 1e6:>10.1f}µs  {ratio:>8.2f}×")
