"""``ecolint score``: the repository's ecodesign score 0–100 and grade A–G, with its parts."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ecolint.cli import profiling
from ecolint.cli.options import config_option, format_option
from ecolint.config.energy import DEFAULT_ENERGY_REPORT

if TYPE_CHECKING:
    from ecolint.config import Settings
    from ecolint.results import LintReport
    from ecolint.scoring.measure import RepositoryMeasurement

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_WEB_REPORT = Path(".eco") / "web.json"
SCORE_JSON_VERSION = 1


class Failure(click.ClickException):
    """A clear error with exit 2 (bad report, unreachable or corrupt store)."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def report_options(function: F) -> F:
    """``--energy-report`` and ``--web-report``, shared by ``score`` and ``history record``."""
    function = click.option(
        "--web-report",
        type=click.Path(dir_okay=False, path_type=Path),
        help=f"`ecolint web --format json` report (default: {DEFAULT_WEB_REPORT} if present).",
    )(function)
    function = click.option(
        "--energy-report",
        type=click.Path(dir_okay=False, path_type=Path),
        help=f"`pytest --eco` report (default: {DEFAULT_ENERGY_REPORT}, where it writes it).",
    )(function)
    return config_option(function)


# ``score`` and ``history record``
profile_inputs = profiling.profile_inputs(
    "joined to the findings, the hottest are recorded in the history, and --weight-by-cost "
    "weighs the code part by it"
)


def measure(
    root: Path,
    settings: Settings,
    energy_report: Path | None,
    web_report: Path | None,
    profiles: tuple[Path, ...] = (),
    profile_roots: tuple[str, ...] = (),
    weight_by_cost: bool | None = None,
) -> RepositoryMeasurement:
    """Lint ``root`` and read the reports (given, or found at the default places); with
    ``profiles``, join them to the findings first (for ``weight_by_cost``)."""
    from ecolint.scoring.measure import ScoreInputError, measure_repository

    energy_report = energy_report or _present(root / DEFAULT_ENERGY_REPORT)
    web_report = web_report or _present(root / DEFAULT_WEB_REPORT)
    lint_report = _profiled_lint(root, settings, profiles, profile_roots) if profiles else None
    try:
        return measure_repository(
            root,
            lint_report=lint_report,
            energy_report=energy_report,
            web_report=web_report,
            settings=settings,
            weight_by_cost=weight_by_cost,
        )
    except ScoreInputError as error:
        raise Failure(str(error)) from error


def _profiled_lint(
    root: Path, settings: Settings, profiles: tuple[Path, ...], profile_roots: tuple[str, ...]
) -> LintReport:
    from ecolint.lint.runner import lint_paths
    from ecolint.profiles.tree import measure_tree

    report = lint_paths([root], settings, display_root=root)
    with profiling.profile_errors():
        return measure_tree(
            report,
            root.resolve(),
            profiles,
            profile_roots,
            watts_per_thread=settings.energy.watts_per_thread,
        )


def render_text(measurement: RepositoryMeasurement, where: str) -> str:
    score = measurement.score
    if score.score is None:
        head = f"Ecodesign score of {where}: not measured (no part could be measured)"
    else:
        head = f"Ecodesign score of {where}: {score.score:.1f} / 100, grade {score.grade}"
    lines = [head]
    for part in score.parts:
        lines.append(f"  {part.name:<6} {part.score:5.1f}  {part.grade}  {part.detail}")
    for name, reason in measurement.not_measured.items():
        lines.append(f"  {name:<6}     -  -  not measured: {reason}")
    return "\n".join(lines)


def score_document(measurement: RepositoryMeasurement) -> dict[str, Any]:
    """The stable JSON shape of ``ecolint score --format json`` (``"version": 1``)."""
    score = measurement.score
    return {
        "version": SCORE_JSON_VERSION,
        "score": score.score,
        "grade": score.grade,
        "parts": [
            {"name": p.name, "score": p.score, "grade": p.grade, "detail": p.detail}
            for p in score.parts
        ],
        "not_measured": measurement.not_measured,
        "findings": measurement.findings,
        "lines_of_code": measurement.lines_of_code,
        "energy_kwh": measurement.energy_kwh,
        "carbon_g": measurement.carbon_g,
        "ecoindex": measurement.ecoindex,
    }


@click.command()
@click.argument("path", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@report_options
@format_option(["text", "json"])
@profile_inputs
@click.option(
    "--weight-by-cost/--no-weight-by-cost",
    default=None,
    help="Code findings weigh by their measured share of the profile (mean weight 1: the "
    "weight moves to the hot findings, the total stays); default: [tool.ecolint.score] "
    "weight-by-cost, else off.",
)
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    help="Exit 1 when the score is below this (or nothing could be measured).",
)
def score(
    path: Path,
    config_path: Path | None,
    energy_report: Path | None,
    web_report: Path | None,
    output_format: str,
    profiles: tuple[Path, ...],
    profile_roots: tuple[str, ...],
    weight_by_cost: bool | None,
    fail_under: float | None,
) -> None:
    """The repository's ecodesign score 0–100 and grade A–G, from its measured parts.

    Parts: code (findings weighted by impact per 1000 lines), tests (energy of the last
    `pytest --eco` run against the suite budget), web (EcoIndex of the audited pages).
    Only the parts that were measured count.
    """
    from ecolint.config import load_settings

    settings = load_settings(config_path, start=path)
    if weight_by_cost and not profiles:
        raise click.UsageError("--weight-by-cost weighs findings by a profile: add --profile FILE")
    measurement = measure(
        path, settings, energy_report, web_report, profiles, profile_roots, weight_by_cost
    )
    if output_format == "json":
        click.echo(json.dumps(score_document(measurement), indent=2))
    else:
        click.echo(render_text(measurement, path.resolve().name or path.as_posix()))
    value = measurement.score.score
    if fail_under is not None and (value is None or value < fail_under):
        shown = "nothing could be measured" if value is None else f"{value:.1f}"
        click.echo(f"error: the score ({shown}) is under --fail-under {fail_under:g}", err=True)
        raise click.exceptions.Exit(1)


def _present(path: Path) -> Path | None:
    return path if path.is_file() else None
