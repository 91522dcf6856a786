"""ECO107 dict-items-part-unused: `for k, v in d.items()` using one half vs `d` / `.values()`.

Two tables: the value unused (vs `for k in d`) and the key unused (vs `d.values()`), on a
dict of n int keys and values.
"""

from __future__ import annotations

from harness import main


def setup(n: int) -> dict[int, int]:
    return {i: i * 3 for i in range(n)}


def bad_keys(d: dict[int, int]) -> int:
    total = 0
    for k, _ in d.items():
        total += k
    return total


def good_keys(d: dict[int, int]) -> int:
    total = 0
    for k in d:
        total += k
    return total


def bad_values(d: dict[int, int]) -> int:
    total = 0
    for _, v in d.items():
        total += v
    return total


def good_values(d: dict[int, int]) -> int:
    total = 0
    for v in d.values():
        total += v
    return total


if __name__ == "__main__":
    main("value unused: .items() vs iterating the dict", setup, bad_keys, good_keys)
    main("key unused: .items() vs .values()", setup, bad_values, good_values)
