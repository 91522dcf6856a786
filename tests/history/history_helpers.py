"""Plain helpers for the history tests (the fixtures are in ``history_stores``)."""

from __future__ import annotations

import socket
from typing import Any

from ecolint.records import HistoryRecord, HotFinding, RepoScore, ScorePart

PASSWORD = "ecolint-test-password"  # of the test server's postgres user


def make_record(
    repository: str = "acme/shop",
    commit: str = "0123456789abcdef",
    recorded_at: str = "2026-01-15T10:00:00+00:00",
    score: float = 72.5,
    **changes: object,
) -> HistoryRecord:
    """A complete record: every field set, so that a round trip checks every column."""
    values: dict[str, object] = {
        "team": "payments",
        "branch": "main",
        "findings": {"ECO102": 3, "ECO201": 1},
        "energy_kwh": 2.5e-6,
        "carbon_g": 1.2e-3,
        "ecoindex": {"http://127.0.0.1/": 81.0, "http://127.0.0.1/cart": 64.0},
        "lines_of_code": 1234,
        "tool_version": "0.1.0",
        "hot_findings": (
            HotFinding("ECO102", "shop/cart.py", 41, 0.62, 3.5),
            HotFinding("ECO201", "shop/export.py", 7, 0.04, 0.25, "sampled"),  # py-spy
        ),
    }
    values.update(changes)
    parts = (
        ScorePart("code", score, "B", "3 findings"),
        ScorePart("tests", 90.0, "A", "energy_j 1 of a budget of 5 (20%)"),
    )
    return HistoryRecord(
        repository=repository,
        commit=commit,
        recorded_at=recorded_at,
        score=RepoScore(score, "B", parts),
        **values,  # type: ignore[arg-type]
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def alembic_config(connection: Any) -> Any:
    """Alembic's configuration for ecolint's migrations, on ``connection``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "ecolint.history:migrations")
    config.attributes["connection"] = connection
    return config


def revision_of(url: str) -> str:
    """The schema revision of the SQL store at ``url``."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()
