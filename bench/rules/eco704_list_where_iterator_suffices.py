"""ECO704 list-where-iterator-suffices: a temporary list vs a generator or direct iteration.

Four cases, each bad/good pair computing the same result over n integers:
- any-half: `any([x == n // 2 ...])` vs `any(x == n // 2 ...)`, the match half-way;
- any-none: the same with no match (the generator's worst case: no short-circuit);
- for-comp: `for y in [x * 2 for x in xs]` vs `for y in (x * 2 for x in xs)`;
- for-list: `for x in list(xs)` vs `for x in xs`.
Times come from the paired harness; the last table gives the peak memory of for-comp
(tracemalloc), the temporary list the generator never builds.
"""

from __future__ import annotations

import argparse

from harness import compare, peak_bytes


def setup(n: int) -> list[int]:
    return list(range(n))


def any_half_bad(xs: list[int]) -> bool:
    target = len(xs) // 2
    return any([x == target for x in xs])  # the form ECO704 flags


def any_half_good(xs: list[int]) -> bool:
    target = len(xs) // 2
    return any(x == target for x in xs)


def any_none_bad(xs: list[int]) -> bool:
    return any([x < 0 for x in xs])  # the form ECO704 flags


def any_none_good(xs: list[int]) -> bool:
    return any(x < 0 for x in xs)


def for_comp_bad(xs: list[int]) -> int:
    total = 0
    for y in [x * 2 for x in xs]:  # the form ECO704 flags
        total += y
    return total


def for_comp_good(xs: list[int]) -> int:
    total = 0
    for y in (x * 2 for x in xs):
        total += y
    return total


def for_list_bad(xs: list[int]) -> int:
    total = 0
    for x in list(xs):  # the form ECO704 flags
        total += x
    return total


def for_list_good(xs: list[int]) -> int:
    total = 0
    for x in xs:
        total += x
    return total


CASES = {
    "any-half": (any_half_bad, any_half_good),
    "any-none": (any_none_bad, any_none_good),
    "for-comp": (for_comp_bad, for_comp_good),
    "for-list": (for_list_bad, for_list_good),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 10_000, 1_000_000])
    parser.add_argument("--pairs", type=int, default=7)
    args = parser.parse_args()
    print(__doc__.strip().splitlines()[0])
    print(f"{'case':>9}  {'n':>10}  {'bad':>12}  {'good':>12}  {'bad/good':>9}")
    for case, (bad, good) in CASES.items():
        for n, b, g, ratio in compare(setup, bad, good, args.sizes, args.pairs):
            print(f"{case:>9}  {n:>10}  {b * 1e6:>10.1f}us  {g * 1e6:>10.1f}us  {ratio:>8.2f}x")
    print(f"{'for-comp peak':>14}  {'n':>10}  {'bad':>12}  {'good':>12}")
    for n in args.sizes:
        xs = setup(n)
        bad, good = peak_bytes(for_comp_bad, xs), peak_bytes(for_comp_good, xs)
        print(f"{'':>14}  {n:>10}  {bad / 1e6:>10.3f}MB  {good / 1e6:>10.3f}MB")


if __name__ == "__main__":
    main()
