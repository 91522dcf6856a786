"""Lighthouse 12.2.3 as a subprocess attached to ecolint's own browser (``--port``).

Lighthouse opens its own tab and reloads the page, so it runs after the EcoIndex context
is closed (its traffic must not be counted). DOM and request counts come from the
EcoIndex measurement, not from Lighthouse; from Lighthouse come the category scores
(0–100 here, 0–1 in its own JSON) and FCP, LCP, TBT, CLS, Speed Index and total byte weight.

Lighthouse's tab opens in the browser's default context, not in the EcoIndex context where
a journey ran, so a journey's cookies would not reach it. With a journey, ``JourneyTab`` runs
the journey again in that default context, as Lighthouse's own guide for authenticated pages
does with Puppeteer (log in in the same browser, then ``--port``); Lighthouse keeps cookies,
local storage and IndexedDB (it clears only caches and service workers). And whatever the
cause, when Lighthouse ends on another page than the EcoIndex measurement did, its figures
are refused with an error rather than reported under the wrong page.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

from ecolint.web.journey import Journey
from ecolint.web.model import LighthouseResult

LIGHTHOUSE_VERSION = "12.2.3"
INSTALL_HINT = f"npm install lighthouse@{LIGHTHOUSE_VERSION}"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
    "total-byte-weight",
)


class LighthouseError(RuntimeError):
    """Lighthouse is missing, failed, or returned no usable report."""


def find_lighthouse(configured: str | None, project_root: Path) -> Path:
    """The setting, then ``ECOLINT_LIGHTHOUSE``, then ``node_modules/.bin`` walking up
    from the project, then ``PATH``."""
    explicit = configured or os.environ.get("ECOLINT_LIGHTHOUSE")
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_absolute():
            path = project_root / path
        if path.is_file():
            return path
        raise LighthouseError(f"Lighthouse not found at {explicit}; install it: {INSTALL_HINT}")
    for folder in (project_root, *project_root.parents):
        candidate = folder / "node_modules" / ".bin" / "lighthouse"
        if candidate.is_file():
            return candidate
    found = shutil.which("lighthouse")
    if found:
        return Path(found)
    raise LighthouseError(
        f"Lighthouse is not installed (looked in node_modules/.bin above {project_root} and "
        f"on PATH); install it: {INSTALL_HINT}"
    )


class JourneyTab:
    """The browser's default context, where Lighthouse opens its tab, after the journey.

    Before each Lighthouse run it is reset (tabs closed, cookies and the storage of the
    origins the journey wrote cleared: as fresh as the EcoIndex context) and the journey
    runs in a new tab. That tab then stays open on ``about:blank`` while Lighthouse runs:
    Chromium forgets session cookies when the last tab of the default context closes.
    Playwright is disconnected before Lighthouse attaches, so nothing else drives the browser.
    """

    def __init__(self, playwright: Any, port: int, journey: Journey, timeout: float) -> None:
        self._playwright = playwright
        self._endpoint = f"http://127.0.0.1:{port}"
        self._journey = journey
        self._timeout = timeout
        self._origins: set[str] = set()

    async def prepare(self, url: str) -> None:
        """Reset the default context and run the journey in it, before Lighthouse audits
        ``url``; ``LighthouseError`` if the journey fails."""
        try:
            browser = await self._playwright.chromium.connect_over_cdp(self._endpoint)
        except Exception as error:  # Playwright's Error, with the browser's log
            raise LighthouseError(
                f"cannot attach to the browser to run the journey for Lighthouse: {error}"
            ) from error
        try:
            context = browser.contexts[0]
            await self._reset(browser, context)
            page = await context.new_page()
            page.set_default_timeout(self._timeout * 1000)
            try:
                await self._journey(page)
            except Exception as error:  # the user's code: report it, keep the EcoIndex
                raise LighthouseError(
                    f"the journey raised {type(error).__name__}: {error} when run again for "
                    "Lighthouse, which was not run"
                ) from error
            state = await context.storage_state()
            self._origins |= {origin["origin"] for origin in state["origins"]}
            self._origins |= {_origin(page.url), _origin(url)}
            await page.goto("about:blank")
        except LighthouseError:
            raise
        except Exception as error:  # the tab or the browser failed: one error, not a crash
            raise LighthouseError(
                f"the journey's tab for Lighthouse failed: {type(error).__name__}: {error}"
            ) from error
        finally:
            await browser.close()  # a connected browser: this disconnects, it does not quit

    async def _reset(self, browser: Any, context: Any) -> None:
        for page in context.pages:
            await page.close()
        await context.clear_cookies()
        session = await browser.new_browser_cdp_session()
        for origin in sorted(self._origins - {"null", ""}):
            await session.send(
                "Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"}
            )
        await session.detach()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else ""


async def run_lighthouse(
    executable: Path,
    url: str,
    port: int,
    preset: str,
    timeout: float,
    expected_url: str | None = None,
) -> LighthouseResult:
    """Run Lighthouse on ``url`` in the browser listening on ``port``.

    ``expected_url``: where the EcoIndex measurement ended; a report of another page raises.
    """
    command = [
        str(executable),
        url,
        f"--port={port}",
        "--hostname=127.0.0.1",
        "--output=json",
        "--output-path=stdout",
        "--quiet",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    try:
        process = await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
    except OSError as error:
        raise LighthouseError(
            f"cannot run {executable}: {error.strerror}; {INSTALL_HINT}"
        ) from error
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout)
    except TimeoutError as error:
        process.kill()
        await process.wait()
        raise LighthouseError(f"Lighthouse did not finish within {timeout:g} s") from error
    if process.returncode != 0:
        last = stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise LighthouseError(f"Lighthouse exited with {process.returncode}: {last[0]}")
    return parse_lighthouse(stdout, expected_url)


def parse_lighthouse(stdout: bytes, expected_url: str | None = None) -> LighthouseResult:
    """Categories and metrics from Lighthouse's JSON report (LHR).

    With ``expected_url``, a report whose final page is another one raises: Lighthouse did
    not audit the page the EcoIndex measured (a journey's login did not reach it, a
    redirect that differs between visits…).
    """
    try:
        lhr = json.loads(stdout)
    except json.JSONDecodeError as error:
        raise LighthouseError(f"Lighthouse printed no JSON report: {error}") from error
    runtime_error = lhr.get("runtimeError")
    if runtime_error:
        raise LighthouseError(
            f"Lighthouse could not audit the page: {runtime_error.get('code')}: "
            f"{runtime_error.get('message', '')}".strip()
        )
    final_url = str(lhr.get("finalDisplayedUrl") or lhr.get("finalUrl") or "")
    if expected_url is not None and urldefrag(final_url).url != urldefrag(expected_url).url:
        raise LighthouseError(
            f"Lighthouse audited {final_url or 'no page'} but the EcoIndex was measured on "
            f"{expected_url}: not the same page, so no Lighthouse figures are reported"
        )
    categories: dict[str, float | None] = {}
    for name in CATEGORIES:
        score = lhr.get("categories", {}).get(name, {}).get("score")
        categories[name] = None if score is None else round(score * 100)
    metrics: dict[str, float | None] = {}
    for name in METRICS:
        value = lhr.get("audits", {}).get(name, {}).get("numericValue")
        metrics[name] = None if value is None else round(float(value), 4)
    return LighthouseResult(
        version=str(lhr.get("lighthouseVersion", "")),
        form_factor=str(lhr.get("configSettings", {}).get("formFactor", "")),
        categories=categories,
        metrics=metrics,
    )
