"""Best-practice checks: thresholds on recorded exchanges, and on a real page."""

from __future__ import annotations

import pytest
from web_sites import CSS, FixtureServer, Resource, fast_options, need_chromium, plain_site, png

from ecolint.web import practices
from ecolint.web.audit import run_web_audit
from ecolint.web.traffic import UNFINISHED, Exchange


def exchange(url: str = "http://a.test/x", **changes: object) -> Exchange:
    values: dict[str, object] = {
        "url": url, "status": 200, "resource_type": "script", "mime": "text/javascript",
        "transfer_bytes": 1000, "body_bytes": 900, "protocol": "h2",
    }  # fmt: skip
    values.update(changes)
    return Exchange(**values)  # type: ignore[arg-type]


def level(check, exchanges=(), facts=None) -> str:
    return check(list(exchanges), facts or {}).level


def test_uncompressed_text_above_a_tenth_of_the_bytes_is_level_c():
    compressed = exchange(response_headers={"content-encoding": "br"}, body_bytes=800)
    plain = exchange("http://a.test/y", body_bytes=200)
    result = practices.compression([compressed, plain], {})
    assert result.level == "C" and result.offenders == ("http://a.test/y",)
    assert level(practices.compression, [compressed]) == "A"


def test_static_resources_with_no_store_or_no_cache_header_are_level_c():
    cached = exchange(response_headers={"cache-control": "max-age=600"})
    no_store = exchange("http://a.test/n", response_headers={"cache-control": "no-store"})  # noqa: ECO802
    bare = exchange("http://a.test/b")
    result = practices.cache_headers([cached, no_store, bare], {})
    assert result.level == "C" and result.offenders == ("http://a.test/b", "http://a.test/n")
    assert level(practices.cache_headers, [cached]) == "A"


def test_offenders_are_listed_in_the_same_order_whatever_order_the_requests_finished_in():
    first, second = exchange("http://a.test/z"), exchange("http://a.test/m")
    one = practices.compression([first, second], {})
    other = practices.compression([second, first], {})
    assert one.offenders == other.offenders == ("http://a.test/m", "http://a.test/z")


@pytest.mark.parametrize(("hosts", "expected"), [(3, "A"), (4, "B"), (5, "B"), (6, "C")])
def test_domains_thresholds(hosts: int, expected: str):
    exchanges = [exchange(f"http://h{i}.test/") for i in range(hosts)]
    assert level(practices.domains, exchanges) == expected


@pytest.mark.parametrize(("count", "expected"), [(26, "A"), (27, "B"), (40, "B"), (41, "C")])
def test_request_thresholds(count: int, expected: str):
    assert level(practices.requests, [exchange()] * count) == expected


def test_http_errors_are_listed_with_their_status():
    result = practices.http_errors([exchange(status=404), exchange(status=200)], {})
    assert result.level == "C" and result.offenders == ("http://a.test/x (404)",)


PRETTY_JS = "function f(a) {\n    // add one\n    return a + 1;\n}\n\n"


def script(text: str, **changes: object) -> Exchange:
    return exchange(text=text, body_bytes=len(text.encode()), **changes)


def test_a_large_pretty_printed_script_is_not_minified_with_its_gain():
    pretty = script(PRETTY_JS * 200)  # 10.4 kB, 54 % comments and indentation
    result = practices.minified([pretty], {})
    assert result.level == "C" and result.offenders == ("http://a.test/x",)
    assert result.detail == "1 file not minified (about 6 kB to gain)"


def test_a_minified_script_after_a_licence_banner_is_minified():
    """sb-admin-2.min.js: a 5-line licence banner, then one line of code joined by commas;
    GreenIT's line count (6 line breaks, 4 semicolons) called it not minified. Minifiers
    keep such banners: there is nothing to gain."""
    banner = "/*!\n * Start Bootstrap - SB Admin 2 v4.1.3\n * Copyright 2013-2021\n"
    banner += " * Licensed under MIT\n */\n"
    calls = ",".join(
        f'l("#toggle{i}").on("click",function(e){{l("body").toggleClass("t")}})' for i in range(16)
    )
    code = '!function(l){"use strict";' + calls + ";l(document).ready()}(jQuery);"
    assert (banner + code).count("\n") == 5 and (banner + code).count(";") <= 4
    result = practices.minified([script(banner + code)], {})
    assert result.level == "A" and result.detail == "0 files not minified"


