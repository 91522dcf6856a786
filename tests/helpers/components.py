"""Real components the tests drive (Chromium, PostgreSQL, valgrind, Node tools)."""

from __future__ import annotations

import os

import pytest


def require_component(available: bool, what: str, how: str) -> None:
    """Skip locally when a real component is missing; in CI (``CI=true``) fail instead.

    ``.ci/run`` installs every component, so in CI a missing one is a setup bug that must
    not hide as a skip. ``how`` names the command that installs it.
    """
    if available:
        return
    message = f"{what} is not available: {how}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI must install it)", pytrace=False)
    pytest.skip(message)
