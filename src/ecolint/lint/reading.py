"""Reading a file to lint; apart from the engine so that a run answered from the cache,
which reads every file to key it, does not import libcst."""

from __future__ import annotations

import errno
import os
import stat


def read_source(path: str, limit: int | None = None) -> bytes:
    """The file's bytes, read once; one byte past ``limit`` is enough to know it is too
    large (without a limit, the whole file: never a prefix that would lint as the file).

    Opened without blocking and checked to be a regular file, so a FIFO or a device named
    ``*.py`` is reported instead of hanging the run."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # no FIFOs on Windows
    with open(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return handle.read(-1 if limit is None else limit + 1)
