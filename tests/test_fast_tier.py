"""`make test-fast` stays fast: a test that drives a real component is marked `slow`.

`slow` is declared in pyproject.toml and deselected by `make test-fast` (`-m "not slow"`).
This test checks the other tests selected in the same run (all of them under `make test`,
the fast ones under `make test-fast`): none that starts Chromium, PostgreSQL, valgrind, a
real PR or an ecolint subprocess may go unmarked, directly or through one of its fixtures.
"""

from __future__ import annotations

import pytest

# Names whose use in a test, or in a fixture it requests, costs seconds.
SLOW_FIXTURES = {
    "chromium": "real Chromium",
    "postgres_server": "a PostgreSQL server",
    "pr_repo": "a real PR: git repositories and `ecolint ci`",
    "run_ecolint": "an ecolint subprocess",
    "valgrind": "valgrind",
}
SLOW_CALLS = {"need_chromium": "real Chromium"}
SLOW_PARAMS = {"postgresql": "a PostgreSQL server"}


def _code_names(function: object) -> set[str]:
    code = getattr(function, "__code__", None)
    return set(code.co_names) if code is not None else set()


def why_slow(item: pytest.Item) -> str | None:
    """What makes ``item`` slow, or None when nothing on the lists above is used."""
    fixtures = getattr(item, "fixturenames", ())
    for name in fixtures:
        if name in SLOW_FIXTURES:
            return f"fixture {name} ({SLOW_FIXTURES[name]})"
    functions = [getattr(item, "function", None)]
    info = getattr(item, "_fixtureinfo", None)
    if info is not None:
        functions += [d.func for defs in info.name2fixturedefs.values() for d in defs]
    for function in functions:
        for name in _code_names(function) & SLOW_CALLS.keys():
            return f"calls {name}() ({SLOW_CALLS[name]})"
    callspec = getattr(item, "callspec", None)
    for value in callspec.params.values() if callspec else ():
        if isinstance(value, str) and value in SLOW_PARAMS:
            return f"parameter {value} ({SLOW_PARAMS[value]})"
    return None


def test_every_test_driving_a_real_component_is_marked_slow(request: pytest.FixtureRequest):
    unmarked = [
        f"{item.nodeid}: {reason}"
        for item in request.session.items
        if item.get_closest_marker("slow") is None and (reason := why_slow(item))
    ]
    assert not unmarked, "mark these @pytest.mark.slow:\n" + "\n".join(unmarked)
