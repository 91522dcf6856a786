"""The hottest measured findings of a run (``--profile``): rule, place, share and joules.

Why: the dashboard shows where the latest run's CPU time meets a finding; a run without a
profile has no rows, and runs recorded before this revision read back with none.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hot_findings",
        sa.Column(
            "run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("rank", sa.Integer, primary_key=True),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("share", sa.Float, nullable=False),
        sa.Column("joules", sa.Float, nullable=False),
        # "sampled": wall-clock sampling (py-spy), so the joules are an upper bound
        sa.Column("clock", sa.Text, nullable=False, server_default="cpu"),
    )


def downgrade() -> None:
    op.drop_table("hot_findings")
