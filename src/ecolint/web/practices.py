"""Best-practice checks from the recorded traffic and the DOM, each with an A/B/C level.

The thresholds follow GreenIT-Analysis's rules (levels A fine, B could do better, C fix
it), re-implemented from their description (https://github.com/cnumr/GreenIT-Analysis). No check
calls a third party. Each returns the resources that caused its level.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from ecolint.web.minify import css_waste_ratio, js_waste_ratio
from ecolint.web.model import Practice
from ecolint.web.traffic import UNFINISHED, Exchange
from ecolint.wording import plural

STATIC_TYPES = ("image", "script", "stylesheet", "font", "media", "manifest")
COMPRESSIBLE = ("text/", "javascript", "json", "xml", "svg", "ecmascript", "manifest", "icon")
ENCODINGS = ("br", "gzip", "deflate", "compress", "zstd", "pack200-gzip")
# Lighthouse 12.2.3's unminified-css / unminified-javascript thresholds: a file is reported
# when minifying it would save at least this many bytes on the wire and this share of it.
MINIFY_MIN_BYTES = 2048
MINIFY_MIN_SHARE = {"css": 0.05, "js": 0.10}
BITMAP_NEVER_OPTIMAL = 500_000  # GreenIT: a bitmap over 500 kB is never optimal
SOCIAL_SCRIPTS = (
    "platform.twitter.com/widgets.js",
    "platform.linkedin.com/in.js",
    "assets.pinterest.com/js/pinit.js",
    "connect.facebook.net/",
    "buttons-config.sharethis.com",
    "s7.addthis.com",
    "static.addtoany.com",
)
BITMAP_TYPES = ("image/jpeg", "image/png", "image/gif", "image/bmp", "image/tiff")
FONT_MARKERS = ("font/", "woff", "ttf", "otf", "opentype", "truetype", "fontobject")

Facts = dict[str, Any]
Check = Callable[[Sequence[Exchange], Facts], Practice]


def _practice(
    id_: str, title: str, level: str, detail: str, offenders: Sequence[str] = ()
) -> Practice:
    """Offenders are sorted: requests finish in a different order on every run, and a
    report (a CI artifact) must not change when the page did not."""
    return Practice(id_, title, level, detail, tuple(sorted(dict.fromkeys(offenders))))


def _level(count: float, a_max: float, b_max: float) -> str:
    """A up to ``a_max``, B up to ``b_max``, C above."""
    return "A" if count <= a_max else "B" if count <= b_max else "C"


def _none_allowed(id_: str, title: str, detail: str, offenders: Sequence[str]) -> Practice:
    """C as soon as one resource offends, else A."""
    return _practice(id_, title, "C" if offenders else "A", detail, offenders)


def _limited(
    id_: str, title: str, items: Sequence[str], a_max: int, b_max: int, noun: str
) -> Practice:
    """Graded on how many ``items`` there are; they are listed from level B on."""
    level = _level(len(items), a_max, b_max)
    return _practice(id_, title, level, plural(len(items), noun), items if level != "A" else ())


def compression(exchanges: Sequence[Exchange], _: Facts) -> Practice:
    text = [
        e
        for e in exchanges
        if 200 <= e.status < 300
        and any(m in e.mime for m in COMPRESSIBLE)
        and (e.decoded_bytes or e.body_bytes) > 150
    ]
    plain = [e for e in text if _header(e, "content-encoding") not in ENCODINGS]
    total = sum(e.body_bytes for e in text)
    share = 1.0 if total == 0 else 1 - sum(e.body_bytes for e in plain) / total
    level = "A" if share >= 0.95 else "B" if share >= 0.90 else "C"
    return _practice(
        "compress-text",
        "Compress text resources",
        level,
        f"{share:.0%} of text bytes compressed ({len(plain)} of {len(text)} not)",
        [e.url for e in plain],
    )


def cache_headers(exchanges: Sequence[Exchange], _: Facts) -> Practice:
    static = [e for e in exchanges if e.resource_type in STATIC_TYPES and 200 <= e.status < 300]
    uncached = [e.url for e in static if not _cacheable(e)]
    return _none_allowed(
        "cache-static",
        "Cache static resources (Cache-Control / Expires)",
        f"{len(uncached)} of {len(static)} static resources without a usable cache header",
        uncached,
    )


def _cacheable(exchange: Exchange) -> bool:
    control = _header(exchange, "cache-control")
    if control:
        return not any(word in control for word in ("no-cache", "no-store", "max-age=0"))
    return bool(_header(exchange, "expires")) and _header(exchange, "expires") not in ("0", "-1")


def domains(exchanges: Sequence[Exchange], _: Facts) -> Practice:
    hosts = sorted({urlsplit(e.url).hostname or "" for e in exchanges} - {""})
    return _limited("domains", "Limit the number of domains", hosts, 3, 5, "domain")


def requests(exchanges: Sequence[Exchange], _: Facts) -> Practice:
    count = len(exchanges)
    level = _level(count, 26, 40)
    return _practice("requests", "Limit HTTP requests", level, plural(count, "request"))


def redirects(exchanges: Sequence[Exchange], _: Facts) -> Practice:
    hops = [e.url for e in exchanges if e.status in {301, 302, 303, 307, 308}]
    level = _level(len(hops), 0, 1)
    return _practice("redirects", "Avoid redirects", level, plural(len(hops), "redirect"), hops)


def http_errors(exchanges: Sequence[Exchange], _: Facts) -> Practice:
    failing = [f"{e.url} ({e.status})" for e in exchanges if e.status >= 400]
    return _none_allowed(
        "http-errors",
        "No HTTP errors",
        f"{plural(len(failing), 'response')} ≥ 400",
        failing,
    )


def failed_requests(exchanges: Sequence[Exchange], _: Facts) -> Practice:
    """Requests that brought nothing back: C when one failed, B when some were still loading.

    They count in the EcoIndex as the reference counts them (a placeholder of about 214–261
    B each), so they are listed here: a failed third party, a blocked tracker or a request
    cut short by a short wait changes the figures without any HTTP error to show for it.
    """
    failed = [f"{e.url} ({e.failure})" for e in exchanges if e.failure not in ("", UNFINISHED)]
    loading = [f"{e.url} ({UNFINISHED})" for e in exchanges if e.failure == UNFINISHED]
    level = "C" if failed else "B" if loading else "A"
    detail = f"{plural(len(failed), 'request')} failed, {len(loading)} still loading at the end"
    return _practice("failed-requests", "No failed requests", level, detail, failed + loading)


def minified(exchanges: Sequence[Exchange], _: Facts) -> Practice:
    """Lighthouse's rule rather than GreenIT-Analysis's line count, which flags a minified
    file after a licence banner and short generated CSS (Google Fonts' ``@font-face``)."""
    loose, gains = [], 0
    for e in exchanges:
        gain = _minify_gain(e)
        if gain:
            loose.append(e.url)
            gains += gain
    detail = f"{plural(len(loose), 'file')} not minified"
    if loose:
        detail += f" (about {gains / 1000:.0f} kB to gain)"
    return _none_allowed("minify-css-js", "Minify CSS and JavaScript", detail, loose)


def _minify_gain(exchange: Exchange) -> int:
    """Bytes on the wire minifying would save, 0 when under Lighthouse's thresholds."""
    if exchange.text is None:
        return 0
    kind = "css" if exchange.resource_type == "stylesheet" or "css" in exchange.mime else "js"
    ratio = (css_waste_ratio if kind == "css" else js_waste_ratio)(exchange.text)
    gain = round(exchange.body_bytes * ratio)
    return gain if ratio >= MINIFY_MIN_SHARE[kind] and gain >= MINIFY_MIN_BYTES else 0


def resized_images(_: Sequence[Exchange], facts: Facts) -> Practice:
    resized = _unique(
        image["src"]
        for image in facts.get("images", [])
        if image["width"] > 0
        and image["naturalWidth"] - image["width"] >= 2
        and image["naturalHeight"] - image["height"] >= 2
    )
    return _none_allowed(
        "resized-images",
        "Do not resize images in the browser",
        f"{plural(len(resized), 'image')} shrunk by the browser",
        resized,
    )


def hidden_images(_: Sequence[Exchange], facts: Facts) -> Practice:
    """An image URL none of whose ``<img>`` is rendered: one shown in a grid and also in a
    closed modal was downloaded to be seen, and is not reported."""
    images = facts.get("images", [])
    shown = {image["src"] for image in images if image["width"] or image["height"]}
    hidden = _unique(
        image["src"]
        for image in images
        if image["naturalWidth"] * image["naturalHeight"] >= 10_000 and image["src"] not in shown
    )
    return _none_allowed(
        "hidden-images",
        "Do not download images that are not displayed",
        f"{plural(len(hidden), 'image')} downloaded but not displayed",
        hidden,
    )


def bitmap_images(exchanges: Sequence[Exchange], facts: Facts) -> Practice:
    """GreenIT's budget of 0.2 byte a pixel (at least 10 kB, at most 500 kB: above that an
    image is never optimal); the gain is what exceeds it, never the whole file."""
    pixels = {i["src"]: i["naturalWidth"] * i["naturalHeight"] for i in facts.get("images", [])}
    gains, offenders = 0, []
    for e in exchanges:
        if e.mime not in BITMAP_TYPES or e.status != 200:
            continue
        floor = 50_000 if e.mime in ("image/png", "image/gif") else 10_000
        if e.body_bytes < floor:
            continue
        count = e.pixels or pixels.get(e.url, 0)
        expected = min(max(count / 5, 10_000), BITMAP_NEVER_OPTIMAL)
        gain = e.body_bytes - expected
        if gain > 500:
            gains += int(gain)
            offenders.append(e.url)
    level = "A" if not offenders else "B" if gains < 50_000 else "C"
    return _practice(
        "bitmap-formats",
        "Optimise bitmap images (WebP/AVIF, right size)",
        level,
        f"about {gains / 1000:.0f} kB to gain",
        offenders,
    )


def cookies_on_static(exchanges: Sequence[Exchange], _: Facts) -> Practice:
    sent = [e for e in exchanges if e.resource_type in STATIC_TYPES and e.request_cookie]
    total = sum(len(e.request_cookie) for e in sent)
    level = "A" if not sent else "B" if total <= 2000 else "C"
    return _practice(
        "cookies-on-static",
        "No cookies on static resources",
        level,
        f"{plural(len(sent), 'static request')} with cookies ({total} B)",
        [e.url for e in sent],
    )


def cookie_length(exchanges: Sequence[Exchange], _: Facts) -> Practice:
    longest = max((len(e.request_cookie) for e in exchanges), default=0)
    return _practice(
        "cookie-length",
        "Keep cookies short",
        _level(longest, 512, 1024),
        f"longest cookie header {longest} B",
    )


def plugins(_: Sequence[Exchange], facts: Facts) -> Practice:
    count = int(facts.get("plugins", 0))
    return _practice(
        "plugins",
        "No plugins (<object>, <embed>)",
        "C" if count else "A",
        plural(count, "plugin element"),
    )


def print_stylesheet(_: Sequence[Exchange], facts: Facts) -> Practice:
    found = int(facts.get("printStylesheets", 0))
    return _practice(
        "print-stylesheet",
        "Provide a print stylesheet",
        "A" if found else "C",
        "present" if found else "none found",
    )


def http2(exchanges: Sequence[Exchange], _: Facts) -> Practice:
    old = [e.url for e in exchanges if e.protocol.startswith("http/1")]
    return _none_allowed(
        "http2",
        "Use HTTP/2 or HTTP/3",
        f"{plural(len(old), 'response')} over HTTP/1.x",
        old,
    )


def stylesheets(exchanges: Sequence[Exchange], _: Facts) -> Practice:
    sheets = sorted({e.url for e in exchanges if e.resource_type == "stylesheet"})
    return _limited("stylesheets", "Limit the number of stylesheets", sheets, 7, 10, "stylesheet")


def web_fonts(exchanges: Sequence[Exchange], _: Facts) -> Practice:
    fonts = [
        e.url
        for e in exchanges
        if e.resource_type == "font" or any(m in e.mime for m in FONT_MARKERS)
    ]
    level = _level(len(fonts), 1, 2)
    return _practice(
        "web-fonts", "Prefer standard typefaces", level, plural(len(fonts), "font file"), fonts
    )


def social_widgets(exchanges: Sequence[Exchange], _: Facts) -> Practice:
    widgets = [e.url for e in exchanges if any(marker in e.url for marker in SOCIAL_SCRIPTS)]
    return _none_allowed(
        "social-widgets",
        "No official social-network widgets",
        plural(len(widgets), "widget script"),
        widgets,
    )


def externalize(_: Sequence[Exchange], facts: Facts) -> Practice:
    inline = int(facts.get("inlineStyles", 0)) + int(facts.get("inlineScripts", 0))
    return _practice(
        "externalize-css-js",
        "Keep CSS and JavaScript in cacheable files",
        "C" if inline > 2 else "A",
        plural(inline, "inline <style>/<script> block"),
    )


def _unique(items: Iterable[str]) -> list[str]:
    """``items`` without repeats, in their first order."""
    return list(dict.fromkeys(items))


def _header(exchange: Exchange, name: str) -> str:
    return exchange.response_headers.get(name, "").strip().lower()


CHECKS: tuple[Check, ...] = (
    compression,
    cache_headers,
    domains,
    requests,
    redirects,
    http_errors,
    failed_requests,
    minified,
    resized_images,
    hidden_images,
    bitmap_images,
    cookies_on_static,
    cookie_length,
    plugins,
    print_stylesheet,
    http2,
    stylesheets,
    web_fonts,
    social_widgets,
    externalize,
)


def check_practices(exchanges: Sequence[Exchange], facts: Facts) -> tuple[Practice, ...]:
    """Every check, in a fixed order."""
    return tuple(check(exchanges, facts) for check in CHECKS)
