"""ECO101 quadratic-list-summation: sum(lists, []) vs list(itertools.chain.from_iterable(lists)).

n is the number of inner lists (10 items each).
"""

from __future__ import annotations

import itertools

from harness import main


def setup(n: int) -> list[list[int]]:
    return [list(range(i, i + 10)) for i in range(n)]


def bad(lists: list[list[int]]) -> list[int]:
    return sum(lists, [])  # noqa: RUF017


def good(lists: list[list[int]]) -> list[int]:
    return list(itertools.chain.from_iterable(lists))


if __name__ == "__main__":
    main(__doc__, setup, bad, good)
