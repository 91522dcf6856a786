"""Sizes as the reference counts them, pixel counts read from image headers (no browser)."""

from __future__ import annotations

import asyncio
import json
import struct
from types import SimpleNamespace

import pytest
from web_sites import png

from ecolint.web.image_size import pixel_count
from ecolint.web.traffic import TrafficRecorder, placeholder_bytes

# The HAR response record Playwright 1.65 wrote, in a run of ecoindex-scraper 3.17.0, for a
# script whose body was cut short (Content-Length 10000, 100 bytes sent); the reference
# counted its JSON length, 730 B.
CUT_SHORT_RECORD = {
    "status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1",
    "cookies": [{"name": "tok", "value": "abc", "path": "/",
                 "expires": "2026-12-07T00:58:47.381Z", "httpOnly": True, "sameSite": "Lax"}],
    "headers": [
        {"name": "Content-Length", "value": "10000"},
        {"name": "Content-Type", "value": "text/javascript; charset=utf-8"},
        {"name": "Date", "value": "Mon, 07 Dec 2026 00:57:47 GMT"},
        {"name": "Server", "value": "BaseHTTP/0.6 Python/3.11.7"},
        {"name": "Set-Cookie", "value": "tok=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Lax"},
    ],
    "content": {"size": -1, "mimeType": "text/javascript; charset=utf-8"},
    "headersSize": -1, "bodySize": -1, "redirectURL": "", "_transferSize": -1,
    "_failureText": "net::ERR_CONTENT_LENGTH_MISMATCH",
}  # fmt: skip


def test_a_request_that_failed_after_its_response_weighs_its_har_record():
    response = SimpleNamespace(status=200, status_text="OK")
    size = placeholder_bytes(
        response, CUT_SHORT_RECORD["headers"], "net::ERR_CONTENT_LENGTH_MISMATCH"
    )
    assert size == len(json.dumps(CUT_SHORT_RECORD).encode()) == 730


@pytest.mark.parametrize(
    ("failure", "size"),
    [
        ("", 214),  # still loading, no response yet
        ("net::ERR_UNSAFE_PORT", 254),
        ("net::ERR_NAME_NOT_RESOLVED", 260),
    ],
)
def test_a_request_without_response_weighs_what_the_reference_counted(failure: str, size: int):
    # the sizes ecoindex-scraper 3.17.0 gave such requests on the review's pages
    assert placeholder_bytes(None, [], failure) == size


class _Request:
    """Just what ``TrafficRecorder`` reads of a finished Playwright request."""

    url = "http://a.test/cut.png"
    resource_type = "image"

    def __init__(self, sizes: dict[str, int]) -> None:
        self._sizes = sizes

    async def response(self) -> SimpleNamespace:
        async def headers() -> dict[str, str]:
            return {"content-type": "image/png"}

        return SimpleNamespace(status=200, all_headers=headers)

    async def sizes(self) -> dict[str, int]:
        return self._sizes

    async def all_headers(self) -> dict[str, str]:
        return {}


def test_a_body_cut_short_weighs_chromiums_encoded_length_as_the_reference():
    """Chromium reported 100 B (encodedDataLength) for a body cut short; Playwright gives
    the body as that minus the 205 B of headers, -105. The reference's HAR ``_transferSize``
    is the 100 B, so the sum is kept as it is, not the headers alone."""
    recorder = TrafficRecorder()
    request = _Request({"responseBodySize": -105, "responseHeadersSize": 205})
    exchange = asyncio.run(recorder._exchange(request))
    assert (exchange.transfer_bytes, exchange.body_bytes) == (100, 0)


def _jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc2" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xda"


@pytest.mark.parametrize(
    ("data", "pixels"),
    [
        (png(30, 20), 600),
        (b"GIF89a" + struct.pack("<HH", 7, 5) + b"\x00" * 10, 35),
        (b"BM" + b"\x00" * 16 + struct.pack("<ii", 4, -3) + b"\x00" * 30, 12),
        (_jpeg(1900, 1267), 1900 * 1267),
        (b"\xff\xd8\xff\xe0\x00", None),  # cut before any frame
        (b"RIFF....WEBPVP8 ", None),  # not read
    ],
)
def test_pixels_are_read_from_the_image_header(data: bytes, pixels: int | None):
    assert pixel_count(data) == pixels
