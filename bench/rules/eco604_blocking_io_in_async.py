"""ECO604 blocking-io-in-async: n requests from async tasks, blocking requests vs aiohttp.

A local threaded HTTP server on 127.0.0.1, in its own process, answers each request after
`DELAY` seconds (the latency of a backend or a database behind it). n tasks gathered on
one event loop each fetch one URL, with `requests.get` called directly in the `async def`
(the form ECO604 flags: the loop is blocked during each request, so they run one after
the other) or with `await session.get` on one `aiohttp.ClientSession` (the requests
overlap, at most 100 at a time). Both forms reuse pooled keep-alive connections. The
figures are the wall time of the whole batch (median of paired runs) and the client
process's CPU time.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import socket
import statistics
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import aiohttp
import requests

DELAY = 0.010


class _SlowHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # Without it, Nagle's algorithm and delayed ACKs add 40 ms to each response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        time.sleep(DELAY)
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


async def blocking_batch(url: str, n: int, session: requests.Session) -> int:
    async def task(i: int) -> int:
        return len(session.get(f"{url}/{i}", timeout=10).content)  # the form ECO604 flags

    return sum(await asyncio.gather(*(task(i) for i in range(n))))


async def async_batch(url: str, n: int, session: aiohttp.ClientSession) -> int:
    async def task(i: int) -> int:
        async with session.get(f"{url}/{i}") as response:
            return len(await response.read())

    return sum(await asyncio.gather(*(task(i) for i in range(n))))


def run_blocking(url: str, n: int) -> int:
    with requests.Session() as session:
        return asyncio.run(blocking_batch(url, n, session))


def run_async(url: str, n: int) -> int:
    async def main() -> int:
        connector = aiohttp.TCPConnector(limit=100)
        timeout = aiohttp.ClientTimeout(total=None, sock_read=10)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
            return await async_batch(url, n, session)

    return asyncio.run(main())


def _serve(port_queue) -> None:
    server = _Server(("127.0.0.1", 0), _SlowHandler)
    port_queue.put(server.server_address[1])
    server.serve_forever()


def timed(function, url: str, n: int) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    function(url, n)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10, 100, 1000])
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    ports = multiprocessing.Queue()
    server = multiprocessing.Process(target=_serve, args=(ports,), daemon=True)
    server.start()
    url = f"http://127.0.0.1:{ports.get(timeout=30)}"
    print(__doc__.strip().splitlines()[0])
    print(f"server delay per request: {DELAY * 1000:.0f} ms")
    print(f"{'n':>6}  {'blocking wall':>13}  {'async wall':>10}  {'ratio':>10}  {'CPU b/a':>12}")
    try:
        for n in args.sizes:
            assert run_blocking(url, n) == run_async(url, n)
            blocking, awaited, ratios = [], [], []
            for _ in range(args.pairs):
                blocking.append(timed(run_blocking, url, n))
                awaited.append(timed(run_async, url, n))
                ratios.append(blocking[-1][0] / awaited[-1][0])
            b_wall = statistics.median(w for w, _ in blocking)
            a_wall = statistics.median(w for w, _ in awaited)
            b_cpu = statistics.median(c for _, c in blocking)
            a_cpu = statistics.median(c for _, c in awaited)
            print(
                f"{n:>6}  {b_wall:>12.3f}s  {a_wall:>9.3f}s  {statistics.median(ratios):>9.1f}x  "
                f"{b_cpu:>5.2f}/{a_cpu:.2f}s"
            )
    finally:
        server.terminate()
        server.join()


if __name__ == "__main__":
    main()
