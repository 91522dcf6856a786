"""The terminal report: one table per URL, grade letters in colour, then budgets and errors.

Colours are ANSI codes from ``click.style``; ``click.echo`` drops them when the output is
not a terminal.
"""

from __future__ import annotations

import click

from ecolint.render.web.common import kilobytes, metric, number, practice_counts
from ecolint.web.model import PageResult, WebReport
from ecolint.wording import plural

GRADE_COLOURS = {
    "A": "green",
    "B": "bright_green",
    "C": "yellow",
    "D": "bright_yellow",
    "E": "magenta",
    "F": "red",
    "G": "bright_red",
}
LEVEL_COLOURS = {"A": "green", "B": "yellow", "C": "red"}


def grade_badge(grade: str) -> str:
    return click.style(f" {grade} ", fg="black", bg=GRADE_COLOURS.get(grade, "white"), bold=True)


def render_text(report: WebReport, *, verbose: bool = False) -> str:
    lines: list[str] = []
    for page in report.pages:
        lines += _page(page, verbose)
        lines.append("")
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def _page(page: PageResult, verbose: bool) -> list[str]:
    lines = [click.style(page.url, bold=True)]
    if page.final_url and page.final_url != page.url:
        lines.append(f"  → {page.final_url}")
    if page.title:
        lines.append(f"  title: {page.title}")
    rows: list[tuple[str, str]] = []
    if page.ecoindex is not None:
        eco = page.ecoindex
        rows += [
            ("EcoIndex", f"{grade_badge(eco.grade)} {eco.score}/100"),
            ("GHG", f"{eco.ghg:.2f} gCO2e per view"),
            ("Water", f"{eco.water:.2f} cl per view"),
            ("Weight", kilobytes(page.bytes)),
            ("Requests", number(page.requests)),
            ("DOM elements", number(page.dom)),
            ("Runs", f"{len(page.runs)} (scores {', '.join(str(r.score) for r in page.runs)})"),
        ]
    if page.lighthouse is not None:
        lh = page.lighthouse
        rows.append(("Lighthouse", "  ".join(f"{k} {number(v)}" for k, v in lh.categories.items())))
        rows.append(("", "  ".join(metric(k, v) for k, v in lh.metrics.items())))
    if page.practices:
        rows.append(("Best practices", practice_counts(page)))
    width = max((len(label) for label, _ in rows), default=0)
    lines += [f"  {label:<{width}}  {value}" for label, value in rows]
    for practice in page.practices:
        if practice.level == "A" and not verbose:
            continue
        level = click.style(practice.level, fg=LEVEL_COLOURS[practice.level], bold=True)
        lines.append(f"    {level} {practice.title}: {practice.detail}")
        shown = practice.offenders if verbose else practice.offenders[:3]
        lines += [f"        {offender}" for offender in shown]
        if len(practice.offenders) > len(shown):
            lines.append(f"        … and {len(practice.offenders) - len(shown)} more")
    for budget in page.budgets:
        if budget.passed and not verbose:
            continue
        tag = "ok" if budget.passed else budget.level
        colour = {"ok": "green", "warn": "yellow", "error": "red"}[tag]
        lines.append(f"  {click.style(f'budget {tag}', fg=colour, bold=True)}: {budget.message}")
    for error in page.errors:
        lines.append(
            f"  {click.style('error', fg='red', bold=True)} ({error.stage}): {error.message}"
        )
    return lines


def _summary(report: WebReport) -> str:
    pages = len(report.pages)
    errors = sum(bool(page.errors) for page in report.pages)
    failed = sum(len(page.failed_budgets) for page in report.pages)
    warned = sum(len(page.warned_budgets) for page in report.pages)
    tools = f"{report.tool}, Chromium {report.browser or '–'}"
    if report.lighthouse:
        tools += f", Lighthouse {report.lighthouse}"
    return (
        f"Audited {plural(pages, 'page')}: {errors} with errors, "
        f"{plural(failed, 'budget')} exceeded, {plural(warned, 'warning')}. ({tools})"
    )
