"""Records to JSON and back: exact round trips, and a clear refusal of anything else."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from history_helpers import make_record

from ecolint.history.codec import record_from_json, record_to_dict, record_to_json
from ecolint.history.store import HistoryError
from ecolint.records import ScorePart


def test_a_record_round_trips_through_one_json_line() -> None:
    rec = make_record()
    line = record_to_json(rec)
    assert "\n" not in line
    assert record_from_json(line) == rec


def test_non_ascii_names_and_urls_round_trip() -> None:
    rec = make_record(repository="équipe/café", ecoindex={"http://127.0.0.1/élan": 50.0})
    assert record_from_json(record_to_json(rec)) == rec


def test_the_time_is_stored_in_utc_in_one_spelling() -> None:
    rec = make_record(recorded_at="2026-01-15T12:00:00+02:00")
    assert record_to_dict(rec)["recorded_at"] == "2026-01-15T10:00:00+00:00"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(version=2), "unsupported record version"),
        (lambda d: d.update(extra=1), "unknown record field"),
        (lambda d: d.pop("repository"), "repository must not be empty"),
        (lambda d: d["score"].update(grade="Z"), "score.grade"),
        (lambda d: d["score"].update(score=101), "score.score must be 0–100"),
        (lambda d: d.update(findings={"ECO102": 1.5}), "findings"),
        (lambda d: d.update(lines_of_code=True), "lines_of_code"),
        (lambda d: d.update(energy_kwh="1"), "energy_kwh must be a finite number"),
    ],
    ids=["version", "unknown-field", "no-repository", "grade", "score", "count", "bool", "str"],
)
def test_a_line_that_does_not_match_the_schema_is_refused_with_the_field_named(
    mutate, message: str
) -> None:
    data = record_to_dict(make_record())
    mutate(data)
    with pytest.raises(HistoryError, match=message):
        record_from_json(json.dumps(data))


def test_a_line_that_is_not_json_is_refused() -> None:
    with pytest.raises(HistoryError, match="not JSON"):
        record_from_json('{"version": 1,')


def test_two_parts_with_the_same_name_are_refused() -> None:
    rec = make_record()
    twice = replace(rec, score=replace(rec.score, parts=(ScorePart("code", 1, "G"),) * 2))
    with pytest.raises(HistoryError, match="unique"):
        record_to_json(twice)
