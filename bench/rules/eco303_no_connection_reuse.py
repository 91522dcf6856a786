"""ECO303 no-connection-reuse: a new connection per request vs one keep-alive connection.

`n` is the number of requests (one small JSON item each) to a local HTTP server
(127.0.0.1, `http.server`, one handler thread per connection). Two bad forms: the
`urllib.request.urlopen()` per request that ECO303 flags (a new TCP connection each time,
plus urllib's opener work), and a new `http.client.HTTPConnection` per request (the
connection cost alone). The good form sends all n requests on one keep-alive connection.
No TLS here: over HTTPS each new connection also pays a TLS handshake.
"""

from __future__ import annotations

import http.client
import json
import urllib.request

from harness import main
from local_http import LocalServer

SERVER = LocalServer()
SIZES = (10, 100, 1_000)


def setup(n: int) -> int:
    return n


def bad_urlopen(n: int) -> list[object]:
    items = []
    for i in range(n):
        with urllib.request.urlopen(f"{SERVER.url}/item/{i}", timeout=10) as resp:  # flagged
            items.append(json.loads(resp.read()))
    return items


def bad_new_connection(n: int) -> list[object]:
    items = []
    for i in range(n):
        conn = http.client.HTTPConnection(SERVER.host, SERVER.port, timeout=10)
        conn.request("GET", f"/item/{i}")
        items.append(json.loads(conn.getresponse().read()))
        conn.close()
    return items


def good(n: int) -> list[object]:
    conn = http.client.HTTPConnection(SERVER.host, SERVER.port, timeout=10)
    items = []
    for i in range(n):
        conn.request("GET", f"/item/{i}")
        items.append(json.loads(conn.getresponse().read()))
    conn.close()
    return items


if __name__ == "__main__":
    main(__doc__, setup, bad_urlopen, good, sizes=SIZES)
    print()
    title = "Connection cost alone: a new http.client.HTTPConnection per request vs one."
    main(title, setup, bad_new_connection, good, sizes=SIZES)
    SERVER.close()
