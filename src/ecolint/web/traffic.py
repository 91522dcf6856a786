"""What a page downloaded, recorded from Playwright's network events.

Counting rule of the reference, ecoindex-scraper 3.17.0 / ecoindex-cli 2.30.1 (the last
Chromium-based releases; later ones drive Firefox): every request the page (or one of its
frames) started is one entry of Playwright's HAR, and every entry counts. Each hop of a
redirect chain is one request; Chrome's own favicon fetch and ``data:`` URLs are not
requests. A finished request weighs the bytes on the wire: response headers plus the
encoded (compressed) body, from ``request.sizes()``, the HAR ``_transferSize``. A request
that failed (DNS, refused, blocked…) or is still loading when the measurement ends has no
``_transferSize``; the reference then counts the length of the HAR ``response`` object
serialised as JSON (about 214 B, 254–261 B with the error text), and so does ecolint
(``placeholder_bytes``). Checked in the tests against the bytes the fixture server really
wrote, and on pages measured with ecoindex-scraper 3.17.0.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from ecolint.web.image_size import pixel_count

# Bodies of these types are read, for the compression and minification checks.
TEXT_TYPES = ("text/", "javascript", "json", "xml", "svg", "ecmascript", "manifest")
# Bitmaps whose header is read for their size in pixels (CSS backgrounds have no <img>).
BITMAP_TYPES = ("image/jpeg", "image/png", "image/gif", "image/bmp")
MIN_BITMAP_READ = 10_000  # smaller images are never judged by the bitmap check
MAX_BODY_READ = 5_000_000
UNFINISHED = "still loading when the measurement ended"


@dataclass(frozen=True)
class Exchange:
    """One request and its response, as the best-practice checks need it."""

    url: str
    status: int  # 0 when no response arrived
    resource_type: str  # Playwright's: document, stylesheet, image, script, font, xhr, …
    mime: str
    transfer_bytes: int  # headers + encoded body; the reference's placeholder if not finished
    body_bytes: int  # encoded body only
    protocol: str = ""  # "http/1.1", "h2", "h3" (from the DevTools protocol)
    response_headers: dict[str, str] = field(default_factory=dict)
    request_cookie: str = ""
    decoded_bytes: int | None = None  # read for text types only
    text: str | None = None  # decoded body of stylesheets and scripts
    failure: str = ""  # "" finished; Chromium's error (net::ERR_…) if it failed; or UNFINISHED
    pixels: int | None = None  # width × height read from a bitmap's own header


class TrafficRecorder:
    """Collects the requests of one context from ``start()`` on, in the order they started."""

    def __init__(self) -> None:
        self._started: list[Any] = []
        self._finished: set[Any] = set()
        self._failed: set[Any] = set()
        self._answered: set[Any] = set()  # a response arrived (request.response() would wait)
        self._protocols: dict[str, str] = {}

    async def start(self, context: Any, page: Any, disable_cache: bool) -> None:
        context.on("request", self._on_request)
        context.on("requestfinished", self._on_finished)
        context.on("requestfailed", self._on_failed)
        context.on("response", self._on_answer)
        cdp = await context.new_cdp_session(page)
        cdp.on("Network.responseReceived", self._on_response)
        cdp.on("Network.requestWillBeSent", self._on_redirect)
        await cdp.send("Network.enable")
        if disable_cache:  # after a journey, measure a first visit, not a warm cache
            await cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

    # Playwright needs Python functions as handlers (not list.append): one method per event.
    def _on_request(self, request: Any) -> None:
        self._started.append(request)

    def _on_failed(self, request: Any) -> None:
        self._failed.add(request)

    def _on_finished(self, request: Any) -> None:
        self._finished.add(request)

    def _on_answer(self, response: Any) -> None:
        self._answered.add(response.request)

    def _on_response(self, event: dict[str, Any]) -> None:
        response = event.get("response", {})
        self._protocols[response.get("url", "")] = response.get("protocol", "")

    def _on_redirect(self, event: dict[str, Any]) -> None:
        response = event.get("redirectResponse")
        if response:
            self._protocols[response.get("url", "")] = response.get("protocol", "")

    async def exchanges(self) -> list[Exchange]:
        """Every request started so far, in start order (the context must be open).

        The state of each is taken now, as the reference's HAR is when its context closes:
        a request neither finished nor failed is still loading and gets a placeholder size.
        """
        states = [
            (r, r in self._finished, r in self._failed, r in self._answered) for r in self._started
        ]
        return list(
            await asyncio.gather(
                *(
                    self._exchange(r) if done else self._unfinished(r, failed, answered)
                    for r, done, failed, answered in states
                )
            )
        )

    async def _exchange(self, request: Any) -> Exchange:
        response = await request.response()
        sizes = await request.sizes()
        # Playwright derives the body from Chromium's encodedDataLength minus the headers,
        # so their sum is that length, the HAR _transferSize: on a body cut short it can be
        # less than the headers (the body comes out negative), and the sum stays right.
        transfer = int(sizes.get("responseBodySize", 0)) + int(sizes.get("responseHeadersSize", 0))
        body_bytes = max(int(sizes.get("responseBodySize", 0)), 0)
        headers = await response.all_headers() if response is not None else {}
        request_headers = await request.all_headers()
        mime = headers.get("content-type", "").split(";")[0].strip().lower()
        status = response.status if response is not None else 0
        decoded, text, pixels = None, None, None
        ok = response is not None and 200 <= status < 300 and body_bytes <= MAX_BODY_READ
        if ok and _is_text(mime):
            body = await _body(response)
            if body is not None:
                decoded = len(body)
                if request.resource_type in ("stylesheet", "script") or "css" in mime:
                    text = body.decode("utf-8", errors="replace")
        elif ok and mime in BITMAP_TYPES and body_bytes >= MIN_BITMAP_READ:
            body = await _body(response)
            pixels = pixel_count(body) if body is not None else None
        return Exchange(
            url=request.url,
            status=status,
            resource_type=request.resource_type,
            mime=mime,
            transfer_bytes=max(transfer, 0),
            body_bytes=body_bytes,
            protocol=self._protocols.get(request.url, "").lower(),
            response_headers=dict(headers),
            request_cookie=request_headers.get("cookie", ""),
            decoded_bytes=decoded,
            text=text,
            pixels=pixels,
        )

    async def _unfinished(self, request: Any, failed: bool, answered: bool) -> Exchange:
        """A request that failed or is still loading: what the reference's HAR keeps of it."""
        failure = (request.failure or "unknown error") if failed else ""
        response = await request.response() if answered else None
        raw: list[dict[str, str]] = []
        if response is not None:
            raw = await response.headers_array()
        headers = {item["name"].lower(): item["value"] for item in raw}
        return Exchange(
            url=request.url,
            status=response.status if response is not None else 0,
            resource_type=request.resource_type,
            mime=headers.get("content-type", "").split(";")[0].strip().lower(),
            transfer_bytes=placeholder_bytes(response, raw, failure),
            body_bytes=0,
            response_headers=headers,
            failure=failure or UNFINISHED,
        )


