"""Lines of code and tool version per run; indexes for per-repository and per-team trends.

Why: the code score is per thousand lines, so a trend needs the size it was computed on,
and a change of ecolint version explains a jump; the dashboard reads one repository's or
one team's runs in time order (200 repositories × 365 runs), which the indexes serve.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("lines_of_code", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("tool_version", sa.Text, nullable=False, server_default=""))
    op.create_index("ix_runs_repository_recorded_at", "runs", ["repository", "recorded_at"])
    op.create_index("ix_runs_team", "runs", ["team"])


def downgrade() -> None:
    op.drop_index("ix_runs_team", "runs")
    op.drop_index("ix_runs_repository_recorded_at", "runs")
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("tool_version")
        batch.drop_column("lines_of_code")
