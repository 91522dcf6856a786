"""Content-hash cache of per-file results, so a rerun on an unchanged tree is nearly free.

An entry is keyed by the file's bytes, its displayed path (findings carry it), the rules
that per-file ignores turn off, and — through the folder it lives in — the ecolint
version, the enabled rules (with their source files' size and time) and their options.
Entries are written to a temporary file and renamed into place, so two runs at once never
read a torn entry; an entry that cannot be read is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from ecolint.lint.rule import Rule
from ecolint.results import FileResult
from ecolint.version import VERSION

CACHE_DIR_NAME = ".ecolint_cache"
ENV_CACHE_DIR = "ECOLINT_CACHE_DIR"


def default_cache_dir(root: Path) -> Path:
    configured = os.environ.get(ENV_CACHE_DIR)
    return Path(configured) if configured else root / CACHE_DIR_NAME


def run_key(rules: Iterable[type[Rule]], options: Mapping[str, object], *extra: object) -> str:
    """What, besides the file, decides its result: version, rules, options, and the code
    of the engine and of every rule pack, shared helpers included (editing a helper such
    as ``ecolint.lint.bounds`` must not leave results made with the old one)."""
    digest = hashlib.sha256(f"{VERSION}\0{sorted(options.items())!r}\0{extra!r}".encode())
    # results.py too: a cached result unpickled into a record that gained a field lacks it
    sources = {Path(__file__).parent, Path(__file__).parent.parent / "results.py"}
    for rule in rules:
        digest.update(f"\0{rule.code}:{rule.__module__}.{rule.__qualname__}".encode())
        top = sys.modules.get(rule.__module__.partition(".")[0])
        source = getattr(top, "__file__", None)
        if source:  # a package: all of it; a plain module (tests, scripts): that file
            is_package = hasattr(top, "__path__")
            sources.add(Path(source).parent if is_package else Path(source))
    for source in sorted(sources):
        digest.update(source_stamp(source).encode())
    return digest.hexdigest()[:24]


def source_stamp(source: Path) -> str:
    """Size and modification time of ``source``, or of every Python file below it when it
    is a folder, in a stable order: about a hundred ``stat`` calls, far cheaper than
    hashing the sources."""
    paths = sorted(source.rglob("*.py")) if source.is_dir() else [source]
    stamps = []
    for path in paths:
        stat = path.stat()
        stamps.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\0".join(stamps)


class ResultCache:
    """Per-file results under ``<directory>/<run key>/<2 hex>/<key>``."""

    def __init__(self, directory: Path, key: str) -> None:
        self.root = directory
        self.directory = directory / key

    @staticmethod
    def entry_key(data: bytes, path: str, ignored: frozenset[str], relative: str = "") -> str:
        """``relative`` (to the root) decides the file's kind, so it is part of the key."""
        digest = hashlib.sha256(data)
        digest.update(f"\0{path}\0{','.join(sorted(ignored))}\0{relative}".encode())
        return digest.hexdigest()

    def _entry(self, key: str) -> Path:
        return self.directory / key[:2] / key

    def get(self, key: str) -> FileResult | None:
        try:
            with open(self._entry(key), "rb") as handle:
                result = pickle.load(handle)
        except Exception:  # missing, torn by a crash, or from another version: a miss
            return None
        return result if isinstance(result, FileResult) else None

    def put(self, key: str, result: FileResult) -> None:
        """Store ``result`` unless it holds internal errors (those must show every time)."""
        if result.errors or result.fixed_source is not None:
            return
        entry = self._entry(key)
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            self._mark_root()
            with tempfile.NamedTemporaryFile(
                dir=entry.parent, delete=False, suffix=".tmp"
            ) as handle:
                pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, entry)
        except OSError:  # a read-only or full disk only costs speed
            return

    def _mark_root(self) -> None:
        """Keep the cache out of version control and backups, like ruff's."""
        ignore = self.root / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# Created by ecolint automatically.\n*\n", encoding="utf-8")
            (self.root / "CACHEDIR.TAG").write_text(
                "Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This file is a cache directory tag created by ecolint.\n",
                encoding="utf-8",
            )


def clean(directory: Path) -> bool:
    """Remove the cache folder; whether there was one."""
    if not directory.is_dir():
        return False
    shutil.rmtree(directory)
    return True
