"""ECO104 sort-for-extreme: sorted(x, key=k)[0] vs min(x, key=k).

n is the number of records (shuffled), compared by a key function.
"""

from __future__ import annotations

import random

from harness import main


def price(record: tuple[int, float]) -> float:
    return record[1]


def setup(n: int) -> list[tuple[int, float]]:
    rng = random.Random(104)
    return [(i, rng.random()) for i in range(n)]


def bad(records: list[tuple[int, float]]) -> tuple[int, float]:
    return sorted(records, key=price)[0]


def good(records: list[tuple[int, float]]) -> tuple[int, float]:
    return min(records, key=price)


if __name__ == "__main__":
    main(__doc__, setup, bad, good)
