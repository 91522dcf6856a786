"""ECO802 static-without-cache: V page views of static assets, no-store / no-cache / max-age.

A local HTTP/1.1 server on 127.0.0.1, in its own process, serves the static assets of a
real documentation page (by default the CSS, JavaScript and four web fonts of the Rust
documentation found on this machine; `--assets` to pass others) with one of three
`Cache-Control` headers: `no-store` and `no-cache` (what ECO802 flags) and
`public, max-age=31536000, immutable` (hashed file names). A client that caches like a
browser (it stores responses unless `no-store`, revalidates with `If-None-Match` when
`no-cache`, and reuses fresh responses without asking) loads every asset once per page
view, on one keep-alive connection. For V views the table counts HTTP requests, bytes
received (headers and bodies), and the CPU time of the client and of the server process.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import multiprocessing
import socket
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psutil

STATIC = (
    Path.home()
    / ".rustup/toolchains/stable-x86_64-unknown-linux-gnu/share/doc/rust/html/static.files"
)
POLICIES = {
    "no-store": "no-store",
    "no-cache": "no-cache",
    "max-age=1y": "public, max-age=31536000, immutable",
}


def default_assets() -> list[Path]:
    fonts = ("FiraSans-Regular", "FiraSans-Medium", "SourceSerif4-Regular", "SourceCodePro-Regular")
    found = sorted(STATIC.glob("*.css")) + sorted(STATIC.glob("*.js"))
    found += [p for p in sorted(STATIC.glob("*.woff2")) if p.name.startswith(fonts)]
    return found


def _serve(folder: str, cache_control: str, ports) -> None:
    files = {f"/{p.name}": p.read_bytes() for p in Path(folder).iterdir() if p.is_file()}
    etags = {name: hashlib.sha1(body).hexdigest() for name, body in files.items()}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self) -> None:
            body, etag = files.get(self.path), etags.get(self.path)
            if body is None:
                self.send_error(404)
                return
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Cache-Control", cache_control)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", cache_control)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ports.put(server.server_address[1])
    server.serve_forever()


class BrowserLikeCache:
    """Just enough HTTP caching: no-store, no-cache (revalidate by ETag), max-age."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port)
        self.entries: dict[str, tuple[bytes, str, float]] = {}  # body, etag, expires
        self.requests = 0
        self.bytes_received = 0

    def get(self, path: str) -> bytes:
        entry = self.entries.get(path)
        if entry is not None and entry[2] > time.monotonic():
            return entry[0]
        headers = {"If-None-Match": entry[1]} if entry is not None else {}
        self.connection.request("GET", path, headers=headers)
        response = self.connection.getresponse()
        body = response.read()
        self.requests += 1
        self.bytes_received += len(body) + len(str(response.msg)) + 17  # + status line
        if response.status == 304 and entry is not None:
            body = entry[0]
        control = response.getheader("Cache-Control", "")
        if "no-store" not in control:
            lifetime = 0.0
            for part in control.split(","):
                name, _, value = part.strip().partition("=")
                if name == "max-age" and "no-cache" not in control:
                    lifetime = float(value)
            etag = response.getheader("ETag", "")
            self.entries[path] = (body, etag, time.monotonic() + lifetime)
        return body


def run_views(port: int, names: list[str], views: int) -> tuple[int, int, float]:
    client = BrowserLikeCache(port)
    cpu = time.process_time()
    for _ in range(views):
        for name in names:
            client.get(f"/{name}")
    cpu = time.process_time() - cpu
    client.connection.close()
    return client.requests, client.bytes_received, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--views", type=int, nargs="*", default=[10, 100, 1000])
    parser.add_argument("--assets", type=Path, nargs="*", default=None)
    args = parser.parse_args()
    assets = args.assets or default_assets()
    if not assets:
        raise SystemExit("no static assets found; pass some with --assets")
    folders = {p.parent for p in assets}
    if len(folders) != 1:
        raise SystemExit("--assets must all be in one folder")
    folder = str(folders.pop())
    names = [p.name for p in assets]
    total = sum(p.stat().st_size for p in assets)
    print(__doc__.strip().splitlines()[0])
    print(f"{len(names)} assets, {total / 1024:.0f} KiB per uncached page view")
    print(f"{'views':>6}  {'policy':<11} {'requests':>8}  {'received':>11}  client CPU  server CPU")
    for views in args.views:
        for label, header in POLICIES.items():
            ports = multiprocessing.Queue()
            server = multiprocessing.Process(target=_serve, args=(folder, header, ports))
            server.start()
            try:
                port = ports.get(timeout=30)
                server_process = psutil.Process(server.pid)
                before = sum(server_process.cpu_times()[:2])
                requests, received, cpu = run_views(port, names, views)
                server_cpu = sum(server_process.cpu_times()[:2]) - before
            finally:
                server.terminate()
                server.join()
            print(
                f"{views:>6}  {label:<11} {requests:>8}  {received / 1e6:>9.2f}MB  "
                f"{cpu * 1000:>8.0f}ms  {server_cpu * 1000:>8.0f}ms"
            )


if __name__ == "__main__":
    main()