FONT_FACE = """/* {subset} */
@font-face {{
  font-family: 'Nunito';
  font-style: normal;
  font-weight: {weight};
  src: url(https://fonts.gstatic.com/s/nunito/v26/XRXV3I6Li01BKofIOOaBXso.woff2) format('woff2');
  unicode-range: U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC;
}}
"""


def test_google_fonts_css_is_too_small_a_gain_to_report():
    """Generated @font-face CSS (9 weights × 2 subsets, as Nunito on sb-admin-2) is a few
    kB of declarations; what minifying would save stays under Lighthouse's 2 KiB."""
    css = "".join(
        FONT_FACE.format(subset=subset, weight=weight)
        for weight in range(100, 1000, 100)
        for subset in ("latin-ext", "latin")
    )
    sheet = exchange(
        "https://fonts.googleapis.com/css?family=Nunito", resource_type="stylesheet",
        mime="text/css", text=css, body_bytes=len(css),
    )  # fmt: skip
    assert practices.minified([sheet], {}).level == "A"
    bigger = exchange(
        resource_type="stylesheet", mime="text/css", text=css * 3, body_bytes=len(css) * 3
    )
    assert practices.minified([bigger], {}).level == "C"  # the same CSS, three times bigger


def test_images_shrunk_by_the_browser_and_hidden_images_are_found():
    facts = {"images": [
        {"src": "big.png", "naturalWidth": 400, "naturalHeight": 400, "width": 100, "height": 100},
        {"src": "hidden.png", "naturalWidth": 200, "naturalHeight": 200, "width": 0, "height": 0},
        {"src": "exact.png", "naturalWidth": 50, "naturalHeight": 50, "width": 50, "height": 50},
        {"src": "hidden.png", "naturalWidth": 200, "naturalHeight": 200, "width": 0, "height": 0},
    ]}  # fmt: skip
    assert practices.resized_images([], facts).offenders == ("big.png",)
    hidden = practices.hidden_images([], facts)
    assert hidden.offenders == ("hidden.png",) and hidden.detail.startswith("1 image ")


def test_an_image_shown_in_the_page_and_also_in_a_hidden_modal_is_displayed():
    """Agency's portfolio: each JPEG is in the grid and again in a closed modal."""
    shown = {"src": "1.jpg", "naturalWidth": 400, "naturalHeight": 300, "width": 350, "height": 262}
    in_modal = {**shown, "width": 0, "height": 0}
    facts = {"images": [in_modal, shown]}
    assert practices.hidden_images([], facts).level == "A"


def test_failed_and_unfinished_requests_are_listed_with_their_cause():
    failed = exchange("http://gone.test/a.js", status=0, failure="net::ERR_NAME_NOT_RESOLVED")
    loading = exchange("http://a.test/slow.png", status=0, failure=UNFINISHED)
    result = practices.failed_requests([exchange(), failed, loading], {})
    assert result.level == "C"
    assert result.detail == "1 request failed, 1 still loading at the end"
    assert result.offenders == (
        f"http://a.test/slow.png ({UNFINISHED})",
        "http://gone.test/a.js (net::ERR_NAME_NOT_RESOLVED)",
    )
    assert level(practices.failed_requests, [loading]) == "B"
    assert level(practices.failed_requests, [exchange()]) == "A"


def test_details_use_the_singular_for_one():
    one = [exchange(status=301)]
    assert practices.redirects(one, {}).detail == "1 redirect"
    assert practices.requests(one, {}).detail == "1 request"
    assert practices.domains(one, {}).detail == "1 domain"
    assert practices.http_errors([exchange(status=404)], {}).detail == "1 response ≥ 400"


def test_cookies_on_static_resources_and_long_cookies_are_flagged():
    heavy = exchange(resource_type="image", request_cookie="s=" + "x" * 1100)
    assert level(practices.cookies_on_static, [heavy]) == "B"
    assert level(practices.cookie_length, [heavy]) == "C"
    assert level(practices.cookie_length, [exchange(request_cookie="s=1")]) == "A"


def test_http1_responses_fail_the_http2_check():
    assert level(practices.http2, [exchange(protocol="http/1.1")]) == "C"
    assert level(practices.http2, [exchange(protocol="h2")]) == "A"


def test_social_widgets_plugins_and_print_stylesheets_are_checked():
    widget = exchange("https://platform.twitter.com/widgets.js")
    assert level(practices.social_widgets, [widget]) == "C"
    assert level(practices.plugins, facts={"plugins": 1}) == "C"
    assert level(practices.print_stylesheet, facts={"printStylesheets": 0}) == "C"
    assert level(practices.print_stylesheet, facts={"printStylesheets": 1}) == "A"


