"""The audit of a list of URLs: one browser, N runs per page, Lighthouse, budgets.

A failure of one URL (unreachable, HTTP error, not HTML, timeout, TLS, a journey that
raises, Lighthouse missing or failing) becomes a ``PageError`` on that URL and the other
URLs are still audited; a missing browser is an error on every URL. The CLI turns any
error into exit 2.
"""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecolint.config.web import UrlBudgets, WebBudget, WebSettings
from ecolint.scoring.ecoindex import EcoIndex as EcoIndexResult
from ecolint.scoring.ecoindex import ecoindex, ghg, grade, water
from ecolint.version import VERSION
from ecolint.web.browser import BrowserUnavailable, find_browser, free_port, launch_browser
from ecolint.web.budgets import budgets_for, evaluate_budgets
from ecolint.web.journey import Journey, JourneyError, load_journey
from ecolint.web.lighthouse import (
    JourneyTab,
    LighthouseError,
    find_lighthouse,
    run_lighthouse,
)
from ecolint.web.measure import (
    REFERENCE,
    MeasureError,
    MeasureOptions,
    PageMeasurement,
    measure_page,
)
from ecolint.web.model import (
    LighthouseResult,
    PageError,
    PageResult,
    PageRun,
    WebReport,
)
from ecolint.web.practices import check_practices

METHOD = (
    f"EcoIndex (ecoindex.fr method, re-implemented; figures as {REFERENCE}, the last "
    "Chromium-based releases): fresh browser context per run, load, wait, ArrowDown + "
    "smooth scroll to the bottom, wait; DOM = elements of the main document and its open "
    "shadow roots minus the svg descendants of the main document (iframes not counted); "
    "requests = every request the page started, each redirect hop counted, Chrome's "
    "favicon fetch not counted; bytes = response headers + compressed bodies, and for a "
    "request that failed or was still loading at the end the length of its HAR response "
    "record, as the reference counts it (kB = 1000 B); score rounded before grade, GHG and "
    "water; figures are the median (lower middle) of the runs"
)


@dataclass(frozen=True)
class AuditOptions:
    """Everything one audit needs, resolved from the settings and the command line."""

    runs: int = 1
    measure: MeasureOptions = field(default_factory=MeasureOptions)
    browser: str | None = None
    run_lighthouse: bool = False
    lighthouse: str | None = None
    lighthouse_preset: str = "desktop"
    lighthouse_timeout: float = 180.0
    journey: Path | None = None
    aggregation: str = "median"
    budgets: tuple[WebBudget, ...] = ()
    url_budgets: tuple[UrlBudgets, ...] = ()
    project_root: Path = field(default_factory=Path.cwd)

    @classmethod
    def from_settings(cls, web: WebSettings, **overrides: Any) -> AuditOptions:
        root = web.root or Path.cwd()
        journey = Path(web.journey) if web.journey else None
        if journey is not None and not journey.is_absolute():
            journey = root / journey
        values: dict[str, Any] = {
            "runs": web.runs,
            "measure": MeasureOptions(web.viewport, web.wait_before, web.wait_after, web.timeout),
            "browser": web.browser,
            "run_lighthouse": web.run_lighthouse,
            "lighthouse": web.lighthouse,
            "lighthouse_preset": web.lighthouse_preset,
            "journey": journey,
            "aggregation": web.aggregation,
            "budgets": web.budgets,
            "url_budgets": web.url_budgets,
            "project_root": root,
        }
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)


def run_web_audit(urls: Sequence[str], options: AuditOptions) -> WebReport:
    """Audit ``urls`` (blocking); see ``audit``."""
    return asyncio.run(audit(urls, options))


async def audit(urls: Sequence[str], options: AuditOptions) -> WebReport:
    setup_errors: list[PageError] = []
    journey: Journey | None = None
    if options.journey is not None:
        try:
            journey = load_journey(options.journey)
        except JourneyError as error:
            setup_errors.append(PageError("journey", str(error)))
    lighthouse_path: Path | None = None
    lighthouse_error: PageError | None = None
    if options.run_lighthouse:
        try:
            lighthouse_path = find_lighthouse(options.lighthouse, options.project_root)
        except LighthouseError as error:
            lighthouse_error = PageError("lighthouse", str(error))
    browser_version = ""
    if setup_errors:  # nothing can be measured: no browser is started
        pages = [PageResult(url=url, errors=tuple(setup_errors)) for url in urls]
    else:
        try:
            browser_version, pages = await _audit_pages(
                urls, options, journey, lighthouse_path, lighthouse_error
            )
        except BrowserUnavailable as error:
            failure = PageError("browser", str(error))
            pages = [PageResult(url=url, errors=(failure,)) for url in urls]
    return WebReport(
        tool=f"ecolint {VERSION}",
        browser=browser_version,
        lighthouse=_lighthouse_version(pages),
        method=METHOD,
        settings={
            "runs": options.runs,
            "wait_before": options.measure.wait_before,
            "wait_after": options.measure.wait_after,
            "viewport": f"{options.measure.viewport[0]}x{options.measure.viewport[1]}",
            "aggregation": options.aggregation,
            "lighthouse_preset": options.lighthouse_preset if options.run_lighthouse else None,
        },
        pages=tuple(pages),
    )


