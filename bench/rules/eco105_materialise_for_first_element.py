"""ECO105 materialise-for-first-element: list(x)[0] / [... for ...][0] vs next(...).

Two tables: the first key of a dict of n entries (list(d)[0] vs next(iter(d))), and the
first even value of n integers through a comprehension vs a generator.
"""

from __future__ import annotations

from harness import main


def setup_dict(n: int) -> dict[str, int]:
    return {f"key{i}": i for i in range(n)}


def bad_dict(table: dict[str, int]) -> str:
    return list(table)[0]  # noqa: RUF015


def good_dict(table: dict[str, int]) -> str:
    return next(iter(table))


def setup_values(n: int) -> list[int]:
    return list(range(1, n + 1))


def bad_comprehension(values: list[int]) -> int:
    return [v * v for v in values if v % 2 == 0][0]  # noqa: RUF015


def good_comprehension(values: list[int]) -> int:
    return next(v * v for v in values if v % 2 == 0)


if __name__ == "__main__":
    main("first key of a dict: list(d)[0] vs next(iter(d))", setup_dict, bad_dict, good_dict)
    main(
        "first match: [... for ... if ...][0] vs next(<generator>)",
        setup_values,
        bad_comprehension,
        good_comprehension,
    )
