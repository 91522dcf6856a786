"""Real Chromium on fixture sites: exact DOM, request and byte counts.

Bytes are compared with what the fixture server wrote on the socket for the same
responses (status line, headers, body), never with a figure typed into the test.
"""

from __future__ import annotations

import gzip

import pytest
from web_sites import (
    CSS,
    PAGE_DOM,
    SVG_DESCENDANTS,
    SVG_PAGE_DOM,
    fast_options,
    lazy_site,
    need_chromium,
    plain_site,
    redirect_site,
    serve,
    svg_site,
)

from ecolint.scoring.ecoindex import ecoindex
from ecolint.web.audit import run_web_audit

pytestmark = pytest.mark.usefixtures("chromium")


@pytest.fixture
def chromium() -> None:
    need_chromium()


PLAIN_PATHS = {"/", "/style.css", "/app.js", "/photo.png"}


def test_a_plain_page_counts_its_elements_requests_and_bytes_on_the_wire():
    with serve(plain_site()) as server:
        page = run_web_audit([server.url("/")], fast_options()).pages[0]
        assert page.errors == ()
        assert page.dom == PAGE_DOM
        assert page.requests == 4 == server.requests_for(PLAIN_PATHS)
        assert page.bytes == server.bytes_for(PLAIN_PATHS)


def test_the_ecoindex_is_computed_from_the_measured_figures():
    with serve(plain_site()) as server:
        page = run_web_audit([server.url("/")], fast_options()).pages[0]
    assert page.ecoindex == ecoindex(page.dom, page.requests, page.bytes / 1000)


def test_a_gzipped_page_counts_its_compressed_bytes():
    with serve(plain_site(gzip=True)) as server:
        page = run_web_audit([server.url("/")], fast_options()).pages[0]
        assert page.bytes == server.bytes_for(PLAIN_PATHS)
    assert len(gzip.compress(CSS.encode())) < len(CSS.encode()) / 5
    with serve(plain_site(gzip=False)) as plain:
        uncompressed = run_web_audit([plain.url("/")], fast_options()).pages[0]
    assert page.bytes < uncompressed.bytes - len(CSS) / 2


def test_the_favicon_chrome_fetches_is_not_counted():
    with serve(plain_site()) as server:
        page = run_web_audit([server.url("/")], fast_options(wait_after=0.3)).pages[0]
        fetched = {served.path for served in server.served}
    assert "/favicon.ico" in fetched  # Chrome asked for it…
    assert page.requests == 4  # …but the page did not


def test_svg_descendants_are_not_counted_but_the_svg_elements_are():
    with serve(svg_site()) as server:
        page = run_web_audit([server.url("/")], fast_options()).pages[0]
    assert page.dom == SVG_PAGE_DOM
    assert SVG_DESCENDANTS == 7  # what would have been counted without the rule


def test_each_hop_of_a_redirect_chain_is_one_request_with_its_bytes():
    with serve(redirect_site()) as server:
        page = run_web_audit([server.url("/old")], fast_options()).pages[0]
        assert page.requests == 6 == server.requests_for({*PLAIN_PATHS, "/old", "/older"})
        assert page.bytes == server.bytes_for({*PLAIN_PATHS, "/old", "/older"})
    assert page.final_url.endswith("/")
    redirects = next(p for p in page.practices if p.id == "redirects")
    assert (redirects.level, len(redirects.offenders)) == ("C", 2)


def test_images_lazy_loaded_on_scroll_are_counted():
    with serve(lazy_site()) as server:
        page = run_web_audit([server.url("/")], fast_options(wait_after=1.0)).pages[0]
        paths = {"/", "/top.png", "/lazy1.png", "/lazy2.png"}
        assert page.requests == 4 == server.requests_for(paths)
        assert page.bytes == server.bytes_for(paths)


def test_several_runs_report_the_median_and_every_run():
    with serve(plain_site()) as server:
        page = run_web_audit([server.url("/")], fast_options(runs=3)).pages[0]
    assert len(page.runs) == 3
    assert page.dom == sorted(run.dom for run in page.runs)[1]
    assert page.requests == sorted(run.requests for run in page.runs)[1]
    assert page.bytes == sorted(run.bytes for run in page.runs)[1]


def test_one_browser_serves_every_page_of_an_audit():
    with serve(plain_site()) as server, serve(svg_site()) as other:
        report = run_web_audit([server.url("/"), other.url("/")], fast_options())
    assert [page.dom for page in report.pages] == [PAGE_DOM, SVG_PAGE_DOM]
    assert report.browser  # the version of the one browser launched


SHADOW_PAGE = b"""<!doctype html><html><head><title>shadow</title></head><body>
<div id="host"></div><iframe srcdoc="<p>1</p><p>2</p><p>3</p>"></iframe><script>
document.getElementById('host').attachShadow({mode: 'open'}).innerHTML =
  '<section><p>a</p><svg><g><rect/></g></svg></section>';
</script></body></html>"""
# html head title body div iframe script = 7, + section p svg in the shadow root = 10;
# the svg's g and rect and the iframe's own document are not counted
SHADOW_PAGE_DOM = 10


def test_open_shadow_roots_count_but_iframe_documents_do_not():
    from web_sites import Resource

    with serve({"/": Resource(SHADOW_PAGE, "text/html")}) as server:
        page = run_web_audit([server.url("/")], fast_options()).pages[0]
    assert page.dom == SHADOW_PAGE_DOM
