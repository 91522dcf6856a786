"""Side-by-side timing of a rule's wasteful and fixed forms at growing input sizes.

Each ``bench/rules/ecoNNN_*.py`` script defines ``setup(n)`` → state, ``bad(state)`` and
``good(state)``, then calls ``main(__doc__, setup, bad, good)``. Bad and good run in
alternation (A B A B …) and the ratio is the median of the per-pair ratios, so that the
noise of a shared machine cancels out. The figures go into the rule's ``## Evidence``.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence
from typing import Any


def _time_once(function: Callable[[Any], object], state: Any, loops: int) -> float:
    start = time.perf_counter()
    for _ in range(loops):
        function(state)
    return (time.perf_counter() - start) / loops


def _loops_for(function: Callable[[Any], object], state: Any, target: float = 0.05) -> int:
    loops = 1
    while True:
        elapsed = _time_once(function, state, loops) * loops
        if elapsed >= target or loops >= 1_000_000:
            return loops
        loops *= 4


def compare(
    setup: Callable[[int], Any],
    bad: Callable[[Any], object],
    good: Callable[[Any], object],
    sizes: Sequence[int],
    pairs: int = 7,
) -> list[tuple[int, float, float, float]]:
    """For each n: (n, median bad seconds, median good seconds, median paired ratio)."""
    rows = []
    for n in sizes:
        state = setup(n)
        assert _normalise(bad(setup(n))) == _normalise(good(setup(n))), "bad and good differ"
        loops = max(_loops_for(bad, state), 1)
        bad_times, good_times, ratios = [], [], []
        for _ in range(pairs):
            b = _time_once(bad, setup(n) if _mutates(bad) else state, loops)
            g = _time_once(good, setup(n) if _mutates(good) else state, loops)
            bad_times.append(b)
            good_times.append(g)
            ratios.append(b / g if g else float("inf"))
        rows.append(
            (
                n,
                statistics.median(bad_times),
                statistics.median(good_times),
                statistics.median(ratios),
            )
        )
    return rows


def _mutates(function: Callable[[Any], object]) -> bool:
    return bool(getattr(function, "mutates_state", False))


def _normalise(value: object) -> object:
    return value


def main(
    title: str | None,
    setup: Callable[[int], Any],
    bad: Callable[[Any], object],
    good: Callable[[Any], object],
    sizes: Sequence[int] = (100, 10_000, 1_000_000),
) -> None:
    parser = argparse.ArgumentParser(description=(title or "").strip().splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=list(sizes))
    parser.add_argument("--pairs", type=int, default=7)
    args = parser.parse_args()
    print((title or "").strip().splitlines()[0])
    print(f"{'n':>10}  {'bad':>12}  {'good':>12}  {'bad/good':>9}")
    for n, b, g, ratio in compare(setup, bad, good, args.sizes, args.pairs):
        print(f"{n:>10}  {b * 1e6:>10.1f}µs  {g * 1e6:>10.1f}µs  {ratio:>8.2f}×")


def peak_bytes(function: Callable[[Any], object], state: Any) -> int:
    """The peak of Python allocations (tracemalloc) while ``function(state)`` runs."""
    tracemalloc.start()
    try:
        function(state)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def print_peak_memory(
    setup: Callable[[int], Any],
    bad: Callable[[Any], object],
    good: Callable[[Any], object],
    sizes: Sequence[int],
    size_label: str = "n",
) -> None:
    """A second table for rules whose saving is memory: peak bytes of each form per size."""
    print(f"\n{size_label:>10}  {'bad peak':>12}  {'good peak':>12}  {'bad/good':>9}")
    for n in sizes:
        state = setup(n)
        b, g = peak_bytes(bad, state), peak_bytes(good, state)
        print(f"{n:>10}  {b / 1e3:>10.1f}kB  {g / 1e3:>10.1f}kB  {b / max(g, 1):>8.1f}×")
