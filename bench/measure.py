"""One whole process measured: wall time, CPU time and the peak RSS of its largest process.

``os.wait4`` reports the rusage of the child together with every descendant it reaped, and
on Linux ``ru_maxrss`` there is the largest resident set of any single one of them. So for
a command that forks workers and joins them (ecolint ``--jobs``, Fixit's process pool) the
figure is the largest of the parent and its workers, not their sum; a worker that is never
reaped (left to init) is not counted.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass

# ru_maxrss is in kilobytes on Linux, in bytes on macOS.
RSS_UNIT = 1 if sys.platform == "darwin" else 1024


@dataclass(frozen=True)
class Measured:
    wall: float
    cpu: float
    peak_rss_mb: float
    stdout: str


def measure(
    command: list[str],
    env: Mapping[str, str] | None = None,
    accepted: Collection[int] = (0, 1),
) -> Measured:
    """Run ``command`` to its end; exit with its stderr when its exit code is not accepted."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        if process.returncode not in accepted:
            stderr = err.read().decode(errors="replace")
            raise SystemExit(f"{command} failed ({process.returncode}):\n{stderr[-4000:]}")
    return Measured(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss * RSS_UNIT / 2**20,
        stdout=stdout,
    )
