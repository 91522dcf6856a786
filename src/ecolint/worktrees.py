"""Other revisions of a repository as folders, without touching the user's working tree.

``ecolint energy ab`` runs the test suite of base and head side by side, and ``ecolint ci``
lints the base of a pull request beside its head: both need a revision checked out
somewhere else. ``git worktree add --detach`` shares the repository's objects (no clone,
no network), and the worktrees are removed on the way out, also on an exception or a
Ctrl-C, so a run leaves neither folders nor registered worktrees behind.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ecolint import git


@contextmanager
def worktrees(root: Path, shas: Sequence[str]) -> Iterator[tuple[Path, list[Path]]]:
    """A temporary folder with one detached worktree per sha (in that order); all removed
    afterwards. A sha git cannot check out raises :class:`ecolint.git.GitError`."""
    folder = Path(tempfile.mkdtemp(prefix="ecolint-worktrees-"))
    paths: list[Path] = []
    try:
        for index, sha in enumerate(shas):
            path = folder / f"tree-{index}"
            git.run(root, "worktree", "add", "--detach", "--quiet", str(path), sha)
            paths.append(path)
        yield folder, paths
    finally:  # deleting the trees, then one prune, unregisters them all
        shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(git.GitError):  # cleaning up: the first error is the one
            git.run(root, "worktree", "prune")
