"""The SQL tables at the newest migration, as SQLAlchemy Core metadata.

The migrations in ``migrations/versions`` create and change the real schema; this module
only mirrors the head for queries (a test checks that both agree). Times are stored as naive
UTC ``TIMESTAMP`` values so that SQLite and PostgreSQL sort and compare them the same way.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

# Newest revision in migrations/versions; checked at open without importing Alembic.
SCHEMA_HEAD = "0002"

metadata = MetaData()

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("repository", Text, nullable=False, index=True),
    Column("team", Text, nullable=False, server_default=""),
    Column("branch", Text, nullable=False, server_default=""),
    Column("commit", Text, nullable=False, server_default=""),
    Column("recorded_at", DateTime(timezone=False), nullable=False, index=True),
    Column("score", Float, nullable=True),
    Column("grade", String(1), nullable=True),
    Column("energy_kwh", Float, nullable=True),
    Column("carbon_g", Float, nullable=True),
    Column("lines_of_code", Integer, nullable=False, server_default="0"),
    Column("tool_version", Text, nullable=False, server_default=""),
    Index("ix_runs_repository_recorded_at", "repository", "recorded_at"),
    Index("ix_runs_team", "team"),
)

score_parts = Table(
    "score_parts",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("name", Text, primary_key=True),
    Column("score", Float, nullable=False),
    Column("grade", String(1), nullable=False),
    Column("detail", Text, nullable=False, server_default=""),
)

findings = Table(
    "findings",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("rule", Text, primary_key=True),
    Column("count", Integer, nullable=False),
)

ecoindex = Table(
    "ecoindex",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("url", Text, primary_key=True),
    Column("score", Float, nullable=False),
)
