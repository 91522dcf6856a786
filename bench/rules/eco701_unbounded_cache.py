"""ECO701 unbounded-cache: memory kept by @functools.cache vs @lru_cache(maxsize=1024).

A service renders n distinct user ids, each one twice in a row (so both caches serve the
second call). The time table comes from the paired harness; the memory table gives the
bytes still held by the cache once the n ids have been seen (tracemalloc), which is what
a long-running process keeps for good with the unbounded form.
"""

from __future__ import annotations

import argparse
import functools
import tracemalloc

from harness import main

BOUND = 1024


def _render(user_id: int) -> str:
    return f"<p class='user'>user #{user_id}</p>"


def _workload(render, n: int) -> int:
    total = 0
    for user_id in range(n):
        total += len(render(user_id)) + len(render(user_id))
    return total


def setup(n: int) -> int:
    return n


def bad(n: int) -> int:
    return _workload(functools.cache(_render), n)  # the form ECO701 flags


def good(n: int) -> int:
    return _workload(functools.lru_cache(maxsize=BOUND)(_render), n)


def retained_bytes(make_cache, n: int) -> int:
    """Bytes allocated and still alive once ``n`` ids went through a fresh cache."""
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    render = make_cache(_render)
    _workload(render, n)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del render
    return after - before


def _sizes() -> list[int]:
    """The ``--sizes`` the harness was given, for the memory table."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 10_000, 1_000_000])
    return parser.parse_known_args()[0].sizes


def memory_table(sizes: list[int]) -> None:
    print(f"{'n':>10}  {'cache':>12}  {f'lru({BOUND})':>12}  {'ratio':>8}")
    for n in sizes:
        unbounded = retained_bytes(functools.cache, n)
        bounded = retained_bytes(functools.lru_cache(maxsize=BOUND), n)
        print(
            f"{n:>10}  {unbounded / 1e6:>10.2f}MB  {bounded / 1e6:>10.3f}MB  "
            f"{unbounded / bounded:>7.1f}x"
        )


if __name__ == "__main__":
    main(__doc__, setup, bad, good)
    memory_table(_sizes())
