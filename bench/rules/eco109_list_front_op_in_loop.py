"""ECO109 list-front-op-in-loop: `pop(0)` / `insert(0, v)` on a list in a loop vs a deque.

Two tables: draining n items with `while q: q.pop(0)` (vs `deque.popleft`), and building n
items with `insert(0, v)` (vs `deque.appendleft`). Both sides copy the input first, so the
copy cancels out. Quadratic: the default sizes stop at 10⁵.
"""

from __future__ import annotations

from collections import deque

from harness import main


def setup(n: int) -> list[int]:
    return list(range(n))


def bad_drain(items: list[int]) -> int:
    queue = list(items)
    total = 0
    while queue:
        total += queue.pop(0)
    return total


def good_drain(items: list[int]) -> int:
    queue = deque(items)
    total = 0
    while queue:
        total += queue.popleft()
    return total


def bad_build(items: list[int]) -> list[int]:
    out: list[int] = []
    for x in items:
        out.insert(0, x)
    return out


def good_build(items: list[int]) -> list[int]:
    out: deque[int] = deque()
    for x in items:
        out.appendleft(x)
    return list(out)


if __name__ == "__main__":
    sizes = (100, 10_000, 100_000)
    main("drain: list.pop(0) vs deque.popleft()", setup, bad_drain, good_drain, sizes)
    main("build: list.insert(0, v) vs deque.appendleft(v)", setup, bad_build, good_build, sizes)
