"""ECO804 debug-mode-enabled: Django's DEBUG query log, and the reloader of a debug server.

1. n primary-key lookups (`Product.objects.filter(pk=i).first()`) on one connection to
   an in-memory SQLite table (`_django_bench.py`), with `settings.DEBUG` True (the form
   ECO804 flags: Django then records each query's SQL and time in `connection.queries`,
   keeping the last 9,000) and False. The harness times the n queries (paired runs,
   medians); the next table gives the memory still held by the query log afterwards.
2. The development server that `app.run(debug=True)` starts: Werkzeug's `run_simple`
   with the reloader (as debug mode turns it on; the `stat` reloader, used when
   watchdog is not installed) and without, serving a WSGI app in a process that has
   imported Django and DRF; CPU time of the process tree while idle for `--idle`
   seconds. Django's per-request debug work is not measured here.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import tracemalloc

from _django_bench import fill, setup_django
from harness import main

Product = setup_django(debug=False)
fill(Product, 1000)

from django.conf import settings  # noqa: E402 (needs settings first)
from django.db import connection, reset_queries  # noqa: E402


def _queries(n: int) -> int:
    found = 0
    for i in range(n):
        found += Product.objects.filter(pk=i % 1000 + 1).first() is not None
    return found


def setup(n: int) -> int:
    return n


def bad(n: int) -> int:
    settings.DEBUG = True  # the setting ECO804 flags
    reset_queries()
    try:
        return _queries(n)
    finally:
        settings.DEBUG = False


def good(n: int) -> int:
    reset_queries()
    return _queries(n)


def memory_table(sizes: list[int]) -> None:
    print(f"{'n':>8}  {'held with DEBUG':>16}  {'without':>10}  {'logged':>7}")
    for n in sizes:
        held = []
        for debug in (True, False):
            settings.DEBUG = debug
            reset_queries()
            tracemalloc.start()
            before = tracemalloc.get_traced_memory()[0]
            _queries(n)
            held.append(tracemalloc.get_traced_memory()[0] - before)
            tracemalloc.stop()
            logged = len(connection.queries_log)
            settings.DEBUG = False
            if debug:
                logged_with_debug = logged
            reset_queries()
        print(f"{n:>8}  {held[0] / 1e6:>14.2f}MB  {held[1] / 1e6:>8.2f}MB  {logged_with_debug:>7}")


SERVER = """
import sys
import django.db.models, rest_framework  # a realistic number of imported modules
from werkzeug.serving import run_simple

def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]

run_simple("127.0.0.1", 0, app, use_reloader=sys.argv[1] == "1", reloader_type="stat")
"""


def idle_cpu(reloader: bool, seconds: float) -> tuple[float, int]:
    """CPU seconds used by the server's process tree while idle, and its process count."""
    import psutil

    command = [sys.executable, "-c", SERVER, "1" if reloader else "0"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(8)  # imports and start-up of both processes
        root = psutil.Process(server.pid)
        tree = [root, *root.children(recursive=True)]
        before = sum(sum(p.cpu_times()[:2]) for p in tree)
        time.sleep(seconds)
        after = sum(sum(p.cpu_times()[:2]) for p in tree)
        return after - before, len(tree)
    finally:
        for child in psutil.Process(server.pid).children(recursive=True):
            child.kill()
        server.kill()
        server.wait()


def reloader_table(seconds: float, runs: int = 3) -> None:
    print(f"idle development server, {seconds:.0f} s, median of {runs}:")
    for reloader in (True, False):
        samples = sorted(idle_cpu(reloader, seconds) for _ in range(runs))
        cpu, processes = samples[len(samples) // 2]
        label = "with the reloader (debug)" if reloader else "without"
        print(f"  {label:<26} {cpu * 1000:>7.0f} ms CPU, {processes} process(es)")


def _sizes() -> list[int]:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 10_000, 100_000])
    return parser.parse_known_args()[0].sizes


def _idle() -> float:
    """``--idle SECONDS``, removed from the arguments the harness parses."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--idle", type=float, default=20.0)
    known, rest = parser.parse_known_args()
    sys.argv[1:] = rest
    return known.idle


if __name__ == "__main__":
    reloader_table(_idle())
    main(__doc__, setup, bad, good, sizes=(100, 10_000, 100_000))
    memory_table(_sizes())
