"""Runs with their score parts, findings per rule and EcoIndex per URL.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("repository", sa.Text, nullable=False),
        sa.Column("team", sa.Text, nullable=False, server_default=""),
        sa.Column("branch", sa.Text, nullable=False, server_default=""),
        sa.Column("commit", sa.Text, nullable=False, server_default=""),
        sa.Column("recorded_at", sa.DateTime(timezone=False), nullable=False),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("grade", sa.String(1), nullable=True),
        sa.Column("energy_kwh", sa.Float, nullable=True),
        sa.Column("carbon_g", sa.Float, nullable=True),
    )
    op.create_index("ix_runs_repository", "runs", ["repository"])
    op.create_index("ix_runs_recorded_at", "runs", ["recorded_at"])
    op.create_table(
        "findings",
        sa.Column(
            "run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("rule", sa.Text, primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.create_table(
        "ecoindex",
        sa.Column(
            "run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("score", sa.Float, nullable=False),
    )
    op.create_table(
        "score_parts",
        sa.Column(
            "run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("grade", sa.String(1), nullable=False),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
    )


def downgrade() -> None:
    for name in ("score_parts", "ecoindex", "findings", "runs"):
        op.drop_table(name)
