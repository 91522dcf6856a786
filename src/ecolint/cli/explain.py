"""``ecolint explain ID|NAME``: a rule's documentation, after its theme and evidence line."""

from __future__ import annotations

import click

from ecolint.lint.diagnostics import DIAGNOSTICS
from ecolint.lint.registry import SelectionError, find_rule
from ecolint.lint.themes import theme_of


@click.command()
@click.argument("rule")
def explain(rule: str) -> int:
    """Show the documentation of RULE (an id such as ECO102, or a name)."""
    found = find_rule(rule)
    info = (
        found.info()
        if found is not None
        else next((d for d in DIAGNOSTICS if rule.upper() == d.code or rule == d.name), None)
    )
    if info is None:
        raise SelectionError(f"unknown rule {rule!r}; `ecolint rules` lists them")
    flags = [f"fix: {info.fix}"] + (["opt-in"] if info.opt_in else [])
    click.echo(f"# {info.code} {info.name} ({', '.join(flags)})\n")
    click.echo(f"Theme: {theme_of(info.code)}")
    if info.evidence:
        click.echo(f"Evidence: {info.evidence}")
    click.echo(f"\n{info.doc}")
    return 0
