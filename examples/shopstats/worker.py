"""Background jobs: report builds on a thread, and async refresh/retry loops."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)


class ReportJob:
    """Builds a report on a background thread so the web handler can return early."""

    def __init__(self, build: Callable[[], Any]) -> None:
        self.build = build
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> ReportJob:
        self._thread = threading.Thread(target=self._run, name="report-job", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self.result = self.build()
        except BaseException as exc:
            self.error = exc
        finally:
            self.done = True

    def wait(self) -> Any:
        while not self.done:
            pass
        if self.error is not None:
            raise self.error
        return self.result


class EventJob(ReportJob):
    """Same job, but the waiter sleeps on an Event instead of spinning."""

    def __init__(self, build: Callable[[], Any]) -> None:
        super().__init__(build)
        self._finished = threading.Event()

    def _run(self) -> None:
        super()._run()
        self._finished.set()

    def wait(self, timeout: float | None = None) -> Any:
        self._finished.wait(timeout)
        if self.error is not None:
            raise self.error
        return self.result


async def with_retries(call: Callable[[], Awaitable[Any]], attempts: int = 4, delay: float = 0.5) -> Any:
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except (ConnectionError, TimeoutError) as exc:
            if attempt == attempts:
                raise
            log.warning("attempt %d failed (%s), retrying in %.1fs", attempt, exc, delay)
            time.sleep(delay)
            delay *= 2


async def refresh_periodically(refresh: Callable[[], Awaitable[None]], stop: asyncio.Event, interval: float = 60.0) -> None:
    while not stop.is_set():
        await with_retries(refresh)
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval)
        except TimeoutError:
            pass
