"""CSRD indicators: flows summed per period, states taken at the period's last run."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from ecolint.records import HistoryRecord, RepoScore
from ecolint.scoring.indicators import (
    FIELDS,
    aggregate,
    indicators_csv,
    indicators_json,
    period_of,
)
from ecolint.scoring.repo_score import grade_for

START = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


def run(
    repository: str,
    day: int,
    score: float | None = 60.0,
    *,
    team: str = "core",
    energy_kwh: float | None = 0.002,
    carbon_g: float | None = 0.1,
    findings: dict[str, int] | None = None,
    ecoindex: dict[str, float] | None = None,
) -> HistoryRecord:
    """One run of ``repository`` ``day`` days after 2026-01-10 12:00 UTC."""
    return HistoryRecord(
        repository=repository,
        commit=f"{day:040d}",
        recorded_at=(START + timedelta(days=day)).isoformat(),
        score=RepoScore(score, None if score is None else grade_for(score)),
        team=team,
        findings={"ECO102": 2} if findings is None else findings,
        energy_kwh=energy_kwh,
        carbon_g=carbon_g,
        ecoindex={} if ecoindex is None else ecoindex,
    )


def at(record: HistoryRecord, stamp: str) -> HistoryRecord:
    """The same run at another time."""
    return HistoryRecord(**{**_fields(record), "recorded_at": stamp})


def _fields(record: HistoryRecord) -> dict[str, object]:
    return {name: getattr(record, name) for name in record.__slots__}  # type: ignore[attr-defined]


def test_months_and_quarters_are_labelled_in_utc():
    assert period_of("2026-03-31T23:30:00-02:00", "month") == "2026-04"
    assert period_of("2026-03-31T23:30:00+00:00", "quarter") == "2026-Q1"
    assert period_of("2026-12-01T00:00:00", "quarter") == "2026-Q4"


def test_an_unknown_period_is_refused():
    with pytest.raises(ValueError, match="period must be one of month, quarter"):
        aggregate([run("a", 0)], "week")  # type: ignore[arg-type]


def test_a_time_that_is_not_iso_8601_is_named_in_the_error():
    broken = at(run("a", 0), "yesterday")
    with pytest.raises(ValueError, match="'yesterday' is not an ISO 8601 time"):
        aggregate([broken])


def test_energy_and_carbon_are_summed_over_the_period_and_carbon_is_in_kg():
    records = [run("a", 0, energy_kwh=0.5, carbon_g=200), run("a", 1, energy_kwh=0.25, carbon_g=50)]
    (row,) = aggregate(records)
    assert (row.period, row.runs) == ("2026-01", 2)
    assert row.energy_kwh == pytest.approx(0.75)
    assert row.carbon_kgco2e == pytest.approx(0.25)


def test_score_findings_and_ecoindex_are_the_last_run_even_when_records_come_unordered():
    first = run("a", 0, 30.0, findings={"ECO102": 9}, ecoindex={"u": 10.0, "v": 20.0})
    last = run("a", 5, 80.0, findings={"ECO102": 1, "ECO301": 2}, ecoindex={"u": 70.0})
    (row,) = aggregate([last, first])
    assert (row.score, row.grade, row.findings, row.ecoindex) == (80.0, "B", 3, 70.0)
    assert row.score_mean == 55.0


def test_a_figure_never_measured_stays_none_and_a_partly_measured_one_sums_what_was():
    records = [run("a", 0, energy_kwh=None, carbon_g=None), run("a", 1, energy_kwh=None)]
    (row,) = aggregate(records)
    assert row.energy_kwh is None
    assert row.carbon_kgco2e == pytest.approx(0.0001)


def test_runs_fall_into_their_own_month_and_quarter():
    records = [run("a", 0), run("a", 25), run("a", 60)]  # 10 Jan, 4 Feb, 11 Mar
    assert [r.period for r in aggregate(records, "month")] == ["2026-01", "2026-02", "2026-03"]
    (quarter,) = aggregate(records, "quarter")
    assert (quarter.period, quarter.runs) == ("2026-Q1", 3)


def test_a_team_row_sums_flows_and_findings_and_averages_the_last_scores():
    records = [
        run("a", 0, 40.0, energy_kwh=1.0, findings={"ECO102": 2}),
        run("a", 3, 50.0, energy_kwh=1.0, findings={"ECO102": 4}),
        run("b", 1, 90.0, energy_kwh=0.5, findings={"ECO301": 1}),
        run("c", 1, 10.0, team="other"),
    ]
    core, other = aggregate(records, by="team")
    assert (core.team, core.repository, core.runs) == ("core", "", 3)
    assert core.energy_kwh == pytest.approx(2.5)
    assert (core.score, core.grade, core.findings) == (70.0, "C", 5)
    assert (other.team, other.runs) == ("other", 1)


def test_csv_has_a_header_of_every_field_and_empty_cells_for_not_measured():
    text = indicators_csv(aggregate([run("a", 0, energy_kwh=None, carbon_g=250)]))
    header, row = list(csv.reader(io.StringIO(text)))
    assert tuple(header) == FIELDS
    values = dict(zip(header, row, strict=True))
    assert (values["energy_kwh"], values["carbon_kgco2e"], values["score"]) == ("", "0.25", "60.0")


def test_json_is_versioned_with_units_and_one_object_per_row():
    rows = aggregate([run("a", 0), run("b", 40)], "quarter")
    document = json.loads(indicators_json(rows, "quarter"))
    assert (document["version"], document["period"]) == (1, "quarter")
    assert document["units"]["carbon_kgco2e"] == "kgCO2e"
    assert [row["repository"] for row in document["rows"]] == ["a", "b"]
    assert set(document["rows"][0]) == set(FIELDS)


def test_a_repository_without_any_score_has_no_score_but_keeps_its_runs():
    record = run("a", 0, None)
    (row,) = aggregate([record])
    assert (row.score, row.grade, row.score_mean, row.runs) == (None, None, None, 1)
    assert record.score == RepoScore(None, None, ())
