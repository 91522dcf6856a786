"""User journeys: a Python file whose ``async def journey(page)`` runs before a measurement.

It runs in the same browser context as the measured page, so cookies and storage it sets
(a login, an accepted cookie banner) apply to the page; its own traffic is not counted,
because recording starts only when it returns. Example::

    async def journey(page):
        await page.goto("http://127.0.0.1:8000/login")
        await page.fill("#user", "demo")
        await page.click("text=Sign in")
"""

from __future__ import annotations

import importlib.util
import inspect
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

Journey = Callable[[Any], Awaitable[None]]


class JourneyError(ValueError):
    """The journey file cannot be used (missing, broken, or without ``async def journey``)."""


def load_journey(path: Path) -> Journey:
    """Import ``path`` and return its ``journey`` coroutine function."""
    if not path.is_file():
        raise JourneyError(f"journey file {path} not found")
    spec = importlib.util.spec_from_file_location(f"ecolint_journey_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise JourneyError(f"journey file {path} cannot be imported (is it a .py file?)")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # the user's code: any failure is reported, never a crash
        raise JourneyError(
            f"journey file {path} failed to import: {type(error).__name__}: {error}"
        ) from error
    journey = getattr(module, "journey", None)
    if journey is None or not inspect.iscoroutinefunction(journey):
        raise JourneyError(f"journey file {path} must define `async def journey(page)`")
    return journey
