"""Lighthouse 12.2.3 attached to ecolint's browser, on one fixture page (about 20 s)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from web_sites import (
    PAGE_DOM,
    FixtureServer,
    Resource,
    fast_options,
    need_chromium,
    plain_site,
    png,
)

from ecolint.web.audit import run_web_audit
from ecolint.web.lighthouse import LighthouseError, find_lighthouse, parse_lighthouse
from helpers import require_component

REPOSITORY = Path(__file__).resolve().parents[2]


def lighthouse_available() -> bool:
    try:
        find_lighthouse(None, REPOSITORY)
    except LighthouseError:
        return False
    return True


@pytest.mark.slow
def test_lighthouse_scores_and_timings_join_the_ecoindex_of_the_same_page(tmp_path: Path):
    need_chromium()
    require_component(lighthouse_available(), "Lighthouse", "npm ci (make deps-node)")
    (tmp_path / "pyproject.toml").write_text(
        "[tool.ecolint.web]\nwait-before = 0\nwait-after = 0\n"
        f'lighthouse = "{find_lighthouse(None, REPOSITORY)}"\n'
    )
    with FixtureServer(plain_site(gzip=True, cache=True)) as server:
        completed = subprocess.run(
            [sys.executable, "-m", "ecolint", "web", server.url("/"), "--lighthouse",
             "--format", "json"],
            cwd=tmp_path, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert completed.returncode == 0, completed.stderr + completed.stdout
        first_load = server.bytes_for({"/", "/style.css", "/app.js", "/photo.png"}) // 2
    report = json.loads(completed.stdout)
    assert report["lighthouse"] == "12.2.3"
    (page,) = report["pages"]
    lighthouse = page["lighthouse"]
    assert lighthouse["form_factor"] == "desktop"
    assert set(lighthouse["categories"]) == {
        "performance",
        "accessibility",
        "best-practices",
        "seo",
    }
    assert all(0 <= score <= 100 for score in lighthouse["categories"].values())
    metrics = lighthouse["metrics"]
    assert metrics["first-contentful-paint"] > 0 and metrics["largest-contentful-paint"] > 0
    assert metrics["total-blocking-time"] >= 0 and metrics["cumulative-layout-shift"] >= 0
    # Lighthouse reloaded the page in its own tab: the EcoIndex figures did not absorb that
    assert (page["dom"], page["requests"]) == (PAGE_DOM, 4)
    assert page["bytes"] == first_load
    assert metrics["total-byte-weight"] >= page["bytes"]


def test_a_lighthouse_runtime_error_is_reported_with_its_code():
    output = json.dumps({"runtimeError": {"code": "NO_FCP", "message": "no paint"}}).encode()
    with pytest.raises(LighthouseError, match="NO_FCP: no paint"):
        parse_lighthouse(output)


def test_lighthouse_output_that_is_not_json_is_an_error():
    with pytest.raises(LighthouseError, match="no JSON report"):
        parse_lighthouse(b"Unable to connect to Chrome")


def test_lighthouse_is_found_in_node_modules_above_the_project(tmp_path: Path):
    executable = tmp_path / "node_modules" / ".bin" / "lighthouse"
    executable.parent.mkdir(parents=True)
    executable.write_text("#!/bin/sh\n")
    project = tmp_path / "apps" / "site"
    project.mkdir(parents=True)
    assert find_lighthouse(None, project) == executable


def test_the_ecolint_lighthouse_variable_wins_over_node_modules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    chosen = tmp_path / "my-lighthouse"
    chosen.write_text("#!/bin/sh\n")
    monkeypatch.setenv("ECOLINT_LIGHTHOUSE", str(chosen))
    assert find_lighthouse(None, REPOSITORY) == chosen


LOGIN = b"""<!doctype html><html><head><title>login</title></head><body>
<button id="go" onclick="document.cookie='session=ok; path=/'">Sign in</button></body></html>"""
# Without the session cookie the account page sends the visitor to the login page; with it,
# it shows an 84 kB image that the login page does not have.
ACCOUNT = b"""<!doctype html><html lang="en"><head><title>account</title></head><body>
<script>
if (!document.cookie.includes('session=ok')) location.replace('/login');
else document.write('<img src="/secret.png" width="200" height="200" alt="chart">');
</script><p>Your account</p></body></html>"""


@pytest.mark.slow
def test_lighthouse_audits_the_page_the_journey_leads_to(tmp_path: Path):
    """The journey logs in; EcoIndex and Lighthouse must both audit the account page, not
    the login page an anonymous tab is sent to (Lighthouse's tab is in another context)."""
    need_chromium()
    require_component(lighthouse_available(), "Lighthouse", "npm ci (make deps-node)")
    secret = png(200, 200)
    site = {
        "/login": Resource(LOGIN, "text/html"),
        "/account": Resource(ACCOUNT, "text/html"),
        "/secret.png": Resource(secret, "image/png"),
    }
    with FixtureServer(site) as server:
        journey = tmp_path / "login.py"
        journey.write_text(
            f"async def journey(page):\n    await page.goto('{server.url('/login')}')\n"
            "    await page.click('#go')\n"
        )
        options = fast_options(
            journey=journey, run_lighthouse=True, lighthouse=str(find_lighthouse(None, REPOSITORY))
        )
        page = run_web_audit([server.url("/account")], options).pages[0]
    assert page.errors == ()
    assert page.final_url == server.url("/account") and page.requests == 2
    assert page.lighthouse is not None
    assert page.lighthouse.metrics["total-byte-weight"] >= len(secret)


def test_a_lighthouse_report_of_another_page_than_the_ecoindex_is_refused():
    report = json.dumps({
        "lighthouseVersion": "12.2.3", "finalDisplayedUrl": "http://127.0.0.1:8000/login",
        "categories": {"performance": {"score": 1}}, "audits": {},
    }).encode()  # fmt: skip
    with pytest.raises(LighthouseError, match=r"audited http://127.0.0.1:8000/login but"):
        parse_lighthouse(report, expected_url="http://127.0.0.1:8000/account")
    same = parse_lighthouse(report, expected_url="http://127.0.0.1:8000/login#top")
    assert same.categories["performance"] == 100
