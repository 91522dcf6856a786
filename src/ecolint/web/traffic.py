"""What a page downloaded, recorded from Playwright's network events.

Counting rule (ecoindex-cli's, which reads Playwright's HAR): a request counts when the
page (or one of its frames) made it and a response arrived — each hop of a redirect chain
is one request; Chrome's own favicon fetch and failed requests are not counted. Bytes are
those on the wire: response headers plus the encoded (compressed) body, from
``request.sizes()`` — the same figure as HAR ``_transferSize``. Checked in the tests
against the bytes the fixture server really wrote.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any

# Bodies of these types are read, for the compression and minification checks.
TEXT_TYPES = ("text/", "javascript", "json", "xml", "svg", "ecmascript", "manifest")
MAX_BODY_READ = 5_000_000


@dataclass(frozen=True)
class Exchange:
    """One request and its response, as the best-practice checks need it."""

    url: str
    status: int
    resource_type: str  # Playwright's: document, stylesheet, image, script, font, xhr, …
    mime: str
    transfer_bytes: int  # headers + encoded body
    body_bytes: int  # encoded body only
    protocol: str = ""  # "http/1.1", "h2", "h3" (from the DevTools protocol)
    response_headers: dict[str, str] = field(default_factory=dict)
    request_cookie: str = ""
    decoded_bytes: int | None = None  # read for text types only
    text: str | None = None  # decoded body of stylesheets and scripts


class TrafficRecorder:
    """Collects the requests of one context from ``start()`` on."""

    def __init__(self) -> None:
        self._finished: list[Any] = []
        self._pending: set[Any] = set()
        self._protocols: dict[str, str] = {}
        self._idle = asyncio.Event()
        self._idle.set()

    async def start(self, context: Any, page: Any, disable_cache: bool) -> None:
        context.on("request", self._on_request)
        context.on("requestfinished", self._on_finished)
        context.on("requestfailed", self._on_failed)
        cdp = await context.new_cdp_session(page)
        cdp.on("Network.responseReceived", self._on_response)
        cdp.on("Network.requestWillBeSent", self._on_redirect)
        await cdp.send("Network.enable")
        if disable_cache:  # after a journey, measure a first visit, not a warm cache
            await cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

    # Playwright needs Python functions as handlers (not set.add): one method per event.
    def _on_request(self, request: Any) -> None:
        self._pending.add(request)
        self._idle.clear()

    def _on_failed(self, request: Any) -> None:
        self._done(request)

    def _on_finished(self, request: Any) -> None:
        self._done(request)
        self._finished.append(request)

    def _done(self, request: Any) -> None:
        self._pending.discard(request)
        if not self._pending:
            self._idle.set()

    def _on_response(self, event: dict[str, Any]) -> None:
        response = event.get("response", {})
        self._protocols[response.get("url", "")] = response.get("protocol", "")

    def _on_redirect(self, event: dict[str, Any]) -> None:
        response = event.get("redirectResponse")
        if response:
            self._protocols[response.get("url", "")] = response.get("protocol", "")

    async def settle(self, timeout_s: float) -> None:
        """Wait until requests in flight are done (lazy images started by the scroll)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), timeout_s)

    async def exchanges(self) -> list[Exchange]:
        """The finished requests, in the order they finished (the context must be open)."""
        return list(await asyncio.gather(*(self._exchange(r) for r in self._finished)))

    async def _exchange(self, request: Any) -> Exchange:
        response = await request.response()
        sizes = await request.sizes()
        body_bytes = max(int(sizes.get("responseBodySize", 0)), 0)
        header_bytes = max(int(sizes.get("responseHeadersSize", 0)), 0)
        headers = await response.all_headers() if response is not None else {}
        request_headers = await request.all_headers()
        mime = headers.get("content-type", "").split(";")[0].strip().lower()
        status = response.status if response is not None else 0
        decoded, text = None, None
        readable = response is not None and 200 <= status < 300 and _is_text(mime)
        if readable and body_bytes <= MAX_BODY_READ:
            try:
                body = await response.body()
            except Exception:  # a body the browser already dropped: sizes still count
                body = None
            if body is not None:
                decoded = len(body)
                if request.resource_type in ("stylesheet", "script") or "css" in mime:
                    text = body.decode("utf-8", errors="replace")
        return Exchange(
            url=request.url,
            status=status,
            resource_type=request.resource_type,
            mime=mime,
            transfer_bytes=body_bytes + header_bytes,
            body_bytes=body_bytes,
            protocol=self._protocols.get(request.url, "").lower(),
            response_headers=dict(headers),
            request_cookie=request_headers.get("cookie", ""),
            decoded_bytes=decoded,
            text=text,
        )


def _is_text(mime: str) -> bool:
    return any(marker in mime for marker in TEXT_TYPES)
