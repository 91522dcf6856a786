"""Plain helpers for the history tests (the fixtures are in ``history_stores``)."""

from __future__ import annotations

import socket

from ecolint.results import HistoryRecord, RepoScore, ScorePart

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
