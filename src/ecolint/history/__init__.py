"""Score history: one ``HistoryStore`` protocol, a SQL store and a git data-branch store.

Import the stores through :func:`ecolint.history.store.open_store`; SQLAlchemy and Alembic
are imported only when a SQL store is opened, so ``ecolint check`` never pays for them.
"""

from __future__ import annotations

from ecolint.history.store import HistoryError, HistoryStore, open_store

__all__ = ["HistoryError", "HistoryStore", "open_store"]
