"""``ecolint energy``: compare energy reports, and A/B-test two revisions' test suites.

Exit codes: 0 done (compare; ab with pass, improvement or inconclusive), 1 ab found a
regression, 2 bad input (unreadable or mismatched report, unknown ref, not a repository,
pytest failing to run).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from ecolint.cli.options import format_option
from ecolint.energy.ab import ABError, run_ab, write_comparison
from ecolint.energy.reading import ReportError, load_report
from ecolint.render.energy import ab_text, delta_json, delta_markdown, delta_text
from ecolint.scoring.energy_delta import report_delta
from ecolint.scoring.energy_verdict import Criteria

EXIT_REGRESSION = 1


class EnergyFailure(click.ClickException):
    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


@click.group()
def energy() -> None:
    """Compare the energy of test runs (reports of pytest --eco)."""


@energy.command()
@click.argument("base", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("head", type=click.Path(dir_okay=False, path_type=Path))
@format_option(["text", "json", "markdown"])
@click.option(
    "--top", type=click.IntRange(min=0), default=20, show_default=True, help="Tests shown."
)
def compare(base: Path, head: Path, output_format: str, top: int) -> None:
    """Suite and per-test deltas (CPU, energy, gCO2e) between two --eco-json reports.

    Two single runs give figures, not a verdict: use `ecolint energy ab` to decide.
    """
    try:
        delta = report_delta(load_report(base), load_report(head))
    except ReportError as error:
        raise EnergyFailure(str(error)) from error
    if output_format == "json":
        click.echo(delta_json(delta), nl=False)
    elif output_format == "markdown":
        click.echo(delta_markdown(delta, top), nl=False)
    else:
        click.echo(delta_text(delta, top), nl=False)


@energy.command(context_settings={"allow_interspersed_args": False})
@click.option("--base", required=True, metavar="REF", help="Base revision (e.g. origin/main).")
@click.option("--head", default="HEAD", show_default=True, metavar="REF", help="Head revision.")
@click.option(
    "--rounds",
    type=click.IntRange(min=3),
    default=15,
    show_default=True,
    help="Rounds of base then head (a test can be flagged among 20 from 8 rounds,"
    " among 900 from 10; 15 keep a 30 % slowdown of one test in 20 detectable under"
    " bursts of co-tenant load, see bench/energy_verdicts.py).",
)
@click.option(
    "--threshold",
    type=click.FloatRange(min=0, min_open=True, max=100),
    default=5.0,
    show_default=True,
    metavar="PCT",
    help="Relative change that counts, in %.",
)
@click.option(
    "--alpha",
    type=click.FloatRange(min=0, max=1, min_open=True, max_open=True),
    default=0.01,
    show_default=True,
    help="Family-wise error rate of the per-test rank tests.",
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the comparison (verdict and figures) here.",
)
@click.argument("pytest_args", nargs=-1, type=click.UNPROCESSED)
def ab(
    base: str,
    head: str,
    rounds: int,
    threshold: float,
    alpha: float,
    json_path: Path | None,
    pytest_args: tuple[str, ...],
) -> None:
    """Run the test suite of BASE and HEAD interleaved and give a verdict.

    Each revision is checked out in a temporary git worktree; the suite runs
    base, head, base, head … for --rounds rounds with `pytest --eco`, PYTHONHASHSEED=0
    and this interpreter. Arguments after `--` go to pytest. The verdict is pass,
    regression (exit 1), improvement or inconclusive (noise ±x %).
    """
    criteria = Criteria(threshold=threshold / 100, alpha=alpha)
    if json_path is not None:
        _check_writable(json_path)  # before minutes of runs, not after
    try:
        result = run_ab(
            base,
            head,
            rounds=rounds,
            pytest_args=pytest_args,
            criteria=criteria,
            progress=lambda message: click.echo(message, err=True),
        )
    except ABError as error:
        raise EnergyFailure(str(error)) from error
    if json_path is not None:
        try:
            write_comparison(result, json_path)
        except OSError as error:
            raise EnergyFailure(f"cannot write {json_path}: {error.strerror}") from error
    click.echo(ab_text(result), nl=False)
    if result.verdict.verdict == "regression":
        raise click.exceptions.Exit(EXIT_REGRESSION)


def _check_writable(path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if path.is_dir() or not folder.is_dir() or not os.access(folder, os.W_OK):
        raise EnergyFailure(f"cannot write the comparison to {path}")
