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
SCHEMA_HEAD = "0003"

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


def _per_run(name: str, key: str, *columns: Column, key_type: type = Text) -> Table:
    """A table of one row per run and ``key``, deleted with its run."""
    return Table(
        name,
        metadata,
        Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
        Column(key, key_type, primary_key=True),
        *columns,
    )


score_parts = _per_run(
    "score_parts",
    "name",
    Column("score", Float, nullable=False),
    Column("grade", String(1), nullable=False),
    Column("detail", Text, nullable=False, server_default=""),
)
findings = _per_run("findings", "rule", Column("count", Integer, nullable=False))
ecoindex = _per_run("ecoindex", "url", Column("score", Float, nullable=False))
# key: the finding's rank in the run, 0 = hottest (rows read back in that order)
hot_findings = _per_run(
    "hot_findings",
    "rank",
    Column("rule", Text, nullable=False),
    Column("path", Text, nullable=False),
    Column("line", Integer, nullable=False),
    Column("share", Float, nullable=False),
    Column("joules", Float, nullable=False),
    Column("clock", Text, nullable=False, server_default="cpu"),
    key_type=Integer,
)
