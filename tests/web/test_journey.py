"""Journeys: run before each measurement in the same context; their traffic is not counted."""

from __future__ import annotations

from pathlib import Path

import pytest
from web_sites import CSS, FixtureServer, Resource, fast_options, need_chromium

from ecolint.web.audit import run_web_audit
from ecolint.web.journey import JourneyError, load_journey

LOGIN = b"""<!doctype html><html><head><title>login</title>
<link rel="stylesheet" href="/style.css"></head><body>
<button id="go" onclick="document.cookie='session=ok; path=/'">Sign in</button></body></html>"""
# html head title link body + 20 <p> when the session cookie is there
ACCOUNT = b"""<!doctype html><html><head><title>account</title>
<link rel="stylesheet" href="/style.css"></head><body><script>
if (document.cookie.includes('session=ok')) {
  for (let i = 0; i < 20; i++) document.body.appendChild(document.createElement('p'));
}
</script></body></html>"""
ANONYMOUS_DOM = 6  # html head title link body script
SITE = {
    "/login": Resource(LOGIN, "text/html"),
    "/account": Resource(ACCOUNT, "text/html"),
    "/style.css": Resource(CSS.encode(), "text/css", headers={"Cache-Control": "max-age=3600"}),
}


def journey_file(folder: Path, base: str) -> Path:
    path = folder / "login_journey.py"
    path.write_text(
        "async def journey(page):\n"
        f"    await page.goto('{base}/login')\n"
        "    await page.click('#go')\n"
    )
    return path


@pytest.mark.slow
def test_a_journey_logs_in_before_the_page_is_measured(tmp_path: Path):
    need_chromium()
    with FixtureServer(SITE) as server:
        journey = journey_file(tmp_path, server.base)
        options = fast_options(journey=journey)
        logged_in = run_web_audit([server.url("/account")], options).pages[0]
        anonymous = run_web_audit([server.url("/account")], fast_options()).pages[0]
    assert logged_in.errors == ()
    assert anonymous.dom == ANONYMOUS_DOM
    assert logged_in.dom == ANONYMOUS_DOM + 20


@pytest.mark.slow
def test_the_journeys_own_traffic_is_not_counted_and_the_cache_it_warmed_is_not_used(
    tmp_path: Path,
):
    need_chromium()
    with FixtureServer(SITE) as server:
        options = fast_options(journey=journey_file(tmp_path, server.base))
        page = run_web_audit([server.url("/account")], options).pages[0]
        assert server.requests_for({"/login"}) == 1  # the journey did load the login page
        assert server.requests_for({"/style.css"}) == 2  # once for the journey, once measured
    assert page.requests == 2
    stylesheet_once = server.bytes_for({"/style.css"}) // 2  # two identical responses
    assert page.bytes == server.bytes_for({"/account"}) + stylesheet_once


def test_a_journey_file_that_does_not_exist_is_refused(tmp_path: Path):
    with pytest.raises(JourneyError, match="not found"):
        load_journey(tmp_path / "absent.py")


def test_a_journey_file_that_fails_to_import_names_the_error(tmp_path: Path):
    path = tmp_path / "broken.py"
    path.write_text("import no_such_module_for_ecolint\n")
    with pytest.raises(JourneyError, match="ModuleNotFoundError"):
        load_journey(path)
