"""``ecolint dashboard``: the static HTML dashboard of the history, for tech leads.

Exit codes: 0 written, 2 bad option or configuration, unreadable store, empty history, or
an output folder that cannot be written (nothing in the store is changed, ever).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ecolint.cli.options import config_option
from ecolint.config.teams import TeamBudget, parse_carbon_budget
from ecolint.wording import plural

if TYPE_CHECKING:
    from ecolint.scoring.indicators import Period


class DashboardFailure(click.ClickException):
    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def _budgets(values: tuple[str, ...], configured: dict[str, TeamBudget]) -> dict[str, TeamBudget]:
    """``TEAM=KG`` options over the configured budgets; the period stays the configured one."""
    budgets = dict(configured)
    for value in values:
        team, equals, amount = value.rpartition("=")
        if not equals or not team:
            raise click.BadParameter(f"{value!r} is not TEAM=KG", param_hint="--carbon-budget")
        try:
            kg = parse_carbon_budget(float(amount), f"--carbon-budget {value}")
        except ValueError as error:
            raise click.BadParameter(
                f"{value!r}: KG must be a number above 0", param_hint="--carbon-budget"
            ) from error
        known = budgets.get(team)
        budgets[team] = replace(known, carbon_kg=kg) if known else TeamBudget(kg)
    return budgets


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while the history is read and the site built.

    Hundreds of thousands of objects that all stay alive until the end make each full
    collection walk them again for nothing: at 200 repositories × 365 runs that was about
    0.8 s of the 2 s spent computing the figures. Nothing here creates reference cycles
    that need collecting, and the collector is back on afterwards (also after an error).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@click.command()
@click.option(
    "--database",
    "--db",  # the short spelling, as for `ecolint history`
    "database",
    metavar="URL",
    help="History store: a SQLAlchemy URL (sqlite:///file, postgresql+psycopg://…), 'git' or "
    "'git:<branch>', or a .sqlite file (default: $ECOLINT_DATABASE_URL, else "
    ".ecolint/history.sqlite in the current folder, as for `ecolint history`).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Folder to write the site into (created; other files in it are left alone).",
)
@click.option(
    "--period",
    type=click.Choice(["month", "quarter"]),
    default="month",
    show_default=True,
    help="The period the overview sums energy and carbon over, and regressions are taken in.",
)
@click.option(
    "--carbon-budget",
    "carbon_budgets",
    multiple=True,
    metavar="TEAM=KG",
    help="A team's carbon budget in kgCO2e (per year, or per the team's budget-period in "
    "[tool.ecolint.teams.TEAM]); repeat for several teams. Overrides the configuration.",
)
@config_option
def dashboard(
    database: str | None,
    output: Path,
    period: Period,  # one of the --period choices
    carbon_budgets: tuple[str, ...],
    config_path: Path | None,
) -> None:
    """Write the dashboard (overview, a page per repository and per team) as static HTML.

    The site has no script and loads nothing from the network: open output/index.html,
    keep it as a CI artifact or publish it on GitHub Pages.
    """
    from ecolint.cli.history import configured_database
    from ecolint.config import load_settings
    from ecolint.dashboard import build_site
    from ecolint.history.store import HistoryError, open_store

    settings = load_settings(config_path, start=Path.cwd())
    budgets = _budgets(carbon_budgets, settings.teams)
    with _without_cycle_collection():
        try:
            # where `ecolint history record` writes; reading never creates a store
            store = open_store(configured_database(database, settings), Path.cwd(), create=False)
            try:
                records = list(store.records())
            finally:
                store.close()
        except HistoryError as error:
            raise DashboardFailure(str(error)) from error
        if not records:
            raise DashboardFailure(
                "the history holds no record yet: run `ecolint history record` first"
                + (f" (store: {database})" if database else "")
            )
        try:
            summary = build_site(records, output, period, budgets)
        except ValueError as error:
            raise DashboardFailure(f"cannot build the dashboard: {error}") from error
        except OSError as error:
            raise DashboardFailure(f"cannot write {output}: {error.strerror or error}") from error
    teams = {record.team for record in records}
    for team in sorted(set(budgets) - teams):
        click.echo(f"warning: carbon budget for team {team!r}, which has no run", err=True)
    click.echo(
        f"Dashboard of {plural(summary.repositories, 'repository', 'repositories')} and "
        f"{plural(summary.teams, 'team')} ({plural(summary.runs, 'run')}) written to {output}: "
        f"open {summary.index} (overview {summary.index_bytes / 1000:.0f} kB, "
        f"{plural(summary.pages, 'page')})"
    )
