"""Writing test files, and the command that runs ecolint as a subprocess."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

ECOLINT = [sys.executable, "-m", "ecolint"]


def write(path: Path, text: str) -> Path:
    """Write ``text`` dedented to ``path``, creating its folders; returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path
