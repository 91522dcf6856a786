"""The callgrind child's side of precise mode: instrumentation on around each test.

Registered instead of the energy plugin when ``ECOLINT_PRECISE_CHILD`` is set (by
``ecolint.energy.precise.count_with_callgrind``). It counts the same span as the recorder,
setup → teardown, and dumps one callgrind profile per test, labelled with its node id. If
the requests do not work here, it says why in the status file and counts nothing.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import pytest

from ecolint.energy.precise import ClientRequests


class Probe:
    def __init__(self, status: Path) -> None:
        self.requests: ClientRequests | None = None
        try:
            requests = ClientRequests.create()
            if requests.on_valgrind():
                self.requests = requests
            else:
                status.write_text("callgrind client requests had no effect", encoding="utf-8")
        except (OSError, ValueError) as error:
            status.write_text(f"callgrind client requests failed: {error}", encoding="utf-8")

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        if self.requests is not None:
            self.requests.start()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Generator[None, None, None]:
        try:
            return (yield)
        finally:
            if self.requests is not None:
                self.requests.dump(item.nodeid)
