"""Which files to lint: Python files under the given paths, minus what is excluded.

Folders are walked with ``.gitignore`` files respected (every level, like git) and
``exclude`` / ``extend-exclude`` globs matched against the base name or the path
relative to the configuration root. A file named explicitly is always linted, unless
``--force-exclude`` asks for the excludes to apply to it too (pre-commit names every file).

Symlinked folders are not followed (``os.walk``'s default), so a link back up the tree
cannot loop; a symlinked file that loops or dangles is kept, and linting it reports why
it cannot be read (ECO002).
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec

PYTHON_SUFFIXES = (".py", ".pyi")


def resolved(path: Path) -> Path:
    """``path.resolve()``, or the absolute path when a symlink loop makes that impossible
    (``resolve`` raises ``RuntimeError`` on a loop before Python 3.13)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)
    missing: list[Path] = field(default_factory=list)
    # What the result depends on, for ecolint.lint.discovery_cache: the folders walked
    # (their entries) and those whose .gitignore and .git were looked for.
    walked: list[str] = field(default_factory=list)
    consulted: list[str] = field(default_factory=list)


def _excluded(
    path: Path, root: Path, patterns: Sequence[str], absolute: Path | None = None
) -> bool:
    """Whether ``path`` (resolved: ``absolute``) matches an exclude pattern."""
    name = path.name
    try:
        relative = (absolute or resolved(path)).relative_to(root).as_posix()
    except ValueError:
        relative = None
    for pattern in patterns:
        if fnmatch.fnmatchcase(name, pattern):
            return True
        if relative is not None and (
            fnmatch.fnmatchcase(relative, pattern) or relative.startswith(pattern.rstrip("/") + "/")
        ):
            return True
    return False


def force_excluded(path: Path, root: Path, patterns: Sequence[str]) -> bool:
    """Whether ``path``, although named explicitly, is excluded (``--force-exclude``).

    pre-commit and editors name every file, so without this a file under an excluded
    folder would be linted as soon as it is staged. The path and each folder above it up
    to ``root`` (not ``root`` itself, whatever its name) are matched like a walk matches
    them; outside ``root`` only the path itself is. ``.gitignore`` is not consulted: a
    file that git tracks, and so a staged one, is never ignored by git either.
    """
    absolute = resolved(path)
    if absolute == root:
        return False
    candidates = [absolute]
    for folder in absolute.parents:
        if folder == root or not folder.is_relative_to(root):
            break
        candidates.append(folder)
    return any(_excluded(candidate, root, patterns) for candidate in candidates)


class _GitIgnores:
    """The ``.gitignore`` specs that apply in a folder, each relative to its own folder."""

    def __init__(self) -> None:
        # Keyed by the folder's path as text: hashing a Path costs more than the lookup.
        self._chains: dict[str, tuple[tuple[int, pathspec.PathSpec], ...]] = {}

    def _chain(self, folder: Path) -> tuple[tuple[int, pathspec.PathSpec], ...]:
        """The specs that apply in ``folder``, its own first, up to the repository's root
        (nothing above it applies), each with the length of its folder's path and
        separator: a path below, cut there, is relative to that folder."""
        text = folder.as_posix()
        chain = self._chains.get(text)
        if chain is None:
            spec = _read_spec(folder)
            own = ((len(text) + (not text.endswith("/")), spec),) if spec is not None else ()
            top = folder.parent == folder or (folder / ".git").exists()
            chain = self._chains[text] = (*own, *(() if top else self._chain(folder.parent)))
        return chain

    def consulted(self) -> list[str]:
        """The folders whose ``.gitignore`` (and ``.git``) were looked for."""
        return list(self._chains)

    def ignored(self, path: Path, is_dir: bool, absolute: Path | None = None) -> bool:
        """Whether a ``.gitignore`` ignores ``path`` (resolved: ``absolute``)."""
        path = absolute or resolved(path)
        text = path.as_posix() + ("/" if is_dir else "")
        return any(spec.match_file(text[cut:]) for cut, spec in self._chain(path.parent))


def _read_spec(folder: Path) -> pathspec.PathSpec | None:
    ignore_file = folder / ".gitignore"
    if not ignore_file.is_file():
        return None
    import pathspec  # here: a project without a .gitignore does not pay for it

    try:
        lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except (OSError, ValueError):
        return None


def discover(
    paths: Iterable[Path], root: Path, excludes: Sequence[str], respect_gitignore: bool = True
) -> Discovery:
    found = Discovery()
    gitignores = _GitIgnores() if respect_gitignore else None
    seen: set[Path] = set()
    for start in paths:
        unfollowable = start.is_symlink() and not start.exists()  # dangling or a loop
        if not start.exists() and not unfollowable:
            found.missing.append(start)
            continue
        if start.is_file() or unfollowable:
            if resolved(start) not in seen:
                seen.add(resolved(start))
                found.files.append(start)
            continue
        for folder, dirs, files in os.walk(start):
            found.walked.append(folder)
            here = Path(folder)
            real = resolved(here)  # once per folder: resolving stats every part of a path
            kept = []
            for name in sorted(dirs):
                path = here / name
                absolute = _below(real, path)
                if not _excluded(path, root, excludes, absolute) and not (
                    gitignores and gitignores.ignored(path, True, absolute)
                ):
                    kept.append(name)
            dirs[:] = kept
            for name in sorted(files):
                if not name.endswith(PYTHON_SUFFIXES):
                    continue
                path = here / name
                absolute = _below(real, path)
                if _excluded(path, root, excludes, absolute):
                    continue
                if gitignores and gitignores.ignored(path, False, absolute):
                    continue
                if absolute not in seen:
                    seen.add(absolute)
                    found.files.append(path)
    found.consulted = gitignores.consulted() if gitignores else []
    return found


def _below(real_folder: Path, path: Path) -> Path:
    """``resolved(path)`` for ``path`` in a folder whose resolved path is ``real_folder``."""
    return resolved(path) if path.is_symlink() else real_folder / path.name