async def _audit_pages(
    urls: Sequence[str],
    options: AuditOptions,
    journey: Journey | None,
    lighthouse_path: Path | None,
    lighthouse_error: PageError | None,
) -> tuple[str, list[PageResult]]:
    """Every URL in one browser: (the browser's version, the pages)."""
    executable = find_browser(options.browser)
    async_playwright = _playwright()
    async with async_playwright() as playwright:
        port = free_port() if lighthouse_path is not None else None
        browser = await launch_browser(playwright, executable, port)
        lighthouse = None
        if lighthouse_path is not None and port is not None:
            tab = None
            if journey is not None:
                tab = JourneyTab(playwright, port, journey, options.measure.timeout)
            lighthouse = _Lighthouse(lighthouse_path, port, options, tab)
        try:
            pages = [
                await _audit_page(browser, url, options, journey, lighthouse, lighthouse_error)
                for url in urls
            ]
        finally:
            await browser.close()
        return browser.version, pages


@dataclass
class _Lighthouse:
    """Lighthouse for one audit; after a failure it is not run again (one error is enough)."""

    executable: Path
    port: int
    options: AuditOptions
    journey_tab: JourneyTab | None
    failed: bool = False

    async def run(self, measurement: PageMeasurement) -> LighthouseResult:
        """Lighthouse on the page just measured, refused unless it ends on the same page."""
        if self.journey_tab is not None:
            await self.journey_tab.prepare(measurement.url)
        return await run_lighthouse(
            self.executable,
            measurement.url,
            self.port,
            self.options.lighthouse_preset,
            self.options.lighthouse_timeout,
            expected_url=measurement.final_url,
        )


async def _audit_page(
    browser: Any,
    url: str,
    options: AuditOptions,
    journey: Journey | None,
    lighthouse: _Lighthouse | None,
    lighthouse_error: PageError | None,
) -> PageResult:
    errors: list[PageError] = [lighthouse_error] if lighthouse_error else []
    measurements: list[PageMeasurement] = []
    runs: list[PageRun] = []
    for _ in range(options.runs):
        try:
            measurement = await measure_page(browser, url, options.measure, journey)
        except MeasureError as error:
            errors.append(PageError(error.stage, error.message))
            break
        except Exception as error:  # the browser crashed or closed: keep the other URLs
            errors.append(PageError("measure", f"{type(error).__name__}: {error}"))
            break
        scores = None
        if lighthouse is not None and not lighthouse.failed:
            try:
                scores = await lighthouse.run(measurement)
            except LighthouseError as error:
                errors.append(PageError("lighthouse", str(error)))
                lighthouse.failed = True  # one failure is enough to report; keep measuring
        index = ecoindex(measurement.dom, measurement.requests, measurement.bytes / 1000)
        measurements.append(measurement)
        runs.append(
            PageRun(
                measurement.dom,
                measurement.requests,
                measurement.bytes,
                index.score,
                index.grade,
                scores,
            )
        )
    if not runs:
        return PageResult(url=url, errors=tuple(errors))
    score = statistics.median_low(run.score for run in runs)
    representative = measurements[[run.score for run in runs].index(score)]
    budgets = budgets_for(url, options.budgets, options.url_budgets)
    return PageResult(
        url=url,
        final_url=representative.final_url,
        title=representative.title,
        status=representative.status,
        dom=statistics.median_low(run.dom for run in runs),
        requests=statistics.median_low(run.requests for run in runs),
        bytes=statistics.median_low(run.bytes for run in runs),
        ecoindex=EcoIndexResult(score, grade(score), ghg(score), water(score)),
        lighthouse=_median_lighthouse([run.lighthouse for run in runs if run.lighthouse]),
        practices=check_practices(representative.exchanges, representative.facts),
        runs=tuple(runs),
        errors=tuple(errors),
        budgets=evaluate_budgets(url, runs, budgets, options.aggregation),
    )


def _playwright() -> Any:
    try:
        from playwright.async_api import async_playwright
    except ImportError as error:
        raise BrowserUnavailable(
            f"Playwright is not installed ({error}): pip install 'ecolint[web]'"
        ) from error
    return async_playwright


def _median_lighthouse(results: list[LighthouseResult]) -> LighthouseResult | None:
    if not results:
        return None

    def median(values: list[float | None]) -> float | None:
        present = [value for value in values if value is not None]
        return statistics.median_low(present) if present else None

    first = results[0]
    return LighthouseResult(
        version=first.version,
        form_factor=first.form_factor,
        categories={k: median([r.categories.get(k) for r in results]) for k in first.categories},
        metrics={k: median([r.metrics.get(k) for r in results]) for k in first.metrics},
    )


def _lighthouse_version(pages: list[PageResult]) -> str | None:
    return next((page.lighthouse.version for page in pages if page.lighthouse), None)
