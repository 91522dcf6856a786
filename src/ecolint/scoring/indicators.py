"""Sustainability-reporting indicators (CSRD) from history records: pure aggregation.

``aggregate(records, period)`` folds history records into one ``IndicatorRow`` per
(period, team, repository); ``by="team"`` folds a team's repositories together.
``indicators_csv`` and ``indicators_json`` render the rows as text (the caller writes
them: no I/O here). Why these aggregations:

- **energy** and **carbon** are *flows*: every recorded run consumed them, so a period's
  figure is the sum over its runs (kWh; carbon converted from gCO2e to kgCO2e);
- **score**, **grade**, **findings** and **EcoIndex** are *states*: the period reports the
  state at its end (the last run), plus the mean score over the period — adding the
  findings of successive runs would count the same finding many times;
- a team's row sums the flows of its repositories and averages their end-of-period states
  (findings are summed: they are counts).

``None`` means "not measured in this period", never zero. Records may come in any order:
the last run of a period is the one with the latest ``recorded_at``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from ecolint.records import Grade, HistoryRecord
from ecolint.scoring.repo_score import grade_for

Period = Literal["month", "quarter"]
GroupBy = Literal["repository", "team"]
PERIODS: tuple[Period, ...] = ("month", "quarter")
INDICATORS_VERSION = 1
UNITS = {
    "energy_kwh": "kWh",
    "carbon_kgco2e": "kgCO2e",
    "score": "0-100",
    "score_mean": "0-100",
    "ecoindex": "0-100",
}


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """The indicators of one repository (or team, ``repository == ""``) over one period."""

    period: str  # "2026-01" or "2026-Q1"
    team: str
    repository: str
    runs: int
    score: float | None  # at the end of the period
    grade: Grade | None
    score_mean: float | None
    findings: int | None  # total findings at the end of the period
    energy_kwh: float | None  # sum over the period's runs
    carbon_kgco2e: float | None
    ecoindex: float | None  # mean EcoIndex of the pages at the end of the period


FIELDS: tuple[str, ...] = tuple(IndicatorRow.__slots__)


def parse_time(recorded_at: str) -> datetime:
    """The UTC time of an ISO 8601 stamp; a stamp without a zone is taken as UTC.

    Raises ValueError naming the stamp when it is not ISO 8601.
    """
    try:
        moment = datetime.fromisoformat(recorded_at)
    except (TypeError, ValueError) as error:
        raise ValueError(f"recorded_at {recorded_at!r} is not an ISO 8601 time") from error
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def period_of(moment: str | datetime, period: Period) -> str:
    """``2026-02`` (month) or ``2026-Q1`` (quarter) of a time or an ISO 8601 stamp (UTC)."""
    if isinstance(moment, str):
        moment = parse_time(moment)
    if period == "month":
        return f"{moment.year:04d}-{moment.month:02d}"
    if period == "quarter":
        return f"{moment.year:04d}-Q{(moment.month - 1) // 3 + 1}"
    raise ValueError(f"period must be one of {', '.join(PERIODS)}, got {period!r}")


def aggregate(
    records: Iterable[HistoryRecord], period: Period = "month", by: GroupBy = "repository"
) -> list[IndicatorRow]:
    """Rows sorted by period, team, repository (see the module doc for each column)."""
    return aggregate_timed(((parse_time(r.recorded_at), r) for r in records), period, by)


def aggregate_timed(
    runs: Iterable[tuple[datetime, HistoryRecord]],
    period: Period = "month",
    by: GroupBy = "repository",
) -> list[IndicatorRow]:
    """``aggregate`` of records whose times were parsed already (the dashboard's path)."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, got {period!r}")
    if by not in ("repository", "team"):
        raise ValueError(f"by must be repository or team, got {by!r}")
    groups: dict[tuple[str, str, str], list[tuple[datetime, HistoryRecord]]] = {}
    labels: dict[tuple[int, int], str] = {}  # one label per month, not one per record
    for moment, record in runs:
        month = (moment.year, moment.month)
        label = labels.get(month) or labels.setdefault(month, period_of(moment, period))
        key = (label, record.team, record.repository)
        groups.setdefault(key, []).append((moment, record))
    rows = [_repository_row(key, runs) for key, runs in sorted(groups.items())]
    if by == "team":
        teams: dict[tuple[str, str], list[IndicatorRow]] = {}
        for row in rows:
            teams.setdefault((row.period, row.team), []).append(row)
        rows = [_team_row(key, members) for key, members in sorted(teams.items())]
    return rows


def _repository_row(
    key: tuple[str, str, str], runs: list[tuple[datetime, HistoryRecord]]
) -> IndicatorRow:
    period, team, repository = key
    runs.sort(key=lambda pair: pair[0])
    records = [record for _, record in runs]
    last = records[-1]
    return IndicatorRow(
        period=period,
        team=team,
        repository=repository,
        runs=len(records),
        score=last.score.score,
        grade=last.score.grade,
        score_mean=_mean(r.score.score for r in records),
        findings=sum(last.findings.values()),
        energy_kwh=_sum(r.energy_kwh for r in records),
        carbon_kgco2e=_scaled(_sum(r.carbon_g for r in records), 1 / 1000),
        ecoindex=_mean(last.ecoindex.values()),
    )


def _team_row(key: tuple[str, str], members: Sequence[IndicatorRow]) -> IndicatorRow:
    period, team = key
    score = _mean(m.score for m in members)
    return IndicatorRow(
        period=period,
        team=team,
        repository="",
        runs=sum(m.runs for m in members),
        score=score,
        grade=grade_for(score) if score is not None else None,
        score_mean=_mean(m.score_mean for m in members),
        findings=sum(m.findings or 0 for m in members),
        energy_kwh=_sum(m.energy_kwh for m in members),
        carbon_kgco2e=_sum(m.carbon_kgco2e for m in members),
        ecoindex=_mean(m.ecoindex for m in members),
    )


def _sum(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 1) if present else None


def _scaled(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


def indicators_csv(rows: Iterable[IndicatorRow]) -> str:
    """CSV with a header row (``FIELDS``); a value not measured is an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FIELDS)
    for row in rows:
        writer.writerow(["" if value is None else value for value in _plain(row).values()])
    return buffer.getvalue()


def indicators_json(rows: Iterable[IndicatorRow], period: Period = "month") -> str:
    """A versioned JSON document: ``{"version": 1, "period", "units", "rows": [...]}``."""
    document = {
        "version": INDICATORS_VERSION,
        "period": period,
        "units": UNITS,
        "rows": [_plain(row) for row in rows],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _plain(row: IndicatorRow) -> dict[str, object]:
    """The row's values with floats cut to 9 significant digits: no float noise in text."""
    return {
        key: float(f"{value:.9g}") if isinstance(value, float) else value
        for key, value in zip(FIELDS, (getattr(row, name) for name in FIELDS), strict=True)
    }
