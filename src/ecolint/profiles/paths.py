"""Which linted file a path recorded in a profile stands for.

Profiles are often recorded elsewhere: in a container (``/app/src/shop/cart.py``), on
another machine, or by py-spy, which shortens a module's path to its package part
(``shop/cart.py``) unless given ``--full-filenames``. The rule, in order:

1. Frames of installed packages (a ``site-packages`` or ``dist-packages`` folder) and
   of no file (``<frozen importlib._bootstrap>``, ``<string>``) are ignored.
2. A path under a recorded root (``--profile-root DIR``, the project's folder where the
   profile was recorded) loses that prefix and is matched as a relative path.
3. An absolute path that is a linted file where ecolint runs is that file; any other
   absolute path is ignored when recorded roots are given (it is not the project's),
   else matched as below.
4. A path is matched by suffix against the linted files' paths relative to the project
   root, whole folder names only: the file sharing the most trailing parts wins, one
   path being a suffix of the other. A tie (two ``utils.py`` for a bare ``utils.py``)
   maps to no file rather than to a guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

_INSTALLED = {"site-packages", "dist-packages"}


class PathMap:
    """Recorded path → the linted file (as the report names it), or ``None``."""

    def __init__(self, root: Path, files: Iterable[str], recorded_roots: Sequence[str] = ()):
        self.root = root.resolve()
        self.recorded_roots = sorted(
            (_parts(root) for root in recorded_roots if root), key=len, reverse=True
        )
        self._absolute: dict[str, str] = {}
        self._by_name: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for name in files:
            absolute = Path(name).resolve()
            self._absolute[absolute.as_posix()] = name
            try:
                parts = absolute.relative_to(self.root).parts
            except ValueError:  # linted from outside the root: its whole path
                parts = absolute.parts[1:]
            if parts:
                self._by_name.setdefault(parts[-1], []).append((parts, name))
        self._memo: dict[str, str | None] = {}

    def lookup(self, recorded: str) -> str | None:
        found = self._memo.get(recorded, ...)
        if found is ...:
            found = self._memo[recorded] = self._lookup(recorded)
        return found

    def _lookup(self, recorded: str) -> str | None:
        if not recorded or recorded.startswith("<"):
            return None
        parts = _parts(recorded)
        if _INSTALLED.intersection(parts):
            return None
        absolute = recorded.replace("\\", "/").startswith("/") or (
            len(recorded) > 2 and recorded[1] == ":"
        )
        if absolute:
            for root in self.recorded_roots:
                if parts[: len(root)] == root:
                    return self._by_suffix(parts[len(root) :])
            local = self._absolute.get(PurePosixPath(*parts).as_posix())
            if local is not None or self.recorded_roots:
                return local
        return self._by_suffix(parts)

    def _by_suffix(self, parts: tuple[str, ...]) -> str | None:
        if not parts:
            return None
        best: list[str] = []
        best_length = 0
        for candidate, name in self._by_name.get(parts[-1], ()):
            length = _common_tail(parts, candidate)
            if length < min(len(parts), len(candidate)):
                continue  # neither path is a suffix of the other
            if length > best_length:
                best, best_length = [name], length
            elif length == best_length:
                best.append(name)
        return best[0] if len(best) == 1 else None


def _parts(path: str) -> tuple[str, ...]:
    """Folder names of ``path`` as written on any system (``\\`` and ``/``), with the
    root (``/`` or a drive) kept as the first part so that absolute paths compare."""
    text = path.replace("\\", "/")
    head = ("/",) if text.startswith("/") else ()
    return head + tuple(part for part in text.split("/") if part and part != ".")


def _common_tail(left: Sequence[str], right: Sequence[str]) -> int:
    count = 0
    for a, b in zip(reversed(left), reversed(right), strict=False):
        if a != b:
            break
        count += 1
    return count
