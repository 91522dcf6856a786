"""The ``--profile`` options (``check``, ``score``, ``history record``, ``explain``), and the
steps that apply them to a report.

``ecolint.profiles`` is imported only when a profile is given, so a plain ``ecolint
check`` neither imports nor runs any of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import click

from ecolint.config import Settings
from ecolint.results import LintReport

F = TypeVar("F", bound=Callable[..., object])
# py-spy record's default --rate: ecolint.profiles.model.DEFAULT_RATE_HZ, restated so that
# nothing of ecolint.profiles is imported without --profile (a test keeps them equal)
PY_SPY_RATE_HZ = 100.0


def _share(_: click.Context, param: click.Parameter, value: str | None) -> float | None:
    """``5%`` or ``0.05`` → 0.05."""
    if value is None:
        return None
    text = value.strip()
    try:
        share = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a share (write 0.05 or 5%)", param=param
        ) from None
    if not 0 <= share <= 1:
        raise click.BadParameter(f"{value!r} is not between 0 and 100%", param=param)
    return share


# What --profile reads, said once for every command's help.
PROFILE_FORMATS = (
    "py-spy record --format raw or speedscope, Austin, a pyinstrument session, "
    "pytest --eco --eco-profile"
)


def profile_inputs(purpose: str) -> Callable[[F], F]:
    """``--profile FILE`` (repeatable, into ``profiles``) and ``--profile-root DIR`` (into
    ``profile_roots``), as every command that joins profiles to findings takes them;
    ``purpose`` says what this command does with them."""

    def decorate(command: F) -> F:
        command = click.option(
            "--profile-root",
            "profile_roots",
            multiple=True,
            metavar="DIR",
            help="The project's folder where the profile was recorded (e.g. /app in a "
            "container): stripped from the recorded paths (repeatable).",
        )(command)
        return click.option(
            "--profile",
            "profiles",
            multiple=True,
            metavar="FILE",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help=f"A CPU profile of the code ({PROFILE_FORMATS}): {purpose} (repeatable).",
        )(command)

    return decorate


@contextmanager
def profile_errors() -> Iterator[None]:
    """A profile that cannot be read is a bad ``--profile`` value: exit 2, with its reason."""
    from ecolint.profiles import ProfileError

    try:
        yield
    except ProfileError as error:
        raise click.BadParameter(str(error), param_hint="--profile") from error


def profile_options(command: F) -> F:
    """``ecolint check``'s: the inputs, and how to rate, order and filter by cost."""
    options = [
        profile_inputs(
            "each finding gets the share of samples, CPU seconds and joules measured on its lines"
        ),
        click.option(
            "--profile-rate",
            type=click.FloatRange(min=0, min_open=True),
            default=PY_SPY_RATE_HZ,
            show_default=True,
            metavar="HZ",
            help="Samples per second of a profile that does not record it (py-spy --rate).",
        ),
        click.option(
            "--sort",
            "order",
            type=click.Choice(["path", "cost"]),
            default="path",
            show_default=True,
            help="Order of the findings: by place, or most measured cost first (--profile).",
        ),
        click.option(
            "--min-cost",
            metavar="SHARE",
            callback=_share,
            help="Hide findings measured below this share of the profile's samples "
            "(0.05 or 5%; --profile).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def check_profile_combinations(
    profile_files: tuple[Path, ...], order: str, min_cost: float | None, stdin: bool, fixing: bool
) -> None:
    if not profile_files:
        if order == "cost" or min_cost is not None:
            raise click.UsageError("--sort cost and --min-cost need a --profile")
        return
    if stdin or fixing:
        raise click.UsageError(
            "a profile's line numbers are those of the files on disk that it ran: "
            "--profile cannot be combined with standard input, --fix or --diff"
        )


def with_profiles(
    report: LintReport,
    settings: Settings,
    profile_files: tuple[Path, ...],
    profile_roots: tuple[str, ...],
    profile_rate: float,
    order: str,
    min_cost: float | None,
) -> LintReport:
    if not profile_files:
        return report
    from ecolint.profiles import keep_costly, measure_report

    with profile_errors():
        report = measure_report(
            report, profile_files, profile_roots, profile_rate, settings.energy.watts_per_thread
        )
    if min_cost is not None:
        report = keep_costly(report, min_cost)
    return replace(report, order="cost" if order == "cost" else "path")
