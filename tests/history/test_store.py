"""The HistoryStore contract, the same tests on SQLite, PostgreSQL and the git data branch."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from history_helpers import PASSWORD, make_record

from ecolint.history.store import HistoryError, HistoryStore, open_store

pytest_plugins = ["history_stores"]


@pytest.fixture
def store(any_store_url: str, tmp_path: Path):
    opened = open_store(any_store_url, tmp_path)
    yield opened
    opened.close()


def test_a_store_satisfies_the_history_store_protocol(store: HistoryStore) -> None:
    assert isinstance(store, HistoryStore)


def test_a_new_store_has_no_records_and_no_repositories(store: HistoryStore) -> None:
    assert list(store.records()) == []
    assert store.repositories() == []


def test_a_recorded_run_reads_back_equal_in_every_field(store: HistoryStore) -> None:
    rec = make_record()
    store.record(rec)
    assert list(store.records()) == [rec]


def test_a_run_with_nothing_measured_reads_back_with_its_nones(store: HistoryStore) -> None:
    rec = make_record(findings={}, energy_kwh=None, carbon_g=None, ecoindex={}, team="")
    rec = replace(rec, score=replace(rec.score, score=None, grade=None, parts=()))
    store.record(rec)
    assert list(store.records()) == [rec]


def test_records_come_in_time_order_whatever_the_recording_order(store: HistoryStore) -> None:
    times = ["2026-03-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00", "2026-02-01T00:00:00+00:00"]
    for number, moment in enumerate(times):
        store.record(make_record(commit=f"c{number}", recorded_at=moment))
    assert [r.recorded_at for r in store.records()] == sorted(times)


def test_times_in_other_zones_are_kept_as_the_same_instant_in_utc(store: HistoryStore) -> None:
    store.record(make_record(recorded_at="2026-01-15T12:00:00+02:00"))
    assert [r.recorded_at for r in store.records()] == ["2026-01-15T10:00:00+00:00"]


def test_records_filter_by_repository(store: HistoryStore) -> None:
    store.record(make_record(repository="acme/shop"))
    store.record(make_record(repository="acme/blog"))
    assert [r.repository for r in store.records(repository="acme/blog")] == ["acme/blog"]


def test_since_keeps_runs_from_that_instant_on(store: HistoryStore) -> None:
    start = datetime(2026, 1, 31, 12, 0, tzinfo=UTC)
    for offset in (-1, 0, 1):
        moment = (start + timedelta(seconds=offset)).isoformat()
        store.record(make_record(commit=str(offset), recorded_at=moment))
    assert [r.commit for r in store.records(since=start)] == ["0", "1"]


def test_since_accepts_a_naive_time_as_utc_and_an_aware_time_in_any_zone(
    store: HistoryStore,
) -> None:
    store.record(make_record(commit="old", recorded_at="2025-12-31T23:00:00+00:00"))
    store.record(make_record(commit="new", recorded_at="2026-01-01T01:00:00+00:00"))
    assert [r.commit for r in store.records(since=datetime(2026, 1, 1))] == ["new"]
    paris = timezone(timedelta(hours=1))
    since_paris = datetime(2025, 12, 31, 23, 30, tzinfo=paris)  # 22:30 UTC
    assert [r.commit for r in store.records(since=since_paris)] == ["old", "new"]


def test_repositories_are_distinct_and_sorted(store: HistoryStore) -> None:
    for name in ("b/two", "a/one", "b/two"):
        store.record(make_record(repository=name))
    assert store.repositories() == ["a/one", "b/two"]


def test_a_store_reopened_sees_what_was_recorded(any_store_url: str, tmp_path: Path) -> None:
    first = open_store(any_store_url, tmp_path)
    first.record(make_record())
    first.close()
    again = open_store(any_store_url, tmp_path)
    try:
        assert len(list(again.records())) == 1
    finally:
        again.close()


@pytest.mark.parametrize(
    "change",
    [
        {"repository": ""},
        {"recorded_at": "yesterday"},
        {"findings": {"ECO102": -1}},
        {"energy_kwh": float("nan")},
        {"ecoindex": {"http://x/": 130.0}},
    ],
    ids=["empty-repository", "bad-time", "negative-count", "nan-energy", "ecoindex-over-100"],
)
def test_an_invalid_record_is_refused_and_nothing_is_written(
    store: HistoryStore, change: dict[str, object]
) -> None:
    with pytest.raises(HistoryError):
        store.record(make_record(**change))
    assert list(store.records()) == []


def test_recording_many_runs_is_all_or_nothing(sql_url: str, tmp_path: Path) -> None:
    store = open_store(sql_url, tmp_path)
    try:
        good = [make_record(commit=str(n)) for n in range(3)]
        with pytest.raises(HistoryError):
            store.record_many([*good, make_record(repository="")])  # type: ignore[attr-defined]
        assert list(store.records()) == []
        store.record_many(good)  # type: ignore[attr-defined]
        assert [r.commit for r in store.records()] == ["0", "1", "2"]
    finally:
        store.close()


@pytest.mark.slow
def test_a_plain_postgresql_url_uses_the_psycopg_driver(
    postgres_server: tuple[str, int], tmp_path: Path
) -> None:
    host, port = postgres_server
    store = open_store(f"postgresql://postgres:{PASSWORD}@{host}:{port}/postgres", tmp_path)
    try:
        assert store.display_url.startswith("postgresql+psycopg://postgres:***@")  # type: ignore[attr-defined]
    finally:
        store.close()
