"""``ecolint web``: EcoIndex (and optionally Lighthouse) audit of web pages.

Exit codes: 0 every page audited and within its error budgets; 1 an error-level budget
failed; 2 a page could not be audited (unreachable, HTTP error, not HTML, timeout, TLS
error, journey error, browser or Lighthouse missing), or bad usage/configuration. Every
other URL is still audited and reported before exiting.
"""

from __future__ import annotations

from pathlib import Path

import click

from ecolint.cli.options import (
    config_option,
    format_option,
    output_file_option,
    output_path_option,
)
from ecolint.config import load_settings

EXIT_BUDGET = 1
EXIT_ERROR = 2


@click.command()
@click.argument("urls", nargs=-1, metavar="URL...")
@click.option("--runs", type=click.IntRange(1, 50), help="Runs per page; figures are medians.")
@click.option(
    "--lighthouse/--no-lighthouse",
    "run_lighthouse",
    default=None,
    help="Also run Lighthouse 12.2.3 on each page (about 15 s a page).",
)
@click.option("--wait-before", type=click.FloatRange(0, 600), help="Seconds before the scroll.")
@click.option("--wait-after", type=click.FloatRange(0, 600), help="Seconds after the scroll.")
@click.option(
    "--journey",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Python file with `async def journey(page)`, run before each measurement "
    "(and again before Lighthouse, in the tab it audits).",
)
@click.option("--browser", metavar="PATH", help="Chrome/Chromium executable.")
@click.option(
    "--timeout", type=click.FloatRange(0, 600, min_open=True), help="Page load timeout (s)."
)
@format_option(["text", "json", "markdown"])
@output_file_option
@output_path_option(
    "--html", "html_path", help_text="Also write a self-contained HTML report to this file."
)
@click.option("--verbose", "-v", is_flag=True, help="Text format: passing checks and budgets too.")
@config_option
def web(
    urls: tuple[str, ...],
    runs: int | None,
    run_lighthouse: bool | None,
    wait_before: float | None,
    wait_after: float | None,
    journey: Path | None,
    browser: str | None,
    timeout: float | None,
    output_format: str,
    output_file: Path | None,
    html_path: Path | None,
    verbose: bool,
    config_path: Path | None,
) -> None:
    """Audit web pages: EcoIndex grade, weight, requests, DOM, best practices, Lighthouse.

    URLs come from the arguments, else from [tool.ecolint.web] urls.
    """
    from dataclasses import replace

    from ecolint.render.web import render_html, render_json, render_markdown, render_text
    from ecolint.web.audit import AuditOptions, run_web_audit

    settings = load_settings(config_path, start=Path.cwd()).web
    targets = urls or settings.urls
    if not targets:
        raise click.UsageError("no URL to audit: pass URLs or set [tool.ecolint.web] urls")
    bad = [url for url in targets if not url.startswith(("http://", "https://"))]
    if bad:
        hint = "" if "://" in bad[0] else f" (did you mean http://{bad[0]} ?)"
        raise click.UsageError(f"not an http(s) URL: {', '.join(bad)}{hint}")
    options = AuditOptions.from_settings(
        settings,
        runs=runs,
        run_lighthouse=run_lighthouse,
        browser=browser,
        journey=journey.resolve() if journey else None,
    )
    if options.journey is not None and not options.journey.is_file():
        raise click.UsageError(
            f"journey file {options.journey} not found ([tool.ecolint.web] journey)"
        )
    measure = options.measure
    measure = replace(
        measure,
        wait_before=measure.wait_before if wait_before is None else wait_before,
        wait_after=measure.wait_after if wait_after is None else wait_after,
        timeout=measure.timeout if timeout is None else timeout,
    )
    report = run_web_audit(targets, replace(options, measure=measure))
    if output_format == "json":
        text = render_json(report)
    elif output_format == "markdown":
        text = render_markdown(report)
    else:
        text = render_text(report, verbose=verbose)
    if output_file is not None:
        output_file.write_text(click.unstyle(text), encoding="utf-8")
    else:
        click.echo(text, nl=False)
    if html_path is not None:
        html_path.write_text(render_html(report), encoding="utf-8")
    if report.has_errors:
        raise SystemExit(EXIT_ERROR)
    if report.has_failed_budgets:
        raise SystemExit(EXIT_BUDGET)
