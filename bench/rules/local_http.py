"""A local HTTP/1.1 keep-alive server on 127.0.0.1 for the ECO3xx benchmarks (no internet).

Routes: `/item/<i>` → one small JSON object; `/items?count=<n>` → a JSON list of n of
them; `/stall` → no answer until `release()` (a server that hangs).
"""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def item(i: int) -> dict[str, object]:
    return {"id": i, "name": f"item-{i}", "price": i * 0.25}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless the client asks to close

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without TCP_NODELAY, Nagle's algorithm
        # and the client's delayed ACK add 40 ms per response (real servers set it too).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/stall":
            self.server.stall_released.wait()  # type: ignore[attr-defined]
            body = b"{}"
        elif parts.path.startswith("/item/"):
            body = json.dumps(item(int(parts.path.rsplit("/", 1)[1]))).encode()
        elif parts.path == "/items":
            count = int(parse_qs(parts.query)["count"][0])
            body = json.dumps([item(i) for i in range(count)]).encode()
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (timed out) closed its socket: expected here


class LocalServer:
    """Serves in a daemon thread; ``host``, ``port`` and ``url`` tell where."""

    def __init__(self) -> None:
        self.httpd = _QuietServer(("127.0.0.1", 0), _Handler)
        self.httpd.stall_released = threading.Event()  # type: ignore[attr-defined]
        self.host, self.port = self.httpd.server_address[:2]
        self.url = f"http://{self.host}:{self.port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def release(self) -> None:
        self.httpd.stall_released.set()  # type: ignore[attr-defined]

    def close(self) -> None:
        self.release()
        self.httpd.shutdown()
        self.httpd.server_close()
