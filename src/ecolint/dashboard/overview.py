"""The overview page: every repository at a glance, the worst regressions first."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from ecolint.dashboard.charts import Bar, bar_chart, sparkline
from ecolint.dashboard.layout import GRADE_COLOURS, card, change, grade_badge, table
from ecolint.dashboard.model import Dashboard, RepositoryView
from ecolint.dashboard.svg import CARBON_UNITS, ENERGY_UNITS, esc, fmt, pick_unit
from ecolint.wording import plural

SPARKLINE_POINTS = 60


def repository_link(repository: RepositoryView, root: str) -> str:
    return f'<a href="{root}repositories/{repository.slug}.html">{esc(repository.name)}</a>'


def team_link(team: str, slug: str, root: str) -> str:
    if not team:
        return '<span class="muted">no team</span>'
    return f'<a href="{root}teams/{slug}.html">{esc(team)}</a>'


def _team_slugs(dashboard: Dashboard) -> dict[str, str]:
    return {team.name: team.slug for team in dashboard.teams}


def _in_unit(value: float | None, size: float) -> str:
    return fmt(None if value is None else value / size)


def _period_totals(repositories: Sequence[RepositoryView]) -> tuple[float | None, float | None]:
    energy = [r.current.energy_kwh for r in repositories if r.current and r.current.energy_kwh]
    carbon = [
        r.current.carbon_kgco2e for r in repositories if r.current and r.current.carbon_kgco2e
    ]
    return (sum(energy) if energy else None, sum(carbon) if carbon else None)


def _grade_chart(repositories: Sequence[RepositoryView]) -> str:
    counts = {grade: 0 for grade in GRADE_COLOURS}
    for repository in repositories:
        if repository.latest.grade in counts:
            counts[repository.latest.grade] += 1
    bars = [
        Bar(grade, float(n), colour)
        for (grade, n), colour in zip(counts.items(), GRADE_COLOURS.values(), strict=True)
    ]
    return bar_chart(
        bars, title="Repositories by grade of their latest run", unit="repositories", height=180
    )


def overview_page(dashboard: Dashboard) -> str:
    """The body of ``index.html``."""
    repositories = dashboard.repositories
    teams = _team_slugs(dashboard)
    energy_total, carbon_total = _period_totals(repositories)
    energy_unit = pick_unit(
        [r.current.energy_kwh for r in repositories if r.current and r.current.energy_kwh],
        ENERGY_UNITS,
    )
    carbon_unit = pick_unit(
        [r.current.carbon_kgco2e for r in repositories if r.current and r.current.carbon_kgco2e],
        CARBON_UNITS,
    )
    scores = [r.latest.score for r in repositories if r.latest.score is not None]
    median = statistics.median(scores) if scores else None
    period = esc(dashboard.current_period)
    parts = [
        f"<h1>Ecodesign of {plural(len(repositories), 'repository', 'repositories')}</h1>",
        f'<p class="sub">Current {esc(dashboard.period)}: <strong>{period}</strong>, up to the '
        f"latest run on {dashboard.latest_time:%Y-%m-%d %H:%M} UTC.</p>",
        '<div class="cards">',
        card("Median score (latest runs)", fmt(median)),
        card(
            f"Energy of measured runs, {dashboard.current_period}",
            _total(energy_total, ENERGY_UNITS),
        ),
        card(
            f"Carbon of measured runs, {dashboard.current_period}",
            _total(carbon_total, CARBON_UNITS, " CO2e"),
        ),
        card(
            f"Score dropped this {dashboard.period}",
            str(len([r for r in repositories if (r.period_change or 0) < 0])),
        ),
        "</div>",
        "<h2>Grades</h2>",
        f'<div class="chart-box">{_grade_chart(repositories)}</div>',
        f"<h2>Worst regressions in {period}</h2>",
    ]
    if dashboard.regressions:
        parts.append(
            table(
                [
                    ("Repository", False),
                    ("Team", False),
                    ("Grade", False),
                    ("Score", True),
                    (f"Change in {dashboard.current_period}", True),
                ],
                [
                    [
                        repository_link(r, ""),
                        team_link(r.team, teams.get(r.team, ""), ""),
                        grade_badge(r.latest.grade),
                        fmt(r.latest.score),
                        change(r.period_change),
                    ]
                    for r in dashboard.regressions
                ],
            )
        )
    else:
        parts.append(f'<p class="muted">No repository lost score points in {period}.</p>')
    parts += [
        "<h2>All repositories</h2>",
        table(
            [
                ("Repository", False),
                ("Team", False),
                ("Grade", False),
                ("Score", True),
                ("Score trend", False),
                (f"Energy {dashboard.current_period} ({energy_unit[0]})", True),
                (f"Carbon {dashboard.current_period} ({carbon_unit[0]} CO2e)", True),
                (f"Change in {dashboard.current_period}", True),
                (f"Runs in {dashboard.current_period}", True),
            ],
            [_row(r, teams, energy_unit[1], carbon_unit[1]) for r in repositories],
        ),
        f'<p class="muted">Energy and carbon: the sum over the runs of {period} that measured '
        "them (the test suite under <code>pytest --eco</code>). Trend: the score over the whole "
        f"history, thinned to {SPARKLINE_POINTS} points at most.</p>",
    ]
    return "".join(parts)


def _total(value: float | None, units: Sequence[tuple[str, float]], suffix: str = "") -> str:
    if value is None:
        return '<span class="muted">not measured</span>'
    name, size = pick_unit([value], units)
    return f"{fmt(value / size)} {esc(name)}{esc(suffix)}"


def _row(
    repository: RepositoryView, teams: dict[str, str], energy_size: float, carbon_size: float
) -> list[str]:
    scores = [p.score for p in repository.points if p.score is not None]
    trend = ""
    if scores:
        trend = sparkline(
            scores,
            label=f"score of {repository.name}: {fmt(scores[0])} to {fmt(scores[-1])}",
            limit=SPARKLINE_POINTS,
        )
    current = repository.current
    return [
        repository_link(repository, ""),
        team_link(repository.team, teams.get(repository.team, ""), ""),
        grade_badge(repository.latest.grade),
        fmt(repository.latest.score),
        trend,
        _in_unit(current.energy_kwh if current else None, energy_size),
        _in_unit(current.carbon_kgco2e if current else None, carbon_size),
        change(repository.period_change),
        str(current.runs if current else 0),
    ]
