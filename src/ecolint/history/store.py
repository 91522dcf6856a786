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

from ecolint.records import HistoryRecord

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


class EmptyStore:
    """The default store before anything was recorded, for readers: it holds nothing and
    writes nothing (``ecolint history list`` in a new folder must not create a file)."""

    def record(self, rec: HistoryRecord) -> None:
        raise HistoryError("the default history store was opened for reading only")

    def records(
        self, repository: str | None = None, since: datetime | None = None
    ) -> Iterator[HistoryRecord]:
        return iter(())

    def repositories(self) -> list[str]:
        return []

    def close(self) -> None:
        return None


def open_store(url: str | None, root: Path, create: bool = True) -> HistoryStore:
    """Open the store named by ``url``, else ``$ECOLINT_DATABASE_URL``, else the default.

    - ``None``/empty → SQLite file ``<root>/.ecolint/history.sqlite`` (created on first use)
    - ``sqlite:///path``, ``postgresql+psycopg://user:pw@host/db`` → SQL store (migrated)
    - ``git`` or ``git:<branch>`` → JSON lines on an orphan branch of the git repo at ``root``
      (default branch ``ecolint-history``); ``git+<remote>`` / ``git+<remote>:<branch>``
      also fetches the branch from that remote first and pushes every record to it
    - a plain file path ending in ``.sqlite``/``.db`` → that SQLite file

    Readers pass ``create=False``: a SQLite file that does not exist is then an error
    (a typo in ``--db`` must not leave an empty store behind), and the default store, not
    yet created, reads as empty.
    """
    chosen = url or os.environ.get(DATABASE_URL_ENV) or ""
    if not chosen:
        default = (root / DEFAULT_SQLITE_PATH).resolve()
        if not create and not default.exists():
            return EmptyStore()
        return _sql(f"sqlite:///{default}", create)
    if chosen == "git" or chosen.startswith(("git:", "git+")):
        from ecolint.history.git_store import GitBranchStore

        kind, _, branch = chosen.partition(":")
        remote = kind.partition("+")[2] or None
        return GitBranchStore(root, branch or DEFAULT_GIT_BRANCH, remote)
    if "://" in chosen:
        return _sql(chosen, create)
    if chosen.endswith((".sqlite", ".sqlite3", ".db")):
        path = Path(chosen)
        return _sql(f"sqlite:///{(path if path.is_absolute() else root / path).resolve()}", create)
    raise HistoryError(
        f"unknown history store {chosen!r}: use a SQLAlchemy URL (sqlite:///file, "
        "postgresql+psycopg://user:password@host/db), 'git' / 'git:<branch>', or a .sqlite path"
    )


def _sql(url: str, create: bool) -> HistoryStore:
    from ecolint.history.sql_store import SqlStore

    if not create and url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///").partition("?")[0])
        if str(path) != ":memory:" and not path.exists():
            raise HistoryError(
                f"no history store at {path} (check --db, or record a run first with "
                "`ecolint history record`)"
            )
    return SqlStore.open(url)
