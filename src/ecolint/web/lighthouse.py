"""Lighthouse 12.2.3 as a subprocess attached to ecolint's own browser (``--port``).

Lighthouse opens its own tab and reloads the page, so it runs after the EcoIndex context
is closed (its traffic must not be counted). DOM and request counts come from the
EcoIndex measurement, not from Lighthouse; from Lighthouse come the category scores
(0–100 here, 0–1 in its own JSON) and FCP, LCP, TBT, CLS, Speed Index and total byte weight.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from pathlib import Path

from ecolint.web.report import LighthouseResult

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


async def run_lighthouse(
    executable: Path, url: str, port: int, preset: str, timeout: float
) -> LighthouseResult:
    """Run Lighthouse on ``url`` in the browser listening on ``port``."""
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
    return parse_lighthouse(stdout)


def parse_lighthouse(stdout: bytes) -> LighthouseResult:
    """Categories and metrics from Lighthouse's JSON report (LHR)."""
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
