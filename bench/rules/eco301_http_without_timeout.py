"""ECO301 http-without-timeout: what a request without a timeout costs, on a local server.

Part 1 (wall-time harness): `n` requests to a healthy local server with
`urllib.request.urlopen(url)` vs `urlopen(url, timeout=10)`: a timeout costs nothing.
Part 2: `n` worker threads each request a URL whose server never answers (a hung
backend). After 1 s, the script counts the workers still blocked, each holding a thread
and a socket: with `timeout=0.2` they have all given up; without a timeout all n are
still stuck, and would stay stuck for as long as the server keeps the socket open.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request

from harness import main
from local_http import LocalServer

SERVER = LocalServer()


def setup(n: int) -> int:
    return n


def bad(n: int) -> list[object]:
    return [
        json.loads(urllib.request.urlopen(f"{SERVER.url}/item/{i}").read())  # flagged
        for i in range(n)
    ]


def good(n: int) -> list[object]:
    return [
        json.loads(urllib.request.urlopen(f"{SERVER.url}/item/{i}", timeout=10).read())
        for i in range(n)
    ]


def _worker(timeout: float | None) -> None:
    try:
        if timeout is None:
            urllib.request.urlopen(f"{SERVER.url}/stall").read()
        else:
            urllib.request.urlopen(f"{SERVER.url}/stall", timeout=timeout).read()
    except OSError:  # TimeoutError: the worker gives up and frees its socket
        pass


def blocked_after(n: int, timeout: float | None, wait: float = 1.0) -> int:
    workers = [threading.Thread(target=_worker, args=(timeout,), daemon=True) for _ in range(n)]
    for worker in workers:
        worker.start()
    time.sleep(wait)
    return sum(worker.is_alive() for worker in workers)


if __name__ == "__main__":
    main(__doc__, setup, bad, good, sizes=(10, 100, 1_000))
    print(f"\n{'workers':>8}  {'blocked after 1 s, no timeout':>30}  {'with timeout=0.2':>17}")
    for n in (10, 100):
        without = blocked_after(n, None)
        with_timeout = blocked_after(n, 0.2)
        print(f"{n:>8}  {without:>30}  {with_timeout:>17}")
    SERVER.close()
