"""Bad input: each is a clear per-URL error with its cause, and the other URLs are audited.

One audit covers the URL-level failures (module fixture: one browser for all of them);
the journey, browser and Lighthouse failures need audits of their own.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from web_sites import PAGE_DOM, FixtureServer, Resource, fast_options, need_chromium, plain_site

from ecolint.web.audit import run_web_audit
from ecolint.web.browser import free_port
from ecolint.web.model import PageResult, WebReport
from helpers import require_component


def broken_site() -> dict[str, Resource]:
    site = plain_site()
    site["/missing-page"] = Resource(b"<h1>gone</h1>", "text/html", 404)
    site["/crash"] = Resource(b"<h1>oops</h1>", "text/html", 500)
    site["/data.json"] = Resource(b'{"a": 1}', "application/json")
    site["/slow"] = Resource(b"<p>late</p>", "text/html", delay_s=12)
    site["/untyped"] = Resource(b"<p>no type</p>", "")
    site["/page.xhtml"] = Resource(XHTML, "application/xhtml+xml")
    return site


XHTML = b"""<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body><p>x</p></body></html>"""


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory):
    require_component(shutil.which("openssl") is not None, "openssl", "apt-get install openssl")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    with FixtureServer(plain_site(), tls=(cert, key)) as server:
        yield server


@pytest.fixture(scope="module")
def report(tls_server: FixtureServer) -> tuple[WebReport, dict[str, str]]:
    need_chromium()
    with FixtureServer(broken_site()) as server:
        urls = {
            "good": server.url("/"),
            "unreachable": f"http://127.0.0.1:{free_port()}/",
            "404": server.url("/missing-page"),
            "500": server.url("/crash"),
            "json": server.url("/data.json"),
            "timeout": server.url("/slow"),
            "tls": tls_server.url("/"),
            "untyped": server.url("/untyped"),
            "xhtml": server.url("/page.xhtml"),
            "good again": server.url("/"),
        }
        audited = run_web_audit(list(urls.values()), fast_options(timeout=4.0))
    return audited, urls


def page(report: tuple[WebReport, dict[str, str]], name: str) -> PageResult:
    audited, urls = report
    index = list(urls).index(name)
    assert audited.pages[index].url == urls[name]
    return audited.pages[index]


def only_error(page: PageResult) -> tuple[str, str]:
    assert page.ecoindex is None and page.dom is None
    (error,) = page.errors
    return error.stage, error.message


@pytest.mark.slow
def test_an_unreachable_host_is_a_navigation_error_naming_the_cause(report):
    stage, message = only_error(page(report, "unreachable"))
    assert stage == "navigation" and "ERR_CONNECTION_REFUSED" in message


@pytest.mark.slow
def test_a_404_is_an_error_naming_the_status(report):
    assert only_error(page(report, "404")) == ("response", "HTTP 404 Not Found: not audited")


@pytest.mark.slow
def test_a_500_is_an_error_naming_the_status(report):
    stage, message = only_error(page(report, "500"))
    assert stage == "response" and message.startswith("HTTP 500")


@pytest.mark.slow
def test_a_non_html_response_is_an_error_naming_its_content_type(report):
    stage, message = only_error(page(report, "json"))
    assert stage == "response" and "application/json" in message and "not an HTML page" in message


@pytest.mark.slow
def test_a_page_that_never_finishes_loading_times_out(report):
    stage, message = only_error(page(report, "timeout"))
    assert stage == "navigation" and "within 4 s" in message and "timeout" in message


@pytest.mark.slow
def test_a_tls_error_is_an_error_naming_the_certificate_problem(report):
    """Deviation: ecoindex-scraper 3.17.0 ignores certificate errors and measures the page."""
    stage, message = only_error(page(report, "tls"))
    assert stage == "navigation" and "ERR_CERT" in message


@pytest.mark.slow
def test_a_page_without_content_type_is_refused_and_an_xhtml_page_is_audited(report):
    """Deviation: ecoindex-scraper 3.17.0 measures a page without Content-Type and refuses
    any declared type but text/html, XHTML included; ecolint audits what is declared HTML."""
    stage, message = only_error(page(report, "untyped"))
    assert stage == "response" and "Content-Type: none" in message
    xhtml = page(report, "xhtml")
    assert xhtml.errors == () and xhtml.dom == 5


@pytest.mark.slow
def test_the_good_urls_around_the_bad_ones_are_still_audited(report):
    for name in ("good", "good again"):
        audited = page(report, name)
        assert audited.errors == () and audited.dom == PAGE_DOM and audited.ecoindex is not None
    assert report[0].has_errors


@pytest.mark.slow
def test_a_journey_that_raises_is_an_error_on_each_url_and_nothing_is_measured(tmp_path: Path):
    need_chromium()
    journey = tmp_path / "journey.py"
    journey.write_text("async def journey(page):\n    raise RuntimeError('login form not found')\n")
    with FixtureServer(plain_site()) as server:
        audited = run_web_audit([server.url("/")], fast_options(journey=journey))
    assert only_error(audited.pages[0]) == (
        "journey",
        "the journey raised RuntimeError: login form not found",
    )


@pytest.mark.slow
def test_a_journey_file_without_a_journey_function_is_an_error_on_every_url(tmp_path: Path):
    journey = tmp_path / "journey.py"
    journey.write_text("def not_a_journey(page):\n    pass\n")
    audited = run_web_audit(
        ["http://127.0.0.1:1/a", "http://127.0.0.1:1/b"], fast_options(journey=journey)
    )
    for result in audited.pages:
        stage, message = only_error(result)
        assert stage == "journey" and "async def journey(page)" in message
    assert audited.browser == ""  # nothing to measure: no browser was started


def test_a_missing_browser_is_an_error_on_every_url_that_says_how_to_install_one(tmp_path: Path):
    missing = str(tmp_path / "no-such-chromium")
    audited = run_web_audit(
        ["http://127.0.0.1:1/a", "http://127.0.0.1:1/b"], fast_options(browser=missing)
    )
    assert len(audited.pages) == 2
    for result in audited.pages:
        stage, message = only_error(result)
        assert stage == "browser" and missing in message and "apt-get install chromium" in message


@pytest.mark.slow
def test_a_missing_lighthouse_is_an_error_that_says_how_to_install_it_and_keeps_the_ecoindex(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    need_chromium()
    monkeypatch.delenv("ECOLINT_LIGHTHOUSE", raising=False)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # no lighthouse on this PATH
    assert shutil.which("lighthouse") is None
    options = fast_options(run_lighthouse=True, project_root=tmp_path)
    with FixtureServer(plain_site()) as server:
        audited = run_web_audit([server.url("/")], options)
    result = audited.pages[0]
    (error,) = result.errors
    assert error.stage == "lighthouse" and "npm install lighthouse@12.2.3" in error.message
    assert result.dom == PAGE_DOM and result.lighthouse is None


@pytest.mark.slow
def test_a_configured_lighthouse_path_that_does_not_exist_is_named_in_the_error(tmp_path: Path):
    need_chromium()
    options = fast_options(run_lighthouse=True, lighthouse=str(tmp_path / "lh"))
    with FixtureServer(plain_site()) as server:
        audited = run_web_audit([server.url("/")], options)
    (error,) = audited.pages[0].errors
    assert (
        str(tmp_path / "lh") in error.message and "npm install lighthouse@12.2.3" in error.message
    )


def test_without_playwright_every_url_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "playwright.async_api", None)  # import raises ImportError
    # any existing executable passes the browser lookup, so the import is what fails
    audited = run_web_audit(["http://127.0.0.1:1/"], fast_options(browser=sys.executable))
    stage, message = only_error(audited.pages[0])
    assert stage == "browser" and "pip install 'ecolint[web]'" in message
