"""One EcoIndex measurement of one page, in a fresh browser context.

The reference is ecoindex-scraper 3.17.0 / ecoindex-cli 2.30.1, the last releases that
measure with Chromium (3.18 / 2.31 and later drive Camoufox, a Firefox with uBlock Origin:
ad and tracker requests are blocked there and counted here). The protocol: fresh context →
optional journey → load → wait → ``ArrowDown`` and a smooth scroll to the bottom → wait →
count, then the state of every request is taken as it is (``traffic.py``): nothing more is
awaited, so a request still loading counts with the reference's placeholder size.

The context is the reference's: it passes its window size (1920×1080) as Playwright's
``screen``, so pages render in Playwright's default 1280×720 viewport; the default here is
that viewport with that screen (``settings.viewport`` says 1280x720, where the reference's
result says 1920/1080). A configured viewport sets the viewport and the screen, which the
reference cannot do.

DOM = what the reference counts: every element that Playwright's ``locator("*")`` finds (the
main document and its open shadow roots, recursively; not iframe documents, not closed shadow
roots) minus the descendants of each ``<svg>`` of the main document (its XPath
``//*[local-name()='svg']//*`` does not enter shadow roots, so svg children inside web
components count). The context is closed before returning, so nothing else (Lighthouse)
can add to its traffic.

The smooth scroll is awaited to its end (Chromium's scroll methods return a promise that
Playwright's ``evaluate`` waits for; about 1 s on a tall page), so content lazy-loaded
below the fold has started loading even with ``wait_after = 0``.

Where ecolint still differs from the reference, on purpose (each has a test): it audits any
page answered below HTTP 400 (the reference refuses any status but 200); it refuses a page
not declared HTML or XHTML (the reference refuses a declared type other than text/html, so
XHTML too, and measures a page without Content-Type); a TLS error is an error (the reference
ignores certificate errors).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from ecolint.web.journey import Journey
from ecolint.web.traffic import Exchange, TrafficRecorder

HTML_TYPES = ("text/html", "application/xhtml+xml")
REFERENCE = "ecoindex-scraper 3.17.0 / ecoindex-cli 2.30.1"
REFERENCE_VIEWPORT = (1280, 720)  # Playwright's default, which the reference renders at
REFERENCE_SCREEN = (1920, 1080)  # the reference's window size, given as the screen

# One evaluation for the DOM count and everything the best-practice checks read.
_PAGE_FACTS = """() => {
  const inSvg = (el) => el.closest('svg') !== null && el.tagName.toLowerCase() !== 'svg';
  const images = [...document.images].filter((img) => !/\\.svg(\\?|#|$)/i.test(img.currentSrc))
    .map((img) => ({src: img.currentSrc || img.src, naturalWidth: img.naturalWidth,
                    naturalHeight: img.naturalHeight, width: img.clientWidth,
                    height: img.clientHeight}));
  let printRules = 0;
  for (const sheet of document.styleSheets) {
    try {
      if (sheet.media && [...sheet.media].some((m) => m.includes('print'))) printRules++;
      for (const rule of sheet.cssRules || []) {
        if (rule.media && [...rule.media].some((m) => m.includes('print'))) printRules++;
      }
    } catch (e) { /* a cross-origin stylesheet: its rules cannot be read */ }
  }
  const countElements = (root) => {
    let count = root.querySelectorAll('*').length;
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) count += countElements(el.shadowRoot);
    }
    return count;
  };
  return {
    dom: countElements(document) - document.querySelectorAll('svg *').length,
    title: document.title,
    images,
    printStylesheets: printRules,
    plugins: document.querySelectorAll('object, embed').length,
    inlineStyles: [...document.querySelectorAll('style')].filter((s) => !inSvg(s)).length,
    inlineScripts: document.querySelectorAll('script:not([src])').length,
  };
}"""


class MeasureError(Exception):
    """The page could not be measured; ``stage`` says where (navigation, response, …)."""

    def __init__(self, stage: str, message: str) -> None:
        super().__init__(message)
        self.stage = stage
        self.message = message


@dataclass(frozen=True)
class MeasureOptions:
    viewport: tuple[int, int] = REFERENCE_VIEWPORT
    wait_before: float = 3.0
    wait_after: float = 3.0
    timeout: float = 30.0


@dataclass(frozen=True)
class PageMeasurement:
    url: str
    final_url: str
    title: str
    status: int
    dom: int
    exchanges: tuple[Exchange, ...]
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return len(self.exchanges)

    @property
    def bytes(self) -> int:
        return sum(exchange.transfer_bytes for exchange in self.exchanges)


async def measure_page(
    browser: Any, url: str, options: MeasureOptions, journey: Journey | None = None
) -> PageMeasurement:
    """Measure ``url`` once; raises ``MeasureError`` with the cause when it cannot."""
    context = await browser.new_context(**context_size(options.viewport))
    try:
        page = await context.new_page()
        page.set_default_timeout(options.timeout * 1000)
        if journey is not None:
            try:
                await journey(page)
            except Exception as error:  # the user's code: report it, audit the other URLs
                raise MeasureError(
                    "journey", f"the journey raised {type(error).__name__}: {error}"
                ) from error
        recorder = TrafficRecorder()
        await recorder.start(context, page, disable_cache=journey is not None)
        response = await _navigate(page, url, options.timeout)
        _check_response(response)
        await asyncio.sleep(options.wait_before)
        await page.keyboard.press("ArrowDown")
        await page.evaluate(
            "window.scrollTo({top: document.body ? document.body.scrollHeight : 0,"
            " behavior: 'smooth'})"
        )
        await asyncio.sleep(options.wait_after)
        facts = await page.evaluate(_PAGE_FACTS)
        exchanges = await recorder.exchanges()
        return PageMeasurement(
            url=url,
            final_url=page.url,
            title=str(facts.pop("title", "")),
            status=response.status,
            dom=int(facts.pop("dom")),
            exchanges=tuple(exchanges),
            facts=facts,
        )
    finally:
        await context.close()


def context_size(viewport: tuple[int, int]) -> dict[str, dict[str, int]]:
    """Playwright's ``viewport`` and ``screen`` for ``viewport`` (see the module docstring)."""
    screen = REFERENCE_SCREEN if viewport == REFERENCE_VIEWPORT else viewport
    return {
        "viewport": {"width": viewport[0], "height": viewport[1]},
        "screen": {"width": screen[0], "height": screen[1]},
    }


async def _navigate(page: Any, url: str, timeout: float) -> Any:
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    try:
        response = await page.goto(url, wait_until="load", timeout=timeout * 1000)
    except PlaywrightTimeout as error:
        raise MeasureError(
            "navigation", f"the page did not finish loading within {timeout:g} s (timeout)"
        ) from error
    except PlaywrightError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        raise MeasureError("navigation", f"cannot load the page: {reason}") from error
    if response is None:
        raise MeasureError("navigation", "the browser got no response for the page")
    return response


def _check_response(response: Any) -> None:
    if response.status >= 400:
        reason = f" {response.status_text}" if response.status_text else ""
        raise MeasureError("response", f"HTTP {response.status}{reason}: not audited")
    content_type = response.headers.get("content-type", "")
    if not any(kind in content_type.lower() for kind in HTML_TYPES):
        raise MeasureError(
            "response",
            f"not an HTML page (Content-Type: {content_type or 'none'}): not audited",
        )
