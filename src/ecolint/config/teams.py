"""``[tool.ecolint.teams.<name>]``: each team's carbon budget, validated.

```toml
[tool.ecolint.teams.payments]
carbon-budget-kg = 120        # kgCO2e the team's measured runs may emit per budget period
budget-period = "year"        # "month", "quarter" or "year" (the default: CSRD reports yearly)
```

The dashboard shows how much of the budget the current period has used.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ecolint.config.values import ConfigError, check_keys

BudgetPeriod = Literal["month", "quarter", "year"]
BUDGET_PERIODS: tuple[BudgetPeriod, ...] = ("month", "quarter", "year")
_KNOWN = ("carbon-budget-kg", "budget-period")


@dataclass(frozen=True, slots=True)
class TeamBudget:
    """A team's carbon budget in kgCO2e per ``period``."""

    carbon_kg: float
    period: BudgetPeriod = "year"


def parse_carbon_budget(value: Any, where: str) -> float:
    """A budget in kg: a number greater than zero (booleans and strings are refused)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ConfigError(
            f"{where}: carbon-budget-kg must be a number of kg above 0, got {value!r}"
        )
    if value == float("inf"):
        raise ConfigError(f"{where}: carbon-budget-kg must be finite")
    return float(value)


def parse_teams(table: Any, path: Path) -> dict[str, TeamBudget]:
    """The budgets of ``[tool.ecolint.teams]``, one sub-table per team."""
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.ecolint.teams] must hold one table per team")
    budgets: dict[str, TeamBudget] = {}
    for team, settings in table.items():
        where = f"{path}: [tool.ecolint.teams.{team}]"
        check_keys(settings, where, _KNOWN, "a table such as carbon-budget-kg = 50")
        if "carbon-budget-kg" not in settings:
            raise ConfigError(f"{where}: carbon-budget-kg is required")
        period = settings.get("budget-period", "year")
        if period not in BUDGET_PERIODS:
            raise ConfigError(
                f"{where}: budget-period must be one of {', '.join(BUDGET_PERIODS)}, got {period!r}"
            )
        budgets[team] = TeamBudget(parse_carbon_budget(settings["carbon-budget-kg"], where), period)
    return budgets
