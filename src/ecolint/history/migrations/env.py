"""Alembic environment: runs on the connection ``SqlStore`` passes in, never from a URL.

The caller holds a transaction (and, on PostgreSQL, an advisory lock; on SQLite the write
lock), so concurrent first runs migrate once and the others see the finished schema.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
