"""The dashboard in real Chromium: no console error, every chart drawn, names stay text.

Pages are opened from the disk (a downloaded CI artifact) and over HTTP on 127.0.0.1 (as
GitHub Pages serves them). A screenshot of each kind of page is kept as a test artifact,
and copied to ``$ECOLINT_ARTIFACTS`` when that is set.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from dashboard_history import (
    MALICIOUS_REPOSITORY,
    MALICIOUS_TEAM,
    bare_run,
    malicious_history,
    small_history,
)

from ecolint.config.teams import TeamBudget
from ecolint.dashboard import build_site
from helpers import require_component

pytestmark = pytest.mark.slow  # real Chromium

CHROMIUM = Path(os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium")

# For each drawn chart: its paths' "d" lengths and the size of what they cover on screen.
DRAWN = """() => [...document.querySelectorAll('svg.chart, svg.sparkline')].map(svg => {
  const paths = [...svg.querySelectorAll('path')];
  const box = svg.getBoundingClientRect();
  return {label: svg.getAttribute('aria-label'), width: box.width, height: box.height,
          paths: paths.map(p => (p.getAttribute('d') || '').length),
          marks: paths.filter(p => p.matches('.line, .bar'))
                      .map(p => { const b = p.getBBox(); return b.width + b.height; })};
})"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    has_playwright = importlib.util.find_spec("playwright") is not None
    require_component(
        has_playwright and CHROMIUM.is_file(),
        "Chromium with Playwright",
        "apt-get install chromium; pip install -e '.[dev]' (Playwright)",
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    records = [*small_history(), bare_run()]
    build_site(records, folder, budgets={"core": TeamBudget(0.001, "month")})
    return folder


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class Watched:
    """A page with its console errors, script errors, failed requests and dialogs."""

    def __init__(self, browser: Any) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        self.page.on(
            "console",
            lambda m: self.problems.append(f"console {m.text}") if m.type == "error" else None,
        )
        self.page.on("pageerror", lambda e: self.problems.append(f"script {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"request {r.url}"))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def open(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is None or response.ok, url


def keep_artifact(page: Any, tmp_path: Path, name: str) -> Path:
    shot = tmp_path / name
    page.screenshot(path=str(shot), full_page=True)
    artifacts = os.environ.get("ECOLINT_ARTIFACTS")
    if artifacts:
        Path(artifacts).mkdir(parents=True, exist_ok=True)
        shutil.copy2(shot, Path(artifacts) / name)
    return shot


def every_page(site: Path, base: str) -> list[str]:
    return [base + p.relative_to(site).as_posix() for p in sorted(site.rglob("*.html"))]


@pytest.mark.parametrize("where", ["file", "http"])
def test_every_page_opens_without_a_console_error_and_draws_every_chart(
    browser, site, served, where
):
    base = site.as_uri() + "/" if where == "file" else served
    watched = Watched(browser)
    charts_seen = 0
    for url in every_page(site, base):
        watched.open(url)
        charts = watched.page.evaluate(DRAWN)
        for chart in charts:
            assert chart["width"] > 0 and chart["height"] > 0, (url, chart)
            assert chart["paths"] and all(length > 0 for length in chart["paths"]), (url, chart)
            assert chart["marks"] and all(size > 0 for size in chart["marks"]), (url, chart)
        charts_seen += len(charts)
    assert watched.problems == []
    # overview: grade chart + 3 sparklines; each repository: score, themes, energy, carbon,
    # EcoIndex; each team: its monthly carbon. The bare repository has nothing to draw.
    assert charts_seen == 4 + 3 * 5 + 2
    watched.page.close()


def test_screenshots_of_the_overview_a_repository_and_a_team_are_kept(browser, site, tmp_path):
    watched = Watched(browser)
    watched.open(site.joinpath("index.html").as_uri())
    shots = [keep_artifact(watched.page, tmp_path, "dashboard-overview.png")]
    watched.page.get_by_role("link", name="acme/data").first.click()
    assert watched.page.locator("h1").inner_text() == "acme/data"
    shots.append(keep_artifact(watched.page, tmp_path, "dashboard-repository.png"))
    watched.page.get_by_role("link", name="core").first.click()
    assert watched.page.locator("h1").inner_text() == "Team core"
    assert "over budget" in watched.page.locator("main").inner_text()
    shots.append(keep_artifact(watched.page, tmp_path, "dashboard-team.png"))
    assert all(shot.stat().st_size > 10_000 for shot in shots)
    assert watched.problems == []
    watched.page.close()


def test_malicious_names_show_as_text_and_run_nothing(browser, tmp_path):
    build_site(malicious_history(), tmp_path / "site")
    watched = Watched(browser)
    for url in every_page(tmp_path / "site", (tmp_path / "site").as_uri() + "/"):
        watched.open(url)
        watched.page.mouse.move(200, 200)
        assert watched.page.locator("script, img, main b").count() == 0
    watched.open((tmp_path / "site" / "index.html").as_uri())
    links = watched.page.locator("main table a")
    assert MALICIOUS_REPOSITORY in links.all_inner_texts()
    assert MALICIOUS_TEAM in links.all_inner_texts()
    watched.page.get_by_role("link", name=MALICIOUS_REPOSITORY).first.click()
    assert watched.page.locator("h1").inner_text() == MALICIOUS_REPOSITORY
    assert watched.dialogs == [] and watched.problems == []
    watched.page.close()
