"""A synthetic monorepo: copies of a corpus under different folder names, up to N lines.

Real code (the standard library) rather than generated code, so the rules see the usual mix
of findings; the copies only make the tree as large as a big company's repository, to show
whether memory grows with the size of the run.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path


def build_monorepo(source: Path, target: Path, lines: int) -> tuple[int, int]:
    """Copy the ``.py`` files of ``source`` into ``target/service_NNN/`` again and again
    until ``lines`` lines are there; the number of files and lines written."""
    files = sorted(source.rglob("*.py"))
    if not files:
        raise SystemExit(f"no Python file under {source}")
    counts = [path.read_bytes().count(b"\n") for path in files]
    written_files = written_lines = 0
    for copy in itertools.count():  # product() would materialise the endless count
        for path, count in zip(files, counts, strict=True):
            if written_lines >= lines:
                return written_files, written_lines
            destination = target / f"service_{copy:03d}" / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
            written_files += 1
            written_lines += count
    raise AssertionError("unreachable")
