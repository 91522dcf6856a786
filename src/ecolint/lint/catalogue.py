"""``rules/README.md``: the catalogue, generated from the rule classes, grouped by theme."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from typing import TYPE_CHECKING

from ecolint.lint.themes import theme_for, theme_order
from ecolint.results import RuleInfo

if TYPE_CHECKING:
    from ecolint.lint.rule import Rule

HEADER = """# ecolint rules

Generated from the rule classes by `ecolint rules --format markdown > rules/README.md`;
a test fails when this file is stale. `ecolint explain <ID>` shows a rule's full
documentation (what it does, why it wastes energy, example, fix safety, evidence).

The evidence column is one line of the rule's `## Evidence` section: the measured ratio
of the flagged form to the recommended one (above 1, the flagged form costs more) at
growing sizes, from the rule's benchmark in `bench/rules/`; the full section names the
machine and the setup. How the line is chosen: `src/ecolint/lint/evidence.py`. The impact
column grades that evidence (high: the saving grows with the input size; medium: a constant
factor of about 2× or more; low: smaller or context-dependent) and weighs the rule's
findings in the repository score (`ecolint score`).
"""
TABLE_HEAD = """| Id | Name | Fix | Default | Impact | What it flags | Evidence |
|---|---|---|---|---|---|---|
"""


def markdown_catalogue(rules: Iterable[type[Rule]]) -> str:
    infos = sorted((rule.info() for rule in rules), key=lambda i: (theme_order(i.code), i.code))
    sections = [HEADER]
    for _, group in groupby(infos, key=lambda i: theme_order(i.code)):
        members = list(group)
        sections.append(f"\n## {heading(members[0].code)}\n\n{TABLE_HEAD}")
        sections.append("".join(_row(info) for info in members))
    return "".join(sections)


def heading(code: str) -> str:
    """``Loops (ECO1xx)``: a theme's title, capitalised, with its id range."""
    theme = theme_for(code)
    label = theme.label[:1].upper() + theme.label[1:]
    return f"{label} (ECO{theme.digit}xx)" if code.startswith("ECO") else label


def _row(info: RuleInfo) -> str:
    default = "opt-in" if info.opt_in else "on"
    summary = _cell(info.summary)
    evidence = _cell(info.evidence) or "—"
    return (
        f"| {info.code} | `{info.name}` | {info.fix} | {default} | {info.impact} | {summary} "
        f"| {evidence} |\n"
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
