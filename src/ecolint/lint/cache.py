"""Content-hash cache of per-file results, so a rerun on an unchanged tree is nearly free.

An entry is keyed by the file's bytes, its displayed path (findings carry it), the rules
that per-file ignores turn off, and — through the folder it lives in — the ecolint
version, the enabled rules and their options, and the code of the engine and of every
rule pack (the size and time of each source file: the stamp of ``rule_index``).
Entries are written to a temporary file and renamed into place, so two runs at once never
read a torn entry; an entry that cannot be read is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ecolint.results import FileResult
from ecolint.version import VERSION

if TYPE_CHECKING:
    from ecolint.lint.rule_index import RuleEntry

CACHE_DIR_NAME = ".ecolint_cache"
ENV_CACHE_DIR = "ECOLINT_CACHE_DIR"
# The engine, and results.py: a cached result unpickled into a record that gained a field
# lacks it.
ENGINE_SOURCES = (Path(__file__).parent, Path(__file__).parent.parent / "results.py")


def default_cache_dir(root: Path) -> Path:
    configured = os.environ.get(ENV_CACHE_DIR)
    return Path(configured) if configured else root / CACHE_DIR_NAME


def run_key(
    rules: Iterable[RuleEntry], options: Mapping[str, object], code: str, *extra: object
) -> str:
    """What, besides the file, decides its result: version, rules, options, and the code
    of the engine and of every rule pack, shared helpers included (editing a helper such
    as ``ecolint.lint.bounds`` must not leave results made with the old one). ``code`` is
    the stamp of the rule index (``rule_index.index_stamp``), which covers all of that
    code and was checked at the start of this run."""
    digest = hashlib.sha256(f"{VERSION}\0{sorted(options.items())!r}\0{extra!r}".encode())
    for rule in rules:
        digest.update(f"\0{rule.code}:{rule.module}.{rule.qualname}".encode())
    digest.update(f"\0{code}".encode())
    return digest.hexdigest()[:24]


def source_stamp(source: Path) -> str:
    """Size and modification time of ``source``, or of every Python file below it when it
    is a folder, in a stable order: about a hundred ``stat`` calls, far cheaper than
    hashing the sources."""
    if not source.is_dir():
        stat = source.stat()
        return f"{source}:{stat.st_size}:{stat.st_mtime_ns}"
    paths = sorted(
        os.path.join(folder, name)
        for folder, _, files in os.walk(source)
        for name in files
        if name.endswith(".py")
    )
    stamps = []
    for path in paths:
        stat = os.stat(path)
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
        import tempfile  # here: a run answered from the cache writes nothing

        entry = self._entry(key)
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            mark_cache_root(self.root)
            with tempfile.NamedTemporaryFile(
                dir=entry.parent, delete=False, suffix=".tmp"
            ) as handle:
                pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, entry)
        except OSError:  # a read-only or full disk only costs speed
            return


def mark_cache_root(root: Path) -> None:
    """Keep the cache out of version control and backups, like ruff's."""
    ignore = root / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Created by ecolint automatically.\n*\n", encoding="utf-8")
        (root / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This file is a cache directory tag created by ecolint.\n",
            encoding="utf-8",
        )


def clean(directory: Path) -> bool:
    """Remove the cache folder; whether there was one."""
    if not directory.is_dir():
        return False
    import shutil

    shutil.rmtree(directory)
    return True
