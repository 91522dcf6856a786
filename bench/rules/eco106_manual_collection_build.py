"""ECO106 manual-collection-build: `t = []` + `for` + `t.append(e)` vs a comprehension.

Two tables: the loop against what the autofix writes (`t = []` left in place, then
`t = [e for …]`), and against the rejected alternative fix `t.extend([e for …])`.
"""

from __future__ import annotations

from harness import main


def setup(n: int) -> list[int]:
    return list(range(n))


def bad(numbers: list[int]) -> list[int]:
    result = []
    for x in numbers:
        result.append(x * 2)
    return result


def good(numbers: list[int]) -> list[int]:
    result: list[int] = []
    result = [x * 2 for x in numbers]
    return result


def good_extend(numbers: list[int]) -> list[int]:
    result: list[int] = []
    result.extend([x * 2 for x in numbers])
    return result


if __name__ == "__main__":
    main("append loop vs the autofix (`t = [e for ...]`)", setup, bad, good)
    main("append loop vs `t.extend([e for ...])`", setup, bad, good_extend)