def placeholder_bytes(response: Any, raw_headers: list[dict[str, str]], failure: str) -> int:
    """The size the reference counts for a request without ``_transferSize``.

    ecoindex-scraper 3.17.0 counts ``len(json.dumps(entry["response"]).encode())`` for such
    a HAR entry. Playwright's HAR writer fills that object with -1 sizes, the status, status
    text, raw response headers and parsed ``Set-Cookie`` cookies when a response arrived, and
    ``_failureText`` when the request failed; this rebuilds the same object.
    """
    content_type = next(
        (h["value"] for h in raw_headers if h["name"].lower() == "content-type"), None
    )
    entry: dict[str, Any] = {
        "status": response.status if response is not None else -1,
        "statusText": response.status_text if response is not None else "",
        "httpVersion": "HTTP/1.1",
        "cookies": [
            _har_cookie(h["value"]) for h in raw_headers if h["name"].lower() == "set-cookie"
        ],
        "headers": [{"name": h["name"], "value": h["value"]} for h in raw_headers],
        "content": {"size": -1, "mimeType": content_type or "x-unknown"},
        "headersSize": -1,
        "bodySize": -1,
        "redirectURL": "",
        "_transferSize": -1,
    }
    if failure:
        entry["_failureText"] = failure
    return len(json.dumps(entry).encode("utf-8"))


_ISO_DATE = "2000-01-01T00:00:00.000Z"  # the length of a JavaScript toISOString(), all it adds


def _har_cookie(header: str) -> dict[str, Any]:
    """A ``Set-Cookie`` value as Playwright's HAR writes it (only its JSON length matters)."""
    name_value, *attributes = header.split(";")
    name, _, value = name_value.partition("=") if "=" in name_value else ("", "", name_value)
    cookie: dict[str, Any] = {"name": name.strip(), "value": value.strip()}
    keys = {"domain": "domain", "path": "path", "samesite": "sameSite"}
    for attribute in attributes:
        key, _, setting = attribute.strip().partition("=")
        key = key.strip().lower()
        if key in keys:
            cookie[keys[key]] = setting.strip()
        elif key in ("expires", "max-age"):
            cookie["expires"] = _ISO_DATE
        elif key in ("httponly", "secure"):
            cookie["httpOnly" if key == "httponly" else "secure"] = True
    return cookie


async def _body(response: Any) -> bytes | None:
    try:
        return await response.body()
    except Exception:  # a body the browser already dropped: sizes still count
        return None


def _is_text(mime: str) -> bool:
    return any(marker in mime for marker in TEXT_TYPES)
