"""What the pages show, computed from records: themes, regressions, movers, budgets."""

from __future__ import annotations

import pytest
from dashboard_history import run, small_history

from ecolint.config.teams import TeamBudget
from ecolint.dashboard.model import build_dashboard, slug, theme_of


@pytest.mark.parametrize(
    ("rule", "theme"),
    [
        ("ECO102", "loops"),
        ("ECO205", "I/O"),
        ("ECO303", "network"),
        ("ECO401", "SQL"),
        ("ECO501", "data science"),
        ("ECO603", "concurrency"),
        ("ECO704", "memory"),
        ("ECO801", "web"),
        ("ECO001", "other"),
        ("ACME901", "other"),
        ("nonsense", "other"),
    ],
)
def test_the_theme_is_the_hundreds_digit_of_the_rule_id(rule, theme):
    assert theme_of(rule) == theme


def test_a_slug_is_a_safe_file_name_and_differs_for_names_that_read_alike():
    assert slug("../../etc/passwd").startswith("etc-passwd-")
    assert slug("acme/api") != slug("acme_api")
    assert slug("<script>").replace("-", "").isalnum()


def test_an_empty_history_is_an_error_that_says_what_to_do():
    with pytest.raises(ValueError, match="ecolint history record"):
        build_dashboard([])


def test_the_current_period_is_the_one_of_the_latest_record_not_the_clock():
    dashboard = build_dashboard([run("a", 0), run("a", 40)])  # 10 Jan, 19 Feb 2026
    assert dashboard.current_period == "2026-02"
    assert build_dashboard([run("a", 40)], "quarter").current_period == "2026-Q1"


def test_findings_of_the_latest_run_are_grouped_by_theme():
    dashboard = build_dashboard(small_history())
    data = next(r for r in dashboard.repositories if r.name == "acme/data")
    assert dict(data.findings_by_theme) == {
        "loops": 1,
        "SQL": 3,
        "data science": 76 % 3,
        "memory": 1,
    }


def test_worst_regressions_list_only_score_drops_worst_first():
    records = [
        run("steady", 35, 50.0),
        run("steady", 45, 50.0),
        run("slipping", 35, 50.0),
        run("slipping", 45, 45.0),
        run("falling", 35, 50.0),
        run("falling", 42, 40.0),
        run("falling", 45, 30.0),
        run("rising", 35, 20.0),
        run("rising", 45, 60.0),
    ]  # days 35 to 45: 14 to 24 February 2026
    dashboard = build_dashboard(records)
    assert [r.name for r in dashboard.regressions] == ["falling", "slipping"]
    assert dashboard.regressions[0].period_change == -20.0


def test_the_change_over_a_period_starts_from_the_run_before_it():
    dashboard = build_dashboard([run("a", 0, 80.0), run("a", 30, 70.0)])  # Jan 80, Feb 70
    assert dashboard.repositories[0].period_change == -10.0


def test_the_commits_that_moved_the_figures_are_the_largest_changes_newest_first():
    records = [run("a", day, 50.0) for day in range(10)]
    records[4] = run("a", 4, 20.0, commit="f" * 40)  # a drop, then a recovery at day 5
    records[8] = run("a", 8, 50.0, energy_kwh=0.004, commit="e" * 40)  # energy doubled
    moves = build_dashboard(records).repositories[0].moves
    times = [m.point.time for m in moves]
    assert times == sorted(times, reverse=True)
    doubled = next(m for m in moves if m.point.commit == "e" * 40)
    assert doubled.energy == pytest.approx(1.0)
    dropped = next(m for m in moves if m.point.commit == "f" * 40)
    assert dropped.score == -30.0
    recovered = next(m for m in moves if m.point.time.day == 15)  # day 5: back to 50
    assert recovered.score == 30.0


def test_a_yearly_budget_counts_the_carbon_of_the_whole_year_of_the_latest_run():
    records = [run("a", 0, carbon_g=1000.0), run("a", 40, carbon_g=500.0), run("b", 41, team="x")]
    dashboard = build_dashboard(records, budgets={"core": TeamBudget(3.0, "year")})
    core = next(t for t in dashboard.teams if t.name == "core")
    assert (core.budget_label, core.used_kg, core.used_share) == ("2026", 1.5, 0.5)


def test_a_monthly_budget_counts_only_the_latest_month():
    records = [run("a", 0, carbon_g=1000.0), run("a", 40, carbon_g=500.0)]
    (core,) = build_dashboard(records, budgets={"core": TeamBudget(1.0, "month")}).teams
    assert (core.budget_label, core.used_kg) == ("2026-02", 0.5)
    assert core.monthly_kg == (("2026-01", 1.0), ("2026-02", 0.5))


def test_a_team_without_budget_or_measured_carbon_uses_nothing_known():
    (core,) = build_dashboard([run("a", 0, carbon_g=None)], budgets={}).teams
    assert (core.budget, core.used_kg, core.used_share) == (None, None, None)


def test_a_repository_belongs_to_the_team_of_its_latest_run():
    dashboard = build_dashboard([run("a", 0, team="old"), run("a", 5, team="new")])
    assert [t.name for t in dashboard.teams] == ["new"]
    assert dashboard.repositories[0].team == "new"


def test_a_team_without_budget_still_shows_the_carbon_of_the_latest_month():
    records = [run("a", 0, carbon_g=1000.0), run("a", 40, carbon_g=500.0)]
    (core,) = build_dashboard(records).teams
    assert (core.budget_label, core.used_kg, core.used_share) == ("2026-02", 0.5, None)
