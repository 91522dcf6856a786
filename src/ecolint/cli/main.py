"""The ``ecolint`` command group and its error handling (exit codes are chosen here).

Exit codes: 0 clean, 1 findings (or a budget exceeded), 2 usage, configuration or
internal error.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator, MutableMapping
from typing import Any

import click

from ecolint.config import ConfigError
from ecolint.lint.registry import SelectionError
from ecolint.version import VERSION

EXIT_ERROR = 2
# Each subcommand is imported when it runs (or --help lists it): `ecolint check` on a
# cached tree does not pay for the energy, web and CI modules.
SUBCOMMANDS = (
    "check",
    "clean",
    "rules",
    "explain",
    "energy",
    "score",
    "history",
    "dashboard",
    "web",
    "ci",
)


class _Subcommands(MutableMapping[str, click.Command]):
    """The subcommands by name, each imported from ``ecolint.cli.<name>`` when it is
    looked up; listing or testing names imports none."""

    def __init__(self) -> None:
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            if name not in SUBCOMMANDS:
                raise KeyError(name)
            module = importlib.import_module(f"ecolint.cli.{name}")
            self._loaded[name] = getattr(module, name)
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self._loaded[name]

    def __contains__(self, name: object) -> bool:
        return name in SUBCOMMANDS or name in self._loaded

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*SUBCOMMANDS, *self._loaded]))

    def __len__(self) -> int:
        return len({*SUBCOMMANDS, *self._loaded})


class _Failure(click.ClickException):
    exit_code = EXIT_ERROR

    def format_message(self) -> str:
        return self.message

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def _usage_errors() -> tuple[type[Exception], ...]:
    """The errors shown as a message with exit 2. A ``GitError`` can only be raised once
    ``ecolint.git`` is loaded, so it is looked up there rather than imported at start-up
    (with ``subprocess``, which a run answered from the cache does not need)."""
    git = sys.modules.get("ecolint.git")
    return (ConfigError, SelectionError, *((git.GitError,) if git is not None else ()))


class _Group(click.Group):
    """Turns configuration and git errors into exit 2 with their message, and any crash
    into exit 2 with a trace."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except _usage_errors() as error:
            raise _Failure(str(error)) from error
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:
            # The reader went away (`ecolint rules | head`): nothing more can be shown.
            # Python's recipe: point stdout at /dev/null so the exit flush cannot fail too.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise click.exceptions.Exit(1) from None
        except Exception as error:
            import traceback

            raise _Failure(f"internal error:\n{traceback.format_exc()}") from error


@click.group(
    cls=_Group,
    commands=_Subcommands(),
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(VERSION, prog_name="ecolint")
def cli() -> None:
    """Make software ecodesign measurable: lint wasteful code, measure energy and pages."""


def main() -> None:
    cli.main(prog_name="ecolint")
