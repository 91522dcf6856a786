"""``ecolint rules``: the catalogue (id, name, fix, opt-in, evidence) by theme, as a table,
JSON or Markdown."""

from __future__ import annotations

import json

import click

from ecolint.cli.options import format_option
from ecolint.lint.catalogue import heading, markdown_catalogue
from ecolint.lint.registry import all_rules
from ecolint.lint.themes import theme_for, theme_order


@click.command()
@format_option(["text", "json", "markdown"], show_default=False)
def rules(output_format: str) -> int:
    """List every installed rule, grouped by theme, with its evidence line."""
    infos = sorted((r.info() for r in all_rules()), key=lambda i: (theme_order(i.code), i.code))
    if output_format == "json":
        rows = [
            {
                "code": i.code,
                "name": i.name,
                "theme": theme_for(i.code).key,
                "fix": i.fix,
                "opt_in": i.opt_in,
                "impact": i.impact,
                "summary": i.summary,
                "evidence": i.evidence,
            }
            for i in infos
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif output_format == "markdown":
        click.echo(markdown_catalogue(all_rules()), nl=False)
    else:
        width = max((len(i.name) for i in infos), default=4)
        id_width = max((len(i.code) for i in infos), default=2)
        click.echo(f"{'ID':<{id_width}}  {'NAME':<{width}}  {'FIX':<9}  OPT-IN")
        theme = None
        for i in infos:
            if heading(i.code) != theme:
                theme = heading(i.code)
                click.echo(f"\n{theme}")
            opt_in = "yes" if i.opt_in else ""
            click.echo(f"{i.code:<{id_width}}  {i.name:<{width}}  {i.fix:<9}  {opt_in}".rstrip())
            if i.evidence:
                click.echo(f"{'':<{id_width}}  evidence: {i.evidence}")
    return 0
