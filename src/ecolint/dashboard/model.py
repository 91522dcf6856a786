"""What the pages show, computed once from the history records (no HTML here).

The "current" period is the one holding the latest record of the whole history, not the
wall clock: the same history always gives the same site, and a CI artifact built on the
1st of a month does not show an empty month.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from ecolint.config.teams import BUDGET_PERIODS, BudgetPeriod, TeamBudget
from ecolint.records import Grade, HistoryRecord, HotFinding, ScorePart
from ecolint.scoring.indicators import (
    IndicatorRow,
    Period,
    aggregate_timed,
    parse_time,
    period_of,
)

THEMES = {
    "1": "loops",
    "2": "I/O",
    "3": "network",
    "4": "SQL",
    "5": "data science",
    "6": "concurrency",
    "7": "memory",
    "8": "web",
}
OTHER_THEME = "other"
_RULE_ID = re.compile(r"^[A-Za-z]+(\d)\d\d$")
MOVES_PER_METRIC = 5
REGRESSIONS_SHOWN = 10


def theme_of(rule_id: str) -> str:
    """The theme of a rule id by its hundreds digit (ECO102 → loops); "other" otherwise."""
    match = _RULE_ID.match(rule_id)
    return THEMES.get(match.group(1), OTHER_THEME) if match else OTHER_THEME


def slug(name: str) -> str:
    """A file name for any repository or team name: readable part plus a hash, so two names
    never share a page and nothing in a name (``../``, ``<``, spaces) reaches a path."""
    readable = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "unnamed"
    return f"{readable}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"


@dataclass(frozen=True, slots=True)
class Point:
    """One recorded run of a repository."""

    time: datetime
    commit: str
    branch: str
    score: float | None
    grade: Grade | None
    energy_kwh: float | None
    carbon_g: float | None
    ecoindex: Mapping[str, float]
    findings: int
    parts: tuple[ScorePart, ...]
    seconds: float  # the time in epoch seconds, computed once for the charts
    ecoindex_mean: float | None  # over the pages of this run


@dataclass(frozen=True, slots=True)
class Move:
    """A commit and how it changed the figures against the run before it."""

    point: Point
    score: float | None  # points
    energy: float | None  # relative change, 0.1 = +10 %
    carbon: float | None  # relative change
    ecoindex: float | None  # points of the mean over pages
    findings: int


@dataclass(frozen=True, slots=True)
class RepositoryView:
    name: str
    team: str
    slug: str
    points: tuple[Point, ...]  # in time order
    findings_by_theme: Mapping[str, int]  # of the latest run
    current: IndicatorRow | None  # this repository's row for the current period
    period_change: float | None  # score change over the current period
    moves: tuple[Move, ...]
    hot_findings: tuple[HotFinding, ...] = ()  # of the latest run, when it had a profile

    @property
    def latest(self) -> Point:
        return self.points[-1]


@dataclass(frozen=True, slots=True)
class TeamView:
    name: str
    slug: str
    repositories: tuple[RepositoryView, ...]
    budget: TeamBudget | None
    budget_label: str  # the budget period it is measured over: "2026", "2026-Q4", "2026-11"
    used_kg: float | None  # carbon of the team's runs in that period (None: not measured)
    monthly_kg: tuple[tuple[str, float], ...]  # the last 12 months with a measured carbon

    @property
    def used_share(self) -> float | None:
        if self.budget is None or self.used_kg is None:
            return None
        return self.used_kg / self.budget.carbon_kg


@dataclass(frozen=True, slots=True)
class Dashboard:
    period: Period
    current_period: str
    latest_time: datetime
    repositories: tuple[RepositoryView, ...]  # by name
    teams: tuple[TeamView, ...]  # by name
    regressions: tuple[RepositoryView, ...]  # worst score drop first
    rows: tuple[IndicatorRow, ...]  # every period, per repository (the downloads)


def _point(record: HistoryRecord) -> Point:
    moment = parse_time(record.recorded_at)
    pages = record.ecoindex.values()
    return Point(
        time=moment,
        commit=record.commit,
        branch=record.branch,
        score=record.score.score,
        grade=record.score.grade,
        energy_kwh=record.energy_kwh,
        carbon_g=record.carbon_g,
        ecoindex=record.ecoindex,
        findings=sum(record.findings.values()),
        parts=record.score.parts,
        seconds=moment.timestamp(),
        ecoindex_mean=sum(pages) / len(pages) if pages else None,
    )


def _relative(before: float | None, after: float | None) -> float | None:
    if before is None or after is None or before <= 0:
        return None
    return after / before - 1


def _difference(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else after - before


def moves_of(points: tuple[Point, ...]) -> tuple[Move, ...]:
    """The commits that moved a figure most: the ``MOVES_PER_METRIC`` largest changes of
    the score, energy, carbon and EcoIndex (so at most four times that), newest first."""
    moves = [
        Move(
            point=after,
            score=_difference(before.score, after.score),
            energy=_relative(before.energy_kwh, after.energy_kwh),
            carbon=_relative(before.carbon_g, after.carbon_g),
            ecoindex=_difference(before.ecoindex_mean, after.ecoindex_mean),
            findings=after.findings - before.findings,
        )
        for before, after in pairwise(points)
    ]
    chosen: dict[int, Move] = {}
    for metric in ("score", "energy", "carbon", "ecoindex"):
        moved = [m for m in moves if getattr(m, metric)]  # None and 0 did not move
        moved.sort(key=lambda m: abs(getattr(m, metric)), reverse=True)
        for move in moved[:MOVES_PER_METRIC]:
            chosen[id(move)] = move
    return tuple(sorted(chosen.values(), key=lambda m: m.point.time, reverse=True))


def _period_change(points: tuple[Point, ...], period: Period, current: str) -> float | None:
    """Latest score minus the score the period started from (the run before it, if any)."""
    first = len(points)  # scan back from the end: only the current period is read
    while first > 0 and period_of(points[first - 1].time, period) == current:
        first -= 1
    if first == len(points):
        return None
    start = points[first - 1] if first > 0 else points[first]
    return _difference(start.score, points[-1].score)


def _budget_label(moment: datetime, period: BudgetPeriod) -> str:
    return str(moment.year) if period == "year" else period_of(moment, period)


def build_dashboard(
    records: Iterable[HistoryRecord],
    period: Period = "month",
    budgets: Mapping[str, TeamBudget] | None = None,
) -> Dashboard:
    """Everything the pages need, from the records in any order. Raises ValueError on an
    empty history (there is no page to draw) or a record whose time is not ISO 8601."""
    budgets = budgets or {}
    by_repository: dict[str, list[tuple[Point, HistoryRecord]]] = {}
    for record in records:
        by_repository.setdefault(record.repository, []).append((_point(record), record))
    if not by_repository:
        raise ValueError("the history holds no record yet: run `ecolint history record` first")
    latest_time = max(point.time for runs in by_repository.values() for point, _ in runs)
    current = period_of(latest_time, period)
    runs_in_time = [(p.time, record) for runs in by_repository.values() for p, record in runs]
    rows = aggregate_timed(runs_in_time, period)
    current_rows = {row.repository: row for row in rows if row.period == current}
    repositories = []
    for name in sorted(by_repository):
        runs = sorted(by_repository[name], key=lambda pair: pair[0].time)
        points = tuple(point for point, _ in runs)
        themes: Counter[str] = Counter()
        for rule, count in runs[-1][1].findings.items():
            themes[theme_of(rule)] += count
        repositories.append(
            RepositoryView(
                name=name,
                team=runs[-1][1].team,
                slug=slug(name),
                points=points,
                findings_by_theme=themes,
                current=current_rows.get(name),
                period_change=_period_change(points, period, current),
                moves=moves_of(points),
                hot_findings=runs[-1][1].hot_findings,
            )
        )
    regressions = sorted(
        (r for r in repositories if r.period_change is not None and r.period_change < 0),
        key=lambda r: r.period_change or 0.0,
    )[:REGRESSIONS_SHOWN]
    teams = _teams(repositories, runs_in_time, budgets, latest_time)
    return Dashboard(
        period=period,
        current_period=current,
        latest_time=latest_time,
        repositories=tuple(repositories),
        teams=teams,
        regressions=tuple(regressions),
        rows=tuple(rows),
    )


def _teams(
    repositories: list[RepositoryView],
    runs: list[tuple[datetime, HistoryRecord]],
    budgets: Mapping[str, TeamBudget],
    latest_time: datetime,
) -> tuple[TeamView, ...]:
    """Teams by the team of each repository's latest run; carbon by the team of each run."""
    names = sorted({r.team for r in repositories if r.team})
    monthly: dict[tuple[str, str], float] = {}  # (team, month) -> kg
    in_budget: dict[str, float] = {}  # team -> kg in its budget period (else the month)
    months: dict[tuple[int, int], str] = {}  # labels by (year, month), made once each
    current = {span: _budget_label(latest_time, span) for span in BUDGET_PERIODS}
    for moment, record in runs:
        if not record.team or record.carbon_g is None:
            continue
        month = months.get((moment.year, moment.month)) or months.setdefault(
            (moment.year, moment.month), period_of(moment, "month")
        )
        key = (record.team, month)
        monthly[key] = monthly.get(key, 0.0) + record.carbon_g / 1000
        budget = budgets.get(record.team)
        span: BudgetPeriod = budget.period if budget else "month"
        in_span = (
            month == current["month"]
            if span == "month"
            else (_budget_label(moment, span) == current[span])
        )
        if in_span:
            in_budget[record.team] = in_budget.get(record.team, 0.0) + record.carbon_g / 1000
    teams = []
    for name in names:
        budget = budgets.get(name)
        by_month = sorted((month, kg) for (team, month), kg in monthly.items() if team == name)
        teams.append(
            TeamView(
                name=name,
                slug=slug(name),
                repositories=tuple(r for r in repositories if r.team == name),
                budget=budget,
                budget_label=_budget_label(latest_time, budget.period if budget else "month"),
                used_kg=in_budget.get(name),
                monthly_kg=tuple(by_month[-12:]),
            )
        )
    return tuple(teams)
