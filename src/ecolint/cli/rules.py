"""``ecolint rules``: the catalogue (id, name, fix, opt-in), as a table, JSON or Markdown."""

from __future__ import annotations

import json

import click

from ecolint.lint.catalogue import markdown_catalogue
from ecolint.lint.registry import all_rules


@click.command()
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json", "markdown"]), default="text"
)
def rules(output_format: str) -> int:
    """List every installed rule."""
    infos = [rule.info() for rule in all_rules()]
    if output_format == "json":
        rows = [
            {"code": i.code, "name": i.name, "fix": i.fix, "opt_in": i.opt_in, "summary": i.summary}
            for i in infos
        ]
        click.echo(json.dumps(rows, indent=2))
    elif output_format == "markdown":
        click.echo(markdown_catalogue(all_rules()), nl=False)
    else:
        width = max((len(i.name) for i in infos), default=4)
        id_width = max((len(i.code) for i in infos), default=2)
        click.echo(f"{'ID':<{id_width}}  {'NAME':<{width}}  {'FIX':<9}  OPT-IN")
        for i in infos:
            opt_in = "yes" if i.opt_in else ""
            click.echo(f"{i.code:<{id_width}}  {i.name:<{width}}  {i.fix:<9}  {opt_in}".rstrip())
    return 0
