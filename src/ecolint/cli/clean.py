"""``ecolint clean``: remove the result cache."""

from __future__ import annotations

from pathlib import Path

import click

from ecolint.cli.options import cache_dir_option, config_option
from ecolint.config import load_settings
from ecolint.lint.cache import clean as remove_cache
from ecolint.lint.cache import default_cache_dir


@click.command()
@config_option
@cache_dir_option
def clean(config_path: Path | None, cache_dir: Path | None) -> None:
    """Remove the cache of lint results (.ecolint_cache)."""
    directory = cache_dir or default_cache_dir(load_settings(config_path).root)
    if remove_cache(directory):
        click.echo(f"Removed {directory}")
    else:
        click.echo(f"No cache at {directory}")
