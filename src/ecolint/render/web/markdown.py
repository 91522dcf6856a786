"""Markdown for a pull-request comment or a job summary.

Page titles and URLs come from the audited site: every piece of page text goes through
``_cell`` / ``_text``, which escape Markdown and HTML, so the comment never carries raw
HTML from page content (the CI layer may escape further for its own needs).
"""

from __future__ import annotations

import html
import re

from ecolint.render.web.common import (
    kilobytes,
    metric,
    number,
    practice_counts,
    status_word,
)
from ecolint.web.model import PageResult, WebReport
from ecolint.wording import plural

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def _text(value: str) -> str:
    """Escape HTML then Markdown, and flatten new lines."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = " ".join(value.split())
    return _MARKDOWN_SPECIALS.sub(r"\\\1", value)


def _code(value: str) -> str:
    """A URL in a code span: no Markdown inside; backticks and pipes cannot break out."""
    value = " ".join(value.split())
    for character, code in (("`", "%60"), ("|", "%7C"), ("<", "%3C"), (">", "%3E")):
        value = value.replace(character, code)
    return f"`{value}`"


def render_markdown(report: WebReport) -> str:
    """The whole report as GitHub-flavoured Markdown (tables, details blocks)."""
    lines = [
        "### ecolint web",
        "",
        "| page | EcoIndex | weight | requests | DOM | GHG (g) | water (cl) | status |",
        "| --- | :---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for page in report.pages:
        eco = page.ecoindex
        grade = f"**{eco.grade}** {eco.score}" if eco else "–"
        lines.append(
            f"| {_code(page.url)} | {grade} | {kilobytes(page.bytes)} | {number(page.requests)}"
            f" | {number(page.dom)} | {f'{eco.ghg:.2f}' if eco else '–'}"
            f" | {f'{eco.water:.2f}' if eco else '–'} | {status_word(page)} |"
        )
    lighthouse_pages = [page for page in report.pages if page.lighthouse]
    first = lighthouse_pages[0].lighthouse if lighthouse_pages else None
    if first is not None:
        names = list(first.categories)
        lines += [
            "",
            "| page | " + " | ".join(names) + " | FCP | LCP | TBT | CLS |",
            "| --- |" + " ---: |" * (len(names) + 4),
        ]
        for page in lighthouse_pages:
            lh = page.lighthouse
            assert lh is not None
            scores = " | ".join(number(lh.categories.get(name)) for name in names)
            timings = " | ".join(
                metric(key, lh.metrics.get(key)).split(" ", 1)[1]
                for key in (
                    "first-contentful-paint",
                    "largest-contentful-paint",
                    "total-blocking-time",
                    "cumulative-layout-shift",
                )
            )
            lines.append(f"| {_code(page.url)} | {scores} | {timings} |")
    problems = [line for page in report.pages for line in _problems(page)]
    if problems:
        lines += ["", *problems]
    for page in report.pages:
        lines += _practices(page)
    lines += ["", f"<sub>{_text(report.tool)}, Chromium {_text(report.browser or '–')}"]
    if report.lighthouse:
        lines[-1] += f", Lighthouse {_text(report.lighthouse)}"
    runs = report.settings.get("runs")
    lines[-1] += f", {plural(runs, 'run') if isinstance(runs, int) else runs} per page.</sub>"
    return "\n".join(lines) + "\n"


def _problems(page: PageResult) -> list[str]:
    lines = [f"- :x: {_code(page.url)} ({e.stage}): {_text(e.message)}" for e in page.errors]
    for budget in page.budgets:
        if not budget.passed:
            icon = ":x:" if budget.level == "error" else ":warning:"
            lines.append(f"- {icon} budget {budget.level}: {_text(budget.message)}")
    return lines


def _practices(page: PageResult) -> list[str]:
    failing = [p for p in page.practices if p.level != "A"]
    if not page.practices:
        return []
    lines = [
        "",
        f"<details><summary>Best practices for {html.escape(page.url)}: "
        f"{practice_counts(page)}</summary>",
        "",
        "| level | practice | detail |",
        "| :---: | --- | --- |",
    ]
    for practice in failing:
        offenders = ", ".join(_code(o) for o in practice.offenders[:5])
        more = f" and {len(practice.offenders) - 5} more" if len(practice.offenders) > 5 else ""
        detail = _text(practice.detail) + (f": {offenders}{more}" if offenders else "")
        lines.append(f"| {practice.level} | {_text(practice.title)} | {detail} |")
    lines += ["", "</details>"]
    return lines
