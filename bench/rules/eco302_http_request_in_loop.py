"""ECO302 http-request-in-loop: n requests of one item each vs one request for n items.

`n` is the number of items fetched from a local HTTP server (127.0.0.1, `http.server`).
Both forms use one keep-alive `http.client.HTTPConnection`, so the difference is the
per-request round trip, headers and server work, not connection set-up (ECO303).
"""

from __future__ import annotations

import http.client
import json

from harness import main
from local_http import LocalServer

SERVER = LocalServer()


def setup(n: int) -> int:
    return n


def _get(conn: http.client.HTTPConnection, path: str) -> object:
    conn.request("GET", path)
    return json.loads(conn.getresponse().read())


def bad(n: int) -> list[object]:
    conn = http.client.HTTPConnection(SERVER.host, SERVER.port, timeout=10)
    try:
        return [_get(conn, f"/item/{i}") for i in range(n)]  # the form ECO302 flags
    finally:
        conn.close()


def good(n: int) -> list[object]:
    conn = http.client.HTTPConnection(SERVER.host, SERVER.port, timeout=10)
    try:
        return _get(conn, f"/items?count={n}")  # type: ignore[return-value]
    finally:
        conn.close()


if __name__ == "__main__":
    main(__doc__, setup, bad, good, sizes=(10, 100, 1_000, 10_000))
    SERVER.close()