def test_more_than_two_font_files_is_level_c():
    fonts = [
        exchange(f"http://a.test/{i}.woff2", resource_type="font", mime="font/woff2")
        for i in range(3)
    ]
    assert level(practices.web_fonts, fonts) == "C"
    assert level(practices.web_fonts, fonts[:2]) == "B"


def test_a_bitmap_over_500_kb_gains_what_exceeds_its_budget_not_its_whole_size():
    """clean-blog's home-bg.jpg: 1,007,801 B for 1900×1267 px, a CSS background (no <img>,
    its pixels read from the file). GreenIT's budget is 0.2 B a pixel, 481 kB here."""
    photo = exchange(
        "http://a.test/home-bg.jpg", resource_type="image", mime="image/jpeg",
        body_bytes=1_007_801, pixels=1900 * 1267,
    )  # fmt: skip
    result = practices.bitmap_images([photo], {})
    assert result.level == "C" and result.detail == "about 526 kB to gain"
    huge = exchange(mime="image/jpeg", body_bytes=900_000, pixels=4000 * 3000)
    assert practices.bitmap_images([huge], {}).detail == "about 400 kB to gain"  # over 500 kB


def test_a_large_png_that_could_be_much_smaller_is_flagged():
    photo = exchange(
        "http://a.test/p.png", resource_type="image", mime="image/png", body_bytes=120_000
    )
    facts = {"images": [{"src": "http://a.test/p.png", "naturalWidth": 100, "naturalHeight": 100,
                         "width": 100, "height": 100}]}  # fmt: skip
    result = practices.bitmap_images([photo], facts)
    assert result.level == "C" and result.offenders == ("http://a.test/p.png",)


@pytest.mark.parametrize(("gzip", "cache", "compress_level", "cache_level"),
                         [(False, False, "C", "C"), (True, True, "A", "A")])  # fmt: skip
@pytest.mark.slow
def test_a_real_page_gets_its_compression_and_cache_levels_from_its_headers(
    gzip: bool, cache: bool, compress_level: str, cache_level: str
):
    need_chromium()
    with FixtureServer(plain_site(gzip=gzip, cache=cache)) as server:
        page = run_web_audit([server.url("/")], fast_options()).pages[0]
    found = {practice.id: practice for practice in page.practices}
    assert found["compress-text"].level == compress_level
    assert found["cache-static"].level == cache_level
    assert found["http2"].level == "C"  # the fixture server speaks HTTP/1.1
    # its CSS and JS are pretty-printed, but too small for minifying to save 2 KiB
    assert found["minify-css-js"].level == "A"
    assert len(page.practices) == len(practices.CHECKS)


BACKGROUND_PAGE = b"""<!doctype html><html><head><title>background</title>
<style>body { background: url(/bg.png); }</style></head><body><p>text</p></body></html>"""


@pytest.mark.slow
def test_a_css_background_is_judged_on_its_own_pixels():
    """No <img> gives the size of a CSS background: it is read from the PNG itself, so the
    gain is what exceeds 0.2 B a pixel, not all but 10 kB of the file."""
    need_chromium()
    image = png(300, 300)
    assert len(image) > 50_000  # a PNG that size is judged
    site = {"/": Resource(BACKGROUND_PAGE, "text/html"), "/bg.png": Resource(image, "image/png")}
    with FixtureServer(site) as server:
        page = run_web_audit([server.url("/")], fast_options()).pages[0]
    bitmap = next(p for p in page.practices if p.id == "bitmap-formats")
    assert bitmap.offenders == (server.url("/bg.png"),)
    assert bitmap.detail == f"about {(len(image) - 300 * 300 / 5) / 1000:.0f} kB to gain"


@pytest.mark.slow
def test_minifying_is_judged_on_the_bytes_it_would_save_on_the_wire():
    """A 9 kB pretty-printed stylesheet sent plain: minifying saves about 2.3 kB (C); sent
    gzipped, its few hundred bytes on the wire would shrink by less than 2 KiB (A)."""
    need_chromium()
    levels = {}
    for compressed in (False, True):
        site = plain_site(gzip=compressed)
        site["/style.css"] = Resource((CSS * 6).encode(), "text/css", gzip=compressed)
        with FixtureServer(site) as server:
            page = run_web_audit([server.url("/")], fast_options()).pages[0]
        levels[compressed] = next(p for p in page.practices if p.id == "minify-css-js").level
    assert levels == {False: "C", True: "A"}
