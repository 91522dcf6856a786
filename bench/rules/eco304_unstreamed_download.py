"""ECO304 unstreamed-download: `f.write(requests.get(url).content)` vs streaming chunks.

`n` is the body size in kB, served by a local HTTP server on 127.0.0.1 (no internet),
written to a temporary file. The good form uses `stream=True` and `iter_content(64 kB)`.
Both reuse one `requests.Session`. After the table the script prints the peak memory
(tracemalloc) of one download of each form: the saving is memory, not time.
"""

from __future__ import annotations

import atexit
import os
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
from harness import main, print_peak_memory

_DIR = tempfile.TemporaryDirectory()
atexit.register(_DIR.cleanup)
_BLOCK = os.urandom(1024)
SIZES = (100, 10_000, 100_000)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        kilobytes = int(self.path.rsplit("/", 1)[1])
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(kilobytes * 1024))
        self.end_headers()
        for _ in range(kilobytes):
            self.wfile.write(_BLOCK)

    def log_message(self, format: str, *args: object) -> None:
        pass


_SERVER = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
_SERVER.daemon_threads = True
threading.Thread(target=_SERVER.serve_forever, daemon=True).start()
_URL = f"http://127.0.0.1:{_SERVER.server_address[1]}"
_SESSION = requests.Session()


def setup(n: int) -> tuple[str, str]:
    return f"{_URL}/bytes/{n}", os.path.join(_DIR.name, f"download_{n}.bin")


def bad(state: tuple[str, str]) -> int:
    url, path = state
    resp = _SESSION.get(url, timeout=30)
    with open(path, "wb") as f:
        f.write(resp.content)  # the form ECO304 flags
    return os.path.getsize(path)


def good(state: tuple[str, str]) -> int:
    url, path = state
    with _SESSION.get(url, stream=True, timeout=30) as resp, open(path, "wb") as f:
        for chunk in resp.iter_content(chunk_size=1 << 16):
            f.write(chunk)
    return os.path.getsize(path)


if __name__ == "__main__":
    main(__doc__, setup, bad, good, sizes=SIZES)
    print_peak_memory(setup, bad, good, SIZES, "n kB")
