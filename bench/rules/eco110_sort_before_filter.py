"""ECO110 sort-before-filter: `[v for v in sorted(x) if c]` vs `sorted(v for v in x if c)`.

Two tables on n random ints: a selective filter (1 in 10 kept) and a loose one (9 in 10
kept); the saving is the sort of the dropped items.
"""

from __future__ import annotations

import random

from harness import main


def setup(n: int) -> list[int]:
    rng = random.Random(110)
    return [rng.randrange(1_000_000) for _ in range(n)]


def bad_selective(values: list[int]) -> list[int]:
    return [v for v in sorted(values) if v % 10 == 0]


def good_selective(values: list[int]) -> list[int]:
    return sorted(v for v in values if v % 10 == 0)


def bad_loose(values: list[int]) -> list[int]:
    return [v for v in sorted(values) if v % 10 != 0]


def good_loose(values: list[int]) -> list[int]:
    return sorted(v for v in values if v % 10 != 0)


if __name__ == "__main__":
    main("1 in 10 kept", setup, bad_selective, good_selective)
    main("9 in 10 kept", setup, bad_loose, good_loose)
