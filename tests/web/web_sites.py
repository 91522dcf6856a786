"""Fixture web sites served on 127.0.0.1 for the web audit tests and the benchmark.

The server counts the bytes it writes for every response (status line, headers and body,
exactly as they leave the socket), so a test can compare what ecolint measured with what
was really sent, instead of with a figure typed into the test.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

CSS = "body {\n  margin: 0;\n  font-family: sans-serif;\n}\n\n.card {\n  padding: 1em;\n}\n" * 20
JS = (
    "(function () {\n"
    "  var list = document.getElementById('extra');\n"
    "  for (var i = 0; i < 5; i++) {\n"
    "    var item = document.createElement('li');\n"
    "    item.textContent = 'added ' + i;\n"
    "    list.appendChild(item);\n"
    "  }\n"
    "})();\n"
) * 10


def png(width: int, height: int) -> bytes:
    """A valid PNG of the given size with a gradient, so that it has real pixels to decode."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(
        b"\x00" + b"".join(bytes(((x * 13) % 256, (y * 7) % 256, 128)) for x in range(width))
        for y in range(height)
    )
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 1))
        + chunk(b"IEND", b"")
    )


@dataclass
class Resource:
    """One response of the fixture server; ``gzip`` compresses the body on the way out."""

    body: bytes
    content_type: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    gzip: bool = False
    delay_s: float = 0.0


@dataclass(frozen=True)
class Served:
    path: str
    status: int
    bytes_written: int


class _CountingWriter:
    def __init__(self, raw: object) -> None:
        self.raw = raw
        self.count = 0

    def write(self, data: bytes) -> int:
        self.count += len(data)
        return self.raw.write(data)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:  # flush, close, closed: the socket's own
        return getattr(self.raw, name)


class FixtureServer:
    """A threaded HTTP/1.1 server over a dict of path → Resource, on a free 127.0.0.1 port."""

    def __init__(self, routes: dict[str, Resource], tls: tuple[Path, Path] | None = None) -> None:
        self.routes = routes
        self.served: list[Served] = []
        self._lock = threading.Lock()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                self.wfile = _CountingWriter(self.wfile)  # type: ignore[assignment]

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                resource = server.routes.get(path) or Resource(b"not found", "text/plain", 404)
                if resource.delay_s:
                    time.sleep(resource.delay_s)
                body = resource.body
                headers = dict(resource.headers)
                if resource.gzip:
                    body = gzip.compress(body, mtime=0)
                    headers["Content-Encoding"] = "gzip"
                writer: _CountingWriter = self.wfile  # type: ignore[assignment]
                before = writer.count
                try:
                    self.send_response(resource.status)
                    self.send_header("Content-Type", resource.content_type)
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    return
                with server._lock:
                    server.served.append(Served(path, resource.status, writer.count - before))

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
            scheme = "https"
        self.base = f"{scheme}://127.0.0.1:{self._server.server_address[1]}"
        # shutdown() waits for the serving loop's next poll: 0.5 s by default, per test
        serve = functools.partial(self._server.serve_forever, poll_interval=0.02)
        self._thread = threading.Thread(target=serve, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def bytes_for(self, paths: set[str] | None = None) -> int:
        """Bytes written for the given paths (all but the favicon when None)."""
        with self._lock:
            return sum(
                s.bytes_written
                for s in self.served
                if (s.path in paths if paths is not None else s.path != "/favicon.ico")
            )

    def requests_for(self, paths: set[str] | None = None) -> int:
        with self._lock:
            return sum(
                1
                for s in self.served
                if (s.path in paths if paths is not None else s.path != "/favicon.ico")
            )

    def reset(self) -> None:
        with self._lock:
            self.served.clear()

    def __enter__(self) -> FixtureServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def serve(routes: dict[str, Resource]) -> Iterator[FixtureServer]:
    with FixtureServer(routes) as server:
        yield server


def chromium_available() -> bool:
    from ecolint.web.browser import BrowserUnavailable, find_browser

    try:
        find_browser(None)
    except BrowserUnavailable:
        return False
    return True


def need_chromium() -> None:
    from helpers import require_component

    require_component(
        chromium_available(), "Chromium", "apt-get install chromium (make deps-chromium)"
    )


def fast_options(**changes: object) -> object:
    """Audit options for tests: no waits, short timeout (the protocol's waits add 6 s)."""
    from ecolint.web.audit import AuditOptions
    from ecolint.web.measure import MeasureOptions

    measure = MeasureOptions(
        viewport=changes.pop("viewport", MeasureOptions.viewport),  # type: ignore[arg-type]
        wait_before=float(changes.pop("wait_before", 0.0)),  # type: ignore[arg-type]
        wait_after=float(changes.pop("wait_after", 0.0)),  # type: ignore[arg-type]
        timeout=float(changes.pop("timeout", 15.0)),  # type: ignore[arg-type]
    )
    return AuditOptions(measure=measure, **changes)  # type: ignore[arg-type]


# --- the fixture sites -------------------------------------------------------------------

PAGE = """<!doctype html>
<html lang="en"><head><title>{title}</title>
<link rel="stylesheet" href="/style.css"><script src="/app.js" defer></script></head>
<body><h1>Fixture</h1><ul id="extra"></ul><img src="/photo.png" width="40" height="40" alt="">
<p>Some text.</p></body></html>
"""
# html head title link script body h1 ul img p = 10 elements, + 50 <li> added by app.js
PAGE_DOM = 10 + 50


def plain_site(
    gzip: bool = False, cache: bool = False, title: str = "Fixture"
) -> dict[str, Resource]:
    """A page with a stylesheet, a script that adds 50 elements and an image."""
    cache_headers = {"Cache-Control": "public, max-age=31536000"} if cache else {}
    return {
        "/": Resource(PAGE.format(title=title).encode(), "text/html; charset=utf-8", gzip=gzip),
        "/style.css": Resource(CSS.encode(), "text/css", headers=cache_headers, gzip=gzip),
        "/app.js": Resource(JS.encode(), "text/javascript", headers=cache_headers, gzip=gzip),
        "/photo.png": Resource(png(40, 40), "image/png", headers=cache_headers),
    }


SVG_PAGE = """<!doctype html><html><head><title>svg</title></head><body>
<svg width="10" height="10"><g><rect/><rect/><circle/></g><svg><path/></svg></svg>
<svg width="10" height="10"><path/></svg><p>text</p></body></html>"""
# html head title body svg svg p = 7; the 7 svg descendants (g rect rect circle svg path path)
SVG_PAGE_DOM = 7
SVG_DESCENDANTS = 7

LAZY_PAGE = """<!doctype html><html><head><title>lazy</title></head><body>
<img src="/top.png" width="10" height="10" alt="">
<div style="height:4000px"></div>
<img loading="lazy" src="/lazy1.png" width="10" height="10" alt="">
<img loading="lazy" src="/lazy2.png" width="10" height="10" alt="">
</body></html>"""


def svg_site() -> dict[str, Resource]:
    return {"/": Resource(SVG_PAGE.encode(), "text/html")}


def lazy_site() -> dict[str, Resource]:
    return {
        "/": Resource(LAZY_PAGE.encode(), "text/html"),
        "/top.png": Resource(png(10, 10), "image/png"),
        "/lazy1.png": Resource(png(11, 11), "image/png"),
        "/lazy2.png": Resource(png(12, 12), "image/png"),
    }


def redirect_site() -> dict[str, Resource]:
    site = plain_site()
    site["/old"] = Resource(b"", "text/html", 301, {"Location": "/older"})
    site["/older"] = Resource(b"", "text/html", 302, {"Location": "/"})
    return site
