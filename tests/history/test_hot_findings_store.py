"""A run's hottest measured findings (``--profile``) in every store, and older records.

The round trip of every field on every store kind (``test_store``) covers them through
``make_record``; here: a run without a profile is written as before, and what a record
may not hold.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from history_helpers import alembic_config, make_record, revision_of

from ecolint.history.codec import record_from_json, record_to_json
from ecolint.history.schema import SCHEMA_HEAD
from ecolint.history.store import HistoryError, open_store
from ecolint.records import TOP_HOT_FINDINGS, HotFinding

pytest_plugins = ["history_stores"]


def test_a_run_without_a_profile_is_written_without_the_key():
    """So that an ecolint from before this field reads the record (it refuses unknown keys)."""
    line = record_to_json(make_record(hot_findings=()))
    assert "hot_findings" not in json.loads(line)
    assert record_from_json(line).hot_findings == ()


def test_the_hottest_findings_keep_their_order():
    record = make_record()
    assert record_from_json(record_to_json(record)) == record
    assert [h.line for h in record.hot_findings] == [41, 7]


@pytest.mark.parametrize(
    ("hot", "message"),
    [
        (HotFinding("ECO102", "a.py", 3, 1.5, 1.0), "share must be 0–1"),
        (HotFinding("ECO102", "a.py", 3, 0.5, float("nan")), "joules must be a finite number"),
        (HotFinding("ECO102", "", 3, 0.5, 1.0), "path"),
        (HotFinding("ECO102", "a.py", -1, 0.5, 1.0), "line must be a whole number"),
    ],
)
def test_an_invalid_hot_finding_is_refused_by_name(hot, message):
    with pytest.raises(HistoryError, match=message):
        record_to_json(make_record(hot_findings=(hot,)))


def test_a_record_keeps_at_most_the_top_findings():
    many = tuple(HotFinding("ECO102", "a.py", n, 0.01, 0.1) for n in range(TOP_HOT_FINDINGS + 1))
    with pytest.raises(HistoryError, match=f"at most {TOP_HOT_FINDINGS}"):
        record_to_json(make_record(hot_findings=many))


def test_a_database_at_revision_0002_gets_the_table_and_its_runs_have_none(
    sql_url: str, tmp_path: Path
) -> None:
    (tmp_path / "store").mkdir()  # where the SQLite variant's file goes
    engine = sa.create_engine(sql_url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0002")
            connection.execute(
                sa.text(
                    'INSERT INTO runs (repository, team, branch, "commit", recorded_at, score, '
                    "grade, lines_of_code, tool_version) VALUES ('old/repo', '', 'main', 'abc', "
                    ":at, 61.5, 'C', 900, '0.1.0')"
                ),
                {"at": datetime(2026, 6, 1, 8, 0)},
            )
    finally:
        engine.dispose()
    store = open_store(sql_url, tmp_path)
    try:
        (old,) = store.records()
        new = replace(make_record(repository="old/repo"), recorded_at="2026-07-01T00:00:00+00:00")
        store.record(new)
        assert list(store.records()) == [old, new]
    finally:
        store.close()
    assert revision_of(sql_url) == SCHEMA_HEAD
    assert old.hot_findings == () and old.lines_of_code == 900


def test_an_unknown_clock_is_refused():
    """Only ``cpu`` and ``sampled`` (an upper bound, shown with ≤ on the dashboard)."""
    with pytest.raises(HistoryError, match="clock must be cpu or sampled"):
        record_to_json(
            make_record(hot_findings=(HotFinding("ECO102", "a.py", 3, 0.5, 1.0, "wall"),))
        )
