"""ECO705 redundant-collection-copy: each flagged form against its fix, on n shuffled ints.

One table per form, from the paired harness (bad and good alternate; the ratio is the
median of per-pair ratios). `reversed(sorted(x))` is measured twice: consumed by `list()`
(a copy is made) and iterated by a `for` loop (no copy, only a reverse iterator).
"""

from __future__ import annotations

import argparse
import random

from harness import compare


def _data(n: int) -> list[int]:
    values = list(range(n))
    random.Random(n).shuffle(values)
    return values


def _reverse_fixed(values: list[int]) -> list[int]:
    values = list(values)  # a fresh list per call, in both forms
    values.reverse()
    return values


def _reverse_sliced(values: list[int]) -> list[int]:
    values = list(values)
    values = values[::-1]  # the form ECO705 flags
    return values


def _iterate(iterable) -> int:
    total = 0
    for position, value in enumerate(iterable):
        total += position ^ value
    return total


FORMS = {
    "list(sorted(x)) vs sorted(x)": (lambda x: list(sorted(x)), lambda x: sorted(x)),
    "list(list(x)) vs list(x)": (lambda x: list(list(x)), lambda x: list(x)),
    "set(sorted(x)) vs set(x)": (lambda x: set(sorted(x)), lambda x: set(x)),
    "sorted(list(x)) vs sorted(x)": (lambda x: sorted(list(x)), lambda x: sorted(x)),
    "list([v for v in x]) vs [v for v in x]": (
        lambda x: list([v for v in x]),  # noqa: ECO705
        lambda x: [v for v in x],
    ),
    "list(reversed(sorted(x))) vs sorted(x, reverse=True)": (
        lambda x: list(reversed(sorted(x))),
        lambda x: sorted(x, reverse=True),
    ),
    "for over reversed(sorted(x)) vs sorted(x, reverse=True)": (
        lambda x: _iterate(reversed(sorted(x))),
        lambda x: _iterate(sorted(x, reverse=True)),
    ),
    "x = x[::-1] vs x.reverse() (copy of x in both)": (_reverse_sliced, _reverse_fixed),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 10_000, 1_000_000])
    parser.add_argument("--pairs", type=int, default=7)
    args = parser.parse_args()
    print(__doc__.strip().splitlines()[0])
    for label, (bad, good) in FORMS.items():
        print(label)
        for n, b, g, ratio in compare(_data, bad, good, args.sizes, args.pairs):
            print(f"  n={n:>9}  {b * 1e6:>11.1f}µs  {g * 1e6:>11.1f}µs  {ratio:>6.2f}x")


if __name__ == "__main__":
    main()
