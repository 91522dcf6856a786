"""ECO204 copy-through-memory: `dst.write(src.read())` vs `shutil.copyfile(src, dst)`.

`n` is the file size in kB (temporary files on the local disk, page cache warm). The bad
form reads the whole file into one bytes object and writes it back; `shutil.copyfile`
uses `sendfile` on Linux, so no byte enters Python. After the table the script prints the
peak memory (tracemalloc) of one copy of each form.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

from harness import main, print_peak_memory

_DIR = tempfile.TemporaryDirectory()
atexit.register(_DIR.cleanup)
_SOURCES: dict[int, str] = {}
SIZES = (100, 10_000, 100_000)


def setup(n: int) -> tuple[str, str]:
    if n not in _SOURCES:
        path = os.path.join(_DIR.name, f"source_{n}.bin")
        with open(path, "wb") as f:
            f.write(os.urandom(1024) * n)
        _SOURCES[n] = path
    return _SOURCES[n], os.path.join(_DIR.name, f"copy_{n}.bin")


def bad(paths: tuple[str, str]) -> int:
    src, dst = paths
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        fout.write(fin.read())  # the form ECO204 flags
    return os.path.getsize(dst)


def good(paths: tuple[str, str]) -> int:
    src, dst = paths
    shutil.copyfile(src, dst)
    return os.path.getsize(dst)


if __name__ == "__main__":
    main(__doc__, setup, bad, good, sizes=SIZES)
    print_peak_memory(setup, bad, good, SIZES, "n kB")
