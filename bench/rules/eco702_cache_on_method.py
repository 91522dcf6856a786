"""ECO702 cache-on-method: memory kept alive by @lru_cache on a method vs @cached_property.

A service builds n short-lived `Report` objects (each holding 20 numbers), asks each one
for its total twice, then drops it. With `@lru_cache(maxsize=None)` on the method (the
form ECO702 flags) the class-wide cache keeps every `Report` alive; with the default
`@lru_cache()` it keeps the last 128; with `@cached_property` the value dies with its
instance. The table gives the bytes still allocated once all reports are dropped
(tracemalloc) and the number of `Report` instances still alive, then the paired time.
"""

from __future__ import annotations

import argparse
import functools
import gc
import tracemalloc

from harness import main


class UnboundedReport:
    def __init__(self, seed: int) -> None:
        self.values = [seed + i * 0.5 for i in range(20)]

    @functools.lru_cache(maxsize=None)  # noqa: B019, UP033, ECO701, ECO702 - the flagged form
    def total(self) -> float:
        return sum(self.values)


class DefaultCacheReport(UnboundedReport):
    @functools.lru_cache  # noqa: B019, ECO702 - flagged too: it keeps the last 128 instances
    def total(self) -> float:
        return sum(self.values)


class PropertyReport:
    def __init__(self, seed: int) -> None:
        self.values = [seed + i * 0.5 for i in range(20)]

    @functools.cached_property
    def total(self) -> float:
        return sum(self.values)


def _serve_with_method(cls, n: int) -> float:
    grand = 0.0
    for seed in range(n):
        report = cls(seed)
        grand += report.total() + report.total()
    return grand


def _serve_with_property(n: int) -> float:
    grand = 0.0
    for seed in range(n):
        report = PropertyReport(seed)
        grand += report.total + report.total
    return grand


def setup(n: int) -> int:
    return n


def bad(n: int) -> float:
    UnboundedReport.total.cache_clear()
    return _serve_with_method(UnboundedReport, n)


def good(n: int) -> float:
    return _serve_with_property(n)


def retained(run, n: int, cls) -> tuple[int, int]:
    """(bytes still allocated, instances of ``cls`` still alive) after ``run(n)``."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    run(n)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    alive = sum(1 for o in gc.get_objects() if type(o) is cls)
    return after - before, alive


def memory_table(sizes: list[int]) -> None:
    print(f"{'n':>8}  {'lru(None)':>22}  {'lru(128)':>20}  {'cached_property':>20}")
    for n in sizes:
        UnboundedReport.total.cache_clear()
        DefaultCacheReport.total.cache_clear()
        unbounded = retained(lambda k: _serve_with_method(UnboundedReport, k), n, UnboundedReport)
        default = retained(
            lambda k: _serve_with_method(DefaultCacheReport, k), n, DefaultCacheReport
        )
        prop = retained(_serve_with_property, n, PropertyReport)
        UnboundedReport.total.cache_clear()
        DefaultCacheReport.total.cache_clear()
        print(
            f"{n:>8}  {unbounded[0] / 1e6:>9.2f}MB {unbounded[1]:>7} alive  "
            f"{default[0] / 1e6:>7.2f}MB {default[1]:>6} alive  "
            f"{prop[0] / 1e6:>7.3f}MB {prop[1]:>6} alive"
        )


def _sizes() -> list[int]:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 10_000, 100_000])
    return parser.parse_known_args()[0].sizes


if __name__ == "__main__":
    memory_table(_sizes())
    main(__doc__, setup, bad, good, sizes=(100, 10_000, 100_000))
