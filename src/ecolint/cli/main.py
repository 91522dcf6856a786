"""The ``ecolint`` command group and its error handling (exit codes live here only).

Exit codes: 0 clean, 1 findings (or a budget exceeded), 2 usage, configuration or
internal error.
"""

from __future__ import annotations

import sys
import traceback

import click

from ecolint.cli.check import check
from ecolint.cli.explain import explain
from ecolint.cli.rules import rules
from ecolint.config import ConfigError
from ecolint.lint.registry import SelectionError
from ecolint.version import VERSION

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(VERSION, prog_name="ecolint")
def cli() -> None:
    """Make software ecodesign measurable: lint wasteful code, measure energy and pages."""


cli.add_command(check)
cli.add_command(rules)
cli.add_command(explain)


def main(argv: list[str] | None = None) -> None:
    try:
        code = cli.main(args=argv, prog_name="ecolint", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        code = EXIT_ERROR
    except click.ClickException as error:
        error.show()
        code = EXIT_ERROR
    except (ConfigError, SelectionError) as error:
        click.echo(f"error: {error}", err=True)
        code = EXIT_ERROR
    except Exception:
        click.echo(f"internal error:\n{traceback.format_exc()}", err=True)
        code = EXIT_ERROR
    sys.exit(code if isinstance(code, int) else EXIT_CLEAN)
