"""Schema migrations: an older database is brought to the newest schema, keeping its data."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from history_helpers import alembic_config, revision_of

from ecolint.history.schema import SCHEMA_HEAD, metadata
from ecolint.history.store import HistoryError, open_store

pytest_plugins = ["history_stores"]


def test_the_head_known_at_open_is_the_newest_migration() -> None:
    script = ScriptDirectory.from_config(alembic_config(None))  # type: ignore[arg-type]
    assert script.get_current_head() == SCHEMA_HEAD


def test_a_new_store_is_created_at_the_newest_revision(sql_url: str, tmp_path: Path) -> None:
    open_store(sql_url, tmp_path).close()
    assert revision_of(sql_url) == SCHEMA_HEAD


def test_the_migrated_schema_matches_the_tables_the_store_queries(
    sql_url: str, tmp_path: Path
) -> None:
    open_store(sql_url, tmp_path).close()
    engine = sa.create_engine(sql_url)
    try:
        inspector = sa.inspect(engine)
        for table in metadata.sorted_tables:
            columns = {column["name"] for column in inspector.get_columns(table.name)}
            assert columns == {column.name for column in table.columns}, table.name
            indexes = {index["name"] for index in inspector.get_indexes(table.name)}
            assert indexes == {index.name for index in table.indexes}, table.name
    finally:
        engine.dispose()


def test_a_database_at_the_first_revision_is_migrated_and_keeps_its_runs(
    sql_url: str, tmp_path: Path
) -> None:
    (tmp_path / "store").mkdir()  # where the SQLite variant's file goes
    engine = sa.create_engine(sql_url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0001")
        with engine.begin() as connection:
            run_id = connection.execute(
                sa.text(
                    'INSERT INTO runs (repository, team, branch, "commit", recorded_at, score, '
                    "grade, energy_kwh, carbon_g) VALUES ('old/repo', 'core', 'main', 'abc', "
                    ":at, 61.5, 'C', 0.001, 0.4) RETURNING id"
                ),
                {"at": datetime(2025, 6, 1, 8, 0)},
            ).scalar()
            connection.execute(
                sa.text("INSERT INTO findings (run_id, rule, count) VALUES (:id, 'ECO102', 4)"),
                {"id": run_id},
            )
    finally:
        engine.dispose()
    assert revision_of(sql_url) == "0001"

    store = open_store(sql_url, tmp_path)
    try:
        (old,) = store.records()
    finally:
        store.close()
    assert revision_of(sql_url) == SCHEMA_HEAD
    assert (old.repository, old.commit, old.recorded_at) == (
        "old/repo",
        "abc",
        "2025-06-01T08:00:00+00:00",
    )
    assert (old.score.score, old.score.grade, old.findings) == (61.5, "C", {"ECO102": 4})
    assert (old.lines_of_code, old.tool_version) == (0, "")  # the columns 0002 added


def test_a_database_from_a_newer_ecolint_is_refused_untouched(sql_url: str, tmp_path: Path) -> None:
    open_store(sql_url, tmp_path).close()
    engine = sa.create_engine(sql_url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    finally:
        engine.dispose()
    with pytest.raises(HistoryError, match="newer than this ecolint"):
        open_store(sql_url, tmp_path)
    assert revision_of(sql_url) == "9999"
