"""ECO703 dataclass-without-slots: n live instances of a 3-field dataclass, without vs with slots.

The memory table gives the bytes held by a list of n `Point(x, y, label)` instances
(tracemalloc), `@dataclass` (the form ECO703 flags) against `@dataclass(slots=True)`.
The time table (paired harness) builds the n instances and reads their fields once.
"""

from __future__ import annotations

import argparse
import tracemalloc
from dataclasses import dataclass

from harness import main


@dataclass  # noqa: ECO703 - the form ECO703 flags
class DictPoint:
    x: float
    y: float
    label: str


@dataclass(slots=True)
class SlotPoint:
    x: float
    y: float
    label: str


LABELS = ("a", "b", "c")


def build(cls, n: int) -> list:
    return [cls(i * 0.5, i * 0.25, LABELS[i % 3]) for i in range(n)]


def workload(cls, n: int) -> float:
    points = build(cls, n)
    return sum(p.x + p.y for p in points)


def setup(n: int) -> int:
    return n


def bad(n: int) -> float:
    return workload(DictPoint, n)


def good(n: int) -> float:
    return workload(SlotPoint, n)


def held_bytes(cls, n: int) -> int:
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    points = build(cls, n)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del points
    return after - before


def memory_table(sizes: list[int]) -> None:
    print(f"{'n':>10}  {'dict':>11}  {'slots':>11}  {'ratio':>6}  bytes/instance")
    for n in sizes:
        plain, slotted = held_bytes(DictPoint, n), held_bytes(SlotPoint, n)
        print(
            f"{n:>10}  {plain / 1e6:>9.2f}MB  {slotted / 1e6:>9.2f}MB  {plain / slotted:>5.2f}x"
            f"  {plain / n:.0f} / {slotted / n:.0f}"
        )


def _sizes() -> list[int]:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 10_000, 1_000_000])
    return parser.parse_known_args()[0].sizes


if __name__ == "__main__":
    memory_table(_sizes())
    main(__doc__, setup, bad, good)
