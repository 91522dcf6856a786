"""``ecolint history record|list|export``: keep the score of every run, read it back.

The store is chosen by ``--database`` or its short alias ``--db`` (a SQLAlchemy URL,
``git`` / ``git:<branch>``, or a ``.sqlite`` path), else ``$ECOLINT_DATABASE_URL``, else
``.ecolint/history.sqlite``. Every store error (unreachable server, bad credentials,
corrupt file, unparseable record) is one clear line and exit 2, and nothing is written.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ecolint.cli.options import config_option, format_option, output_file_option
from ecolint.cli.score import Failure, measure, profile_inputs, render_text, report_options

if TYPE_CHECKING:
    from ecolint.config import Settings
    from ecolint.history.store import HistoryStore
    from ecolint.records import HistoryRecord

F = TypeVar("F", bound=Callable[..., Any])


def db_option(function: F) -> F:
    """``--database`` (the name of the configuration key and of the action input), or its
    short spelling ``--db``, which the first releases documented: both stay."""
    return click.option(
        "--database",
        "--db",
        "database",
        metavar="URL",
        help="History store: sqlite:///file, postgresql+psycopg://user:pw@host/db, git, "
        "git:<branch>, git+<remote>[:<branch>] (pushed to that remote) (default: "
        "$ECOLINT_DATABASE_URL, else [tool.ecolint.history] database, else "
        ".ecolint/history.sqlite).",
    )(function)


def configured_database(option: str | None, settings: Settings) -> str | None:
    """``--database``, else ``$ECOLINT_DATABASE_URL`` (read by ``open_store``), else the
    configured ``[tool.ecolint.history] database``, else None (the default store)."""
    from ecolint.history.store import DATABASE_URL_ENV

    if option or os.environ.get(DATABASE_URL_ENV):
        return option
    return settings.history.database


@contextlib.contextmanager
def opened_store(database: str | None, root: Path, create: bool = False) -> Iterator[HistoryStore]:
    """The store, closed afterwards; a ``HistoryError`` becomes exit 2 with its message.
    Only a command that records passes ``create``: readers never leave a store behind."""
    from ecolint.history.store import HistoryError, open_store

    try:
        store = open_store(database, root, create)
    except HistoryError as error:
        raise Failure(str(error)) from error
    try:
        yield store
    except HistoryError as error:
        raise Failure(str(error)) from error
    finally:
        store.close()


@click.group()
def history() -> None:
    """Record the repository's score for each run; list and export the history."""


@history.command()
@click.argument("path", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@report_options
@db_option
@click.option("--repo", "repository", help="Repository name (default: CI, git remote, folder).")
@click.option("--team", help="Team owning the repository (default: $ECOLINT_TEAM).")
@click.option("--branch", help="Branch (default: CI variables, then git).")
@click.option("--commit", help="Commit id (default: CI variables, then git).")
@profile_inputs
def record(
    path: Path,
    config_path: Path | None,
    energy_report: Path | None,
    web_report: Path | None,
    profiles: tuple[Path, ...],
    profile_roots: tuple[str, ...],
    database: str | None,
    repository: str | None,
    team: str | None,
    branch: str | None,
    commit: str | None,
) -> None:
    """Score the repository at PATH from this run's reports and record it.

    The default store is .ecolint/history.sqlite in the working folder, where `ecolint
    history list` and `ecolint dashboard` look for it.
    """
    from ecolint.config import load_settings
    from ecolint.history.context import detect_context
    from ecolint.records import HistoryRecord
    from ecolint.version import VERSION

    settings = load_settings(config_path, start=path)
    measurement = measure(path, settings, energy_report, web_report, profiles, profile_roots)
    context = detect_context(path, settings.history.repository, settings.history.team)
    rec = HistoryRecord(
        repository=repository or context.repository,
        commit=commit if commit is not None else context.commit,
        recorded_at=datetime.now(UTC).isoformat(),
        score=measurement.score,
        team=team if team is not None else context.team,
        branch=branch if branch is not None else context.branch,
        findings=measurement.findings,
        energy_kwh=measurement.energy_kwh,
        carbon_g=measurement.carbon_g,
        ecoindex=measurement.ecoindex,
        lines_of_code=measurement.lines_of_code,
        tool_version=VERSION,
        hot_findings=measurement.hot_findings,
    )
    with opened_store(configured_database(database, settings), Path.cwd(), create=True) as store:
        store.record(rec)
        where = getattr(store, "display_url", None) or database or "the history store"
    # The score comes last: it is what a reader of a CI log or of `make run` looks for.
    click.echo(f"Recorded {rec.repository} {rec.commit[:12] or '(no commit)'} in {where}")
    click.echo(render_text(measurement, rec.repository))


@history.command(name="list")
@db_option
@config_option
@click.option("--repo", "repository", help="Only this repository.")
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
    help="Only runs from this UTC date or time on (2026-01-31 or 2026-01-31T12:00:00).",
)
@format_option(["text", "json"], show_default=False)
def list_runs(
    database: str | None,
    config_path: Path | None,
    repository: str | None,
    since: datetime | None,
    output_format: str,
) -> None:
    """The recorded runs, oldest first."""
    from ecolint.config import load_settings
    from ecolint.history.codec import record_to_dict

    settings = load_settings(config_path)
    with opened_store(configured_database(database, settings), Path.cwd()) as store:
        records = list(store.records(repository=repository, since=since))
    if output_format == "json":
        click.echo(json.dumps([record_to_dict(r) for r in records], indent=2))
        return
    if not records:
        click.echo("No recorded runs.")
        return
    click.echo(_runs_table(records))


def _runs_table(records: list[HistoryRecord]) -> str:
    """One aligned row per run, under a header: text columns left, figures right."""
    header = (
        "recorded (UTC)",
        "repository",
        "team",
        "branch@commit",
        "score",
        "findings",
        "energy",
    )
    rows = [
        (
            rec.recorded_at[:19].replace("T", " "),
            rec.repository,
            rec.team or "-",
            f"{rec.branch or '-'}@{rec.commit[:10] or '-'}",
            "-" if rec.score.score is None else f"{rec.score.score:.1f} {rec.score.grade or '-'}",
            str(sum(rec.findings.values())),
            "-" if rec.energy_kwh is None else f"{rec.energy_kwh * 1000:.4g} Wh",
        )
        for rec in records
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    right = {4, 5, 6}
    return "\n".join(
        "  ".join(
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in (header, *rows)
    )


@history.command()
@db_option
@config_option
@format_option(["csv", "json"], show_default=False)
@click.option("--period", type=click.Choice(["month", "quarter"]), default="month")
@click.option("--by", type=click.Choice(["repository", "team"]), default="repository")
@click.option("--repo", "repository", help="Only this repository.")
@output_file_option
def export(
    database: str | None,
    config_path: Path | None,
    output_format: str,
    period: Any,
    by: Any,
    repository: str | None,
    output_file: Path | None,
) -> None:
    """Sustainability indicators (CSRD) per repository or team and period.

    Energy (kWh) and carbon (kgCO2e) are summed over the period's runs; score, grade,
    findings and EcoIndex are those of the period's last run.
    """
    from ecolint.config import load_settings
    from ecolint.scoring.indicators import aggregate, indicators_csv, indicators_json

    settings = load_settings(config_path)
    with opened_store(configured_database(database, settings), Path.cwd()) as store:
        rows = aggregate(store.records(repository=repository), period, by)
    text = indicators_csv(rows) if output_format == "csv" else indicators_json(rows, period)
    if output_file is None:
        click.echo(text, nl=False)
    else:
        output_file.write_text(text, encoding="utf-8")
