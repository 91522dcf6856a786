"""Options shared by commands, defined once."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])


def split_list(_: click.Context, __: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """``--select A,B --select C`` → ``("A", "B", "C")``."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def rule_list_option(name: str, help_text: str) -> Callable[[F], F]:
    return click.option(name, multiple=True, callback=split_list, metavar="RULES", help=help_text)


config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Configuration file (default: the nearest .ecolint.toml, ecolint.toml or "
    "pyproject.toml with [tool.ecolint], walking up from the first path, or from the "
    "working folder for a command that takes none).",
)


def writable_file(_: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Check an output file before any work, so a long run is never lost at the last
    step: its folder is created when missing, and a path that cannot be written is a
    one-line usage error."""
    if value is None:
        return None
    if value.is_dir():
        raise click.BadParameter(f"cannot write {value}: it is a folder", param=param)
    try:
        value.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise click.BadParameter(f"cannot write {value}: {error.strerror}", param=param) from None
    if not os.access(value.parent, os.W_OK) or (value.exists() and not os.access(value, os.W_OK)):
        raise click.BadParameter(f"cannot write {value}: permission denied", param=param)
    return value


def output_path_option(*names: str, help_text: str) -> Callable[[F], F]:
    """A file the command writes, checked (and its folder created) before the work."""
    return click.option(
        *names,
        type=click.Path(path_type=Path),
        callback=writable_file,
        help=help_text,
    )


output_file_option = output_path_option(
    "--output-file",
    "-o",
    "output_file",
    help_text="Write the report to this file instead of standard output.",
)

cache_dir_option = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Cache folder (default: .ecolint_cache next to the configuration, or $ECOLINT_CACHE_DIR).",
)


def format_option(
    choices: list[str], *, show_default: bool = True, help_text: str | None = None
) -> Callable[[F], F]:
    """``--format`` into ``output_format``, defaulting to ``text`` (the first choice if absent)."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(choices),
        default="text" if "text" in choices else choices[0],
        show_default=show_default,
        help=help_text,
    )
