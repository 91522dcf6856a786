"""Real Chromium on fixture sites: exact DOM, request and byte counts.

Bytes are compared with what the fixture server wrote on the socket for the same
responses (status line, headers, body), never with a figure typed into the test, except
the placeholder sizes of failed and unfinished requests, which are the reference's own
(ecoindex-scraper 3.17.0 measured the same pages at these figures).
"""

from __future__ import annotations

import gzip

import pytest
from web_sites import (
    CSS,
    PAGE_DOM,
    SVG_DESCENDANTS,
    SVG_PAGE_DOM,
    Resource,
    fast_options,
    lazy_site,
    need_chromium,
    plain_site,
    png,
    redirect_site,
    serve,
    svg_site,
)

from ecolint.scoring.ecoindex import ecoindex
from ecolint.web.audit import run_web_audit
from ecolint.web.browser import free_port
from ecolint.web.traffic import UNFINISHED

pytestmark = [pytest.mark.usefixtures("chromium"), pytest.mark.slow]


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
<div id="host"></div><iframe srcdoc="<p>1</p><p>2</p><p>3</p>"></iframe>
<svg><g><rect/></g></svg><script>
document.getElementById('host').attachShadow({mode: 'open'}).innerHTML =
  '<section><p>a</p><svg><g><rect/></g></svg></section>';
</script></body></html>"""
# html head title body div iframe svg script = 8 (the light svg's g and rect are not counted)
# + section p svg g rect in the shadow root = 13: the reference subtracts svg children with
# an XPath, which does not enter shadow roots, so inside a web component they count
SHADOW_PAGE_DOM = 13


def test_open_shadow_roots_count_with_their_svg_children_but_iframe_documents_do_not():
    with serve({"/": Resource(SHADOW_PAGE, "text/html")}) as server:
        page = run_web_audit([server.url("/")], fast_options()).pages[0]
    assert page.dom == SHADOW_PAGE_DOM


UNSAFE_PORT = "http://127.0.0.1:9/x.png"  # Chromium refuses port 9: net::ERR_UNSAFE_PORT
FAILING_PAGE = """<!doctype html><html><head><title>failing</title></head><body>
<img src="{unsafe}" alt=""><img src="{refused}" alt=""></body></html>"""
# The reference counts a failed request as the JSON length of its HAR response record,
# which holds the error text: 254 B for ERR_UNSAFE_PORT, 261 B for ERR_CONNECTION_REFUSED.
UNSAFE_PORT_BYTES, REFUSED_BYTES = 254, 261


def test_failed_requests_count_as_the_reference_counts_them_and_are_listed():
    refused = f"http://127.0.0.1:{free_port()}/y.png"
    html = FAILING_PAGE.format(unsafe=UNSAFE_PORT, refused=refused).encode()
    with serve({"/": Resource(html, "text/html")}) as server:
        page = run_web_audit([server.url("/")], fast_options()).pages[0]
        page_bytes = server.bytes_for({"/"})
    assert page.requests == 3
    assert page.bytes == page_bytes + UNSAFE_PORT_BYTES + REFUSED_BYTES
    failed = next(p for p in page.practices if p.id == "failed-requests")
    assert failed.level == "C"
    assert failed.offenders == tuple(  # sorted: the same order whatever finished first
        sorted(
            (f"{UNSAFE_PORT} (net::ERR_UNSAFE_PORT)", f"{refused} (net::ERR_CONNECTION_REFUSED)")
        )
    )


LAZY_SLOW_PAGE = b"""<!doctype html><html><head><title>lazy slow</title></head><body>
<div style="height:4000px"></div>
<img loading="lazy" src="/slow.png" width="10" height="10" alt=""></body></html>"""
UNFINISHED_BYTES = 214  # the HAR response record of a request with no response yet


def test_a_request_still_loading_at_the_end_counts_as_the_reference_counts_it():
    site = {
        "/": Resource(LAZY_SLOW_PAGE, "text/html"),
        "/slow.png": Resource(png(10, 10), "image/png", delay_s=4),
    }
    with serve(site) as server:
        page = run_web_audit([server.url("/")], fast_options()).pages[0]
        page_bytes = server.bytes_for({"/"})
    assert page.requests == 2  # the lazy image the scroll started, not awaited
    assert page.bytes == page_bytes + UNFINISHED_BYTES
    failed = next(p for p in page.practices if p.id == "failed-requests")
    assert failed.level == "B"
    assert failed.offenders == (f"{server.url('/slow.png')} ({UNFINISHED})",)


VIEWPORT_PAGE = b"""<!doctype html><html><head><title>viewport</title>
<style>@media (min-width: 1600px) { body { background: url(/wide.png); } }</style></head>
<body><script>document.title = innerWidth + 'x' + innerHeight + ' ' + screen.width + 'x'
+ screen.height;</script></body></html>"""


def test_pages_render_in_the_references_viewport_and_report_it():
    """The reference asks for a 1920×1080 *screen* and so renders at Playwright's default
    1280×720 viewport, while its result says 1920×1080: ecolint renders the same and says
    what it rendered. A configured viewport sets viewport and screen (the reference cannot)."""
    site = {
        "/": Resource(VIEWPORT_PAGE, "text/html"),
        "/wide.png": Resource(png(20, 20), "image/png"),
    }
    with serve(site) as server:
        default = run_web_audit([server.url("/")], fast_options())
        wide = run_web_audit([server.url("/")], fast_options(viewport=(1920, 1080)))
    page = default.pages[0]
    assert page.title == "1280x720 1920x1080"
    assert page.requests == 1  # the min-width: 1600px background is not for this viewport
    assert default.settings["viewport"] == "1280x720"
    assert wide.pages[0].title == "1920x1080 1920x1080"
    assert wide.pages[0].requests == 2
    assert wide.settings["viewport"] == "1920x1080"


def test_a_page_answered_with_another_2xx_than_200_is_still_audited():
    """Deviation: ecoindex-scraper 3.17.0 refuses any status but 200; a 203 or 226 page is
    a page the browser shows, so ecolint audits it (it refuses HTTP ≥ 400)."""
    site = plain_site()
    site["/"] = Resource(site["/"].body, site["/"].content_type, status=203)
    with serve(site) as server:
        page = run_web_audit([server.url("/")], fast_options()).pages[0]
    assert page.errors == () and page.status == 203 and page.dom == PAGE_DOM
