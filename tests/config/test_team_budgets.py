"""``[tool.ecolint.teams.<name>]``: carbon budgets, validated like every other key."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecolint.config import ConfigError
from ecolint.config.loader import parse_table
from ecolint.config.teams import TeamBudget

WHERE = Path("project/pyproject.toml")


def test_a_team_budget_is_read_with_a_yearly_period_by_default():
    settings = parse_table(
        {
            "teams": {
                "payments": {"carbon-budget-kg": 120},
                "web": {"carbon-budget-kg": 2.5, "budget-period": "month"},
            }
        },
        WHERE,
    )
    assert settings.teams == {
        "payments": TeamBudget(120.0, "year"),
        "web": TeamBudget(2.5, "month"),
    }


def test_no_teams_table_means_no_budgets():
    assert parse_table({}, WHERE).teams == {}


@pytest.mark.parametrize(
    ("teams", "message"),
    [
        ({"a": {"carbon-budget-kg": 0}}, "carbon-budget-kg must be a number of kg above 0"),
        ({"a": {"carbon-budget-kg": True}}, "carbon-budget-kg must be a number"),
        ({"a": {"carbon-budget-kg": "12"}}, "carbon-budget-kg must be a number"),
        ({"a": {"carbon-budget-kg": float("inf")}}, "carbon-budget-kg must be finite"),
        ({"a": {}}, "carbon-budget-kg is required"),
        ({"a": {"carbon-budget-kg": 1, "budget-period": "week"}}, "budget-period must be one of"),
        ({"a": {"carbon-budget-kg": 1, "budget": 3}}, "unknown key(s) budget"),
        ({"a": 5}, "[tool.ecolint.teams.a] must be a table"),
        ([], "[tool.ecolint.teams] must hold one table per team"),
    ],
)
def test_a_wrong_team_budget_is_a_configuration_error_naming_the_team(teams, message):
    with pytest.raises(ConfigError) as error:
        parse_table({"teams": teams}, WHERE)
    assert message in str(error.value)
