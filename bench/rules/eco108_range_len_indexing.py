"""ECO108 range-len-indexing: `for i in range(len(xs))` + `xs[i]` vs `for x in xs`."""

from __future__ import annotations

from harness import main


def setup(n: int) -> list[float]:
    return [i * 0.5 for i in range(n)]


def bad(prices: list[float]) -> float:
    total = 0.0
    for i in range(len(prices)):
        total += prices[i]
    return total


def good(prices: list[float]) -> float:
    total = 0.0
    for price in prices:
        total += price
    return total


if __name__ == "__main__":
    main(__doc__, setup, bad, good)
