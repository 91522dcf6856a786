"""Best-practice checks: thresholds on recorded exchanges, and on a real page."""

from __future__ import annotations

import pytest
from web_sites import FixtureServer, fast_options, need_chromium, plain_site

from ecolint.web import practices
from ecolint.web.audit import run_web_audit
from ecolint.web.traffic import Exchange


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
    assert result.level == "C" and result.offenders == ("http://a.test/n", "http://a.test/b")
    assert level(practices.cache_headers, [cached]) == "A"


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


def test_a_pretty_printed_script_is_not_minified_and_a_one_liner_is():
    pretty = "function f() {\n  return 1;\n}\n\nfunction g() {\n  return 2;\n}\n"
    assert not practices._is_minified(pretty)
    assert practices._is_minified("function f(){return 1};function g(){return 2}")


def test_images_shrunk_by_the_browser_and_hidden_images_are_found():
    facts = {"images": [
        {"src": "big.png", "naturalWidth": 400, "naturalHeight": 400, "width": 100, "height": 100},
        {"src": "hidden.png", "naturalWidth": 200, "naturalHeight": 200, "width": 0, "height": 0},
        {"src": "exact.png", "naturalWidth": 50, "naturalHeight": 50, "width": 50, "height": 50},
    ]}  # fmt: skip
    assert practices.resized_images([], facts).offenders == ("big.png",)
    assert practices.hidden_images([], facts).offenders == ("hidden.png",)


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
    assert found["minify-css-js"].level == "C"  # its CSS and JS are pretty-printed
    assert len(page.practices) == len(practices.CHECKS)
