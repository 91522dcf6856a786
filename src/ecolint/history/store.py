"""The ``HistoryStore`` protocol and :func:`open_store`, which picks a store from a URL.

Why a protocol: the dashboard, the CSRD export and ``ecolint ci`` read and write history
the same way whether it lives in a SQLite file, an organisation's PostgreSQL server or an
orphan git branch, so they depend on these four methods and nothing else.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

from ecolint.results import HistoryRecord

DATABASE_URL_ENV = "ECOLINT_DATABASE_URL"
DEFAULT_SQLITE_PATH = Path(".ecolint") / "history.sqlite"
DEFAULT_GIT_BRANCH = "ecolint-history"


class HistoryError(Exception):
    """A store cannot be opened, read or written: the CLI reports it and exits 2.

    The message names the store (password hidden) and what to do; nothing was written.
    """


@runtime_checkable
class HistoryStore(Protocol):
    """Where history records are kept. Implementations must be safe for concurrent writers."""

    def record(self, rec: HistoryRecord) -> None:
        """Store one record atomically: after a crash it is either fully there or absent."""

    def records(
        self, repository: str | None = None, since: datetime | None = None
    ) -> Iterator[HistoryRecord]:
        """Records ordered by ``recorded_at`` (oldest first), optionally for one repository
        and from ``since`` on (inclusive; a naive datetime is taken as UTC)."""

    def repositories(self) -> list[str]:
        """The distinct repository names, sorted."""

    def close(self) -> None:
        """Release connections; the store is unusable afterwards."""


def open_store(url: str | None, root: Path) -> HistoryStore:
    """Open the store named by ``url``, else ``$ECOLINT_DATABASE_URL``, else the default.

    - ``None``/empty → SQLite file ``<root>/.ecolint/history.sqlite`` (created on first use)
    - ``sqlite:///path``, ``postgresql+psycopg://user:pw@host/db`` → SQL store (migrated)
    - ``git`` or ``git:<branch>`` → JSON lines on an orphan branch of the git repo at ``root``
      (default branch ``ecolint-history``); ``git+<remote>`` / ``git+<remote>:<branch>``
      also fetches the branch from that remote first and pushes every record to it
    - a plain file path ending in ``.sqlite``/``.db`` → that SQLite file
    """
    chosen = url or os.environ.get(DATABASE_URL_ENV) or ""
    if not chosen:
        return _sql(f"sqlite:///{(root / DEFAULT_SQLITE_PATH).resolve()}")
    if chosen == "git" or chosen.startswith(("git:", "git+")):
        from ecolint.history.git_store import GitBranchStore

        kind, _, branch = chosen.partition(":")
        remote = kind.partition("+")[2] or None
        return GitBranchStore(root, branch or DEFAULT_GIT_BRANCH, remote)
    if "://" in chosen:
        return _sql(chosen)
    if chosen.endswith((".sqlite", ".sqlite3", ".db")):
        path = Path(chosen)
        return _sql(f"sqlite:///{(path if path.is_absolute() else root / path).resolve()}")
    raise HistoryError(
        f"unknown history store {chosen!r}: use a SQLAlchemy URL (sqlite:///file, "
        "postgresql+psycopg://user:password@host/db), 'git' / 'git:<branch>', or a .sqlite path"
    )


def _sql(url: str) -> HistoryStore:
    from ecolint.history.sql_store import SqlStore

    return SqlStore.open(url)
