"""The files a run found, kept in the cache folder while the folders they came from stand
still, so that a warm run neither walks the tree again nor reads a ``.gitignore`` (nor
imports pathspec to match one).

A stored discovery holds a stamp of what decided it: the size and modification time of
every folder walked (adding, removing or renaming an entry changes its folder's time),
and, for every folder whose ``.gitignore`` was looked for, that file's size and time (or
its absence) and whether a ``.git`` is there (the repository's root, where the lookup
stops). It is used while a fresh stamp equals the stored one; it is keyed by the paths
asked for, the working folder, the root, the excludes and ``respect-gitignore``. Like
git's index, it is not stored when a stamped time is too recent to be trusted: an entry
added within the same clock tick would leave the time unchanged.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections.abc import Sequence
from pathlib import Path

from ecolint.lint.files import Discovery, discover
from ecolint.version import VERSION

FOLDER = "discovery"  # below the cache folder: storing here changes no walked folder's time
# A time this close to the walk's start (or after it) may hide a change made meanwhile.
RACY_NS = 2_000_000_000
Stat = tuple[int, int]  # size, modification time (ns)
Stamp = tuple[tuple[Stat | None, ...], tuple[tuple[Stat | None, bool], ...]]


def cached_discover(
    paths: Sequence[Path],
    root: Path,
    excludes: Sequence[str],
    respect_gitignore: bool,
    cache_dir: Path,
) -> Discovery:
    """``discover(paths, root, excludes, respect_gitignore)``, from ``cache_dir`` when
    the folders it came from are unchanged."""
    entry = cache_dir / FOLDER / _key(paths, root, excludes, respect_gitignore)
    stored = _load(entry)
    if stored is not None:
        stamp, found = stored
        if stamp == _stamp(found):
            return found
    started = time.time_ns()
    found = discover(paths, root, excludes, respect_gitignore)
    if {str(path) for path in paths} <= set(found.walked):  # folders only: files are not
        stamp = _stamp(found)  # stamped, and neither is a missing path
        if _settled(stamp, started):
            _store(entry, (stamp, found))
    return found


def _key(paths: Sequence[Path], root: Path, excludes: Sequence[str], gitignore: bool) -> str:
    asked = [str(path) for path in paths]
    text = repr((VERSION, asked, os.getcwd(), str(root), tuple(excludes), gitignore))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _stamp(found: Discovery) -> Stamp:
    """Size and time of every folder walked; size and time (or absence) of the
    ``.gitignore`` of every folder consulted, and whether it holds a ``.git``."""
    folders = tuple(_stat(folder) for folder in found.walked)
    ignores = tuple(
        (_stat(os.path.join(folder, ".gitignore")), os.path.exists(os.path.join(folder, ".git")))
        for folder in found.consulted
    )
    return folders, ignores


def _stat(path: str) -> Stat | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns)


def _settled(stamp: Stamp, started: int) -> bool:
    """Whether every stamped time is old enough for an unchanged time to mean that
    nothing changed (see the module's docstring)."""
    folders, ignores = stamp
    stats = [*folders, *(stat for stat, _ in ignores)]
    return all(stat[1] < started - RACY_NS for stat in stats if stat is not None)


def _load(entry: Path) -> tuple[Stamp, Discovery] | None:
    try:
        with open(entry, "rb") as handle:
            stored = pickle.load(handle)
    except Exception:  # missing, torn, or from another version: walked again
        return None
    if not (isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[1], Discovery)):
        return None
    return stored[0], stored[1]


def _store(entry: Path, stored: tuple[Stamp, Discovery]) -> None:
    from ecolint.atomic import write_atomically  # here: a warm run stores nothing

    try:
        write_atomically(entry, pickle.dumps(stored, pickle.HIGHEST_PROTOCOL))
    except OSError:  # a read-only or full disk only costs speed
        return
