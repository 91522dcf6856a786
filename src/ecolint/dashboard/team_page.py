"""A team's page: its carbon budget and how much of it is used, its repositories."""

from __future__ import annotations

from ecolint.dashboard.charts import Bar, bar_chart
from ecolint.dashboard.layout import card, change, grade_badge, table
from ecolint.dashboard.model import Dashboard, TeamView
from ecolint.dashboard.overview import repository_link
from ecolint.dashboard.svg import esc, fmt
from ecolint.wording import plural

ROOT = "../"
WARN_SHARE = 0.8
_OK, _WARN, _OVER = "#047857", "#b45309", "#b91c1c"


def _gauge(team: TeamView) -> str:
    budget, share = team.budget, team.used_share
    if budget is None:
        return (
            '<p class="muted">No carbon budget is set for this team. Set one in '
            f"<code>[tool.ecolint.teams.{esc(team.name)}]</code> with "
            "<code>carbon-budget-kg = …</code> (and <code>budget-period</code>), or pass "
            f"<code>--carbon-budget {esc(team.name)}=KG</code>.</p>"
        )
    if share is None:
        return (
            f"<p>Budget: {fmt(budget.carbon_kg)} kg CO2e per {esc(budget.period)}. "
            f'<span class="muted">No carbon was measured in {esc(team.budget_label)}.</span></p>'
        )
    colour = _OVER if share > 1 else _WARN if share >= WARN_SHARE else _OK
    status = (
        "over budget"
        if share > 1
        else "near the budget"
        if share >= WARN_SHARE
        else "within budget"
    )
    width = min(share, 1.0) * 100
    return (
        f"<p><strong>{fmt(team.used_kg)} kg</strong> of {fmt(budget.carbon_kg)} kg CO2e used in "
        f'{esc(team.budget_label)} (<strong style="color:{colour}">{fmt(share * 100)} %, '
        f"{status}</strong>).</p>"
        f'<div class="gauge" role="img" aria-label="{fmt(share * 100)} % of the budget used">'
        f'<span style="width:{width:.1f}%;background:{colour}"></span></div>'
    )


def _kg(value: float | None) -> str:
    return '<span class="muted">not measured</span>' if value is None else f"{fmt(value)} kg"


def team_page(dashboard: Dashboard, team: TeamView) -> str:
    """The body of ``teams/<slug>.html``."""
    budget = team.budget
    monthly_limit = budget.carbon_kg if budget and budget.period == "month" else None
    chart = bar_chart(
        [Bar(month, kg) for month, kg in team.monthly_kg],
        title="Carbon of the team's measured runs per month",
        unit="kg CO2e",
        limit=monthly_limit,
        limit_label="budget",
    )
    period = dashboard.current_period
    rows = [
        [
            repository_link(r, ROOT),
            grade_badge(r.latest.grade),
            fmt(r.latest.score),
            change(r.period_change),
            fmt(r.current.carbon_kgco2e if r.current else None),
            fmt(r.current.energy_kwh if r.current else None),
        ]
        for r in team.repositories
    ]
    scores = [r.latest.score for r in team.repositories if r.latest.score is not None]
    return "".join(
        [
            f"<h1>Team {esc(team.name)}</h1>",
            f'<p class="sub">{plural(len(team.repositories), "repository", "repositories")}.</p>',
            '<div class="cards">',
            card("Mean score (latest runs)", fmt(sum(scores) / len(scores) if scores else None)),
            card(f"Carbon used, {team.budget_label}", _kg(team.used_kg)),
            card(
                "Budget", f"{fmt(budget.carbon_kg)} kg / {esc(budget.period)}" if budget else "none"
            ),
            "</div>",
            "<h2>Carbon budget</h2>",
            _gauge(team),
            f'<div class="chart-box">{chart}</div>'
            if chart
            else '<p class="muted">No carbon measured yet.</p>',
            "<h2>Repositories</h2>",
            table(
                [
                    ("Repository", False),
                    ("Grade", False),
                    ("Score", True),
                    (f"Change in {period}", True),
                    (f"Carbon {period} (kg CO2e)", True),
                    (f"Energy {period} (kWh)", True),
                ],
                rows,
            ),
        ]
    )
