"""``rules/README.md``: the catalogue table, generated from the rule classes."""

from __future__ import annotations

from collections.abc import Iterable

from ecolint.lint.rule import Rule

HEADER = """# ecolint rules

Generated from the rule classes by `ecolint rules --format markdown > rules/README.md`;
a test fails when this file is stale. `ecolint explain <ID>` shows a rule's full
documentation (what it does, why it wastes energy, example, fix safety, evidence).

| Id | Name | Fix | Default | What it flags |
|---|---|---|---|---|
"""


def markdown_catalogue(rules: Iterable[type[Rule]]) -> str:
    rows = []
    for rule in rules:
        info = rule.info()
        default = "opt-in" if info.opt_in else "on"
        summary = info.summary.replace("|", "\\|")
        rows.append(f"| {info.code} | `{info.name}` | {info.fix} | {default} | {summary} |")
    return HEADER + "\n".join(rows) + "\n"
