"""The ``ecolint`` command group and its error handling (exit codes are chosen here).

Exit codes: 0 clean, 1 findings (or a budget exceeded), 2 usage, configuration or
internal error.
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any

import click

from ecolint.cli.check import check
from ecolint.cli.ci import ci
from ecolint.cli.clean import clean
from ecolint.cli.dashboard import dashboard
from ecolint.cli.energy import energy
from ecolint.cli.explain import explain
from ecolint.cli.history import history
from ecolint.cli.rules import rules
from ecolint.cli.score import score
from ecolint.cli.web import web
from ecolint.config import ConfigError
from ecolint.git import GitError
from ecolint.lint.registry import SelectionError
from ecolint.version import VERSION

EXIT_ERROR = 2


class _Failure(click.ClickException):
    exit_code = EXIT_ERROR

    def format_message(self) -> str:
        return self.message

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class _Group(click.Group):
    """Turns configuration and git errors into exit 2 with their message, and any crash
    into exit 2 with a trace."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (ConfigError, SelectionError, GitError) as error:
            raise _Failure(str(error)) from error
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:
            # The reader went away (`ecolint rules | head`): nothing more can be shown.
            # Python's recipe: point stdout at /dev/null so the exit flush cannot fail too.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise click.exceptions.Exit(1) from None
        except Exception as error:
            raise _Failure(f"internal error:\n{traceback.format_exc()}") from error


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(VERSION, prog_name="ecolint")
def cli() -> None:
    """Make software ecodesign measurable: lint wasteful code, measure energy and pages."""


cli.add_command(check)
cli.add_command(clean)
cli.add_command(rules)
cli.add_command(explain)
cli.add_command(energy)
cli.add_command(score)
cli.add_command(history)
cli.add_command(dashboard)
cli.add_command(web)
cli.add_command(ci)


def main() -> None:
    cli.main(prog_name="ecolint")
