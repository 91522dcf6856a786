"""ECO405 queryset-materialised-for-count: `len(Book.objects.all())` vs `.count()`.

`n` is the number of rows. The bad form fetches n rows and builds n model instances to count
them; the good form runs `SELECT COUNT(*)`. Django in-process (see `_django_models.py`).
After the table, the same for a truth test: `if Book.objects.filter(...)` vs `.exists()`.
"""

from __future__ import annotations

from _django_models import Book, describe, fill
from harness import compare, main

SIZES = (100, 10_000, 100_000)


def setup(n: int) -> int:
    if getattr(setup, "filled", None) != n:
        fill(n)
        setup.filled = n  # type: ignore[attr-defined]
    return n


def bad(n: int) -> int:
    return len(Book.objects.all())  # the form ECO405 flags


def good(n: int) -> int:
    return Book.objects.all().count()


def bad_truth(n: int) -> bool:
    return bool(Book.objects.filter(title__startswith="book"))  # the form ECO405 flags


def good_truth(n: int) -> bool:
    return Book.objects.filter(title__startswith="book").exists()


if __name__ == "__main__":
    print(describe())
    main(__doc__, setup, bad, good, sizes=SIZES)
    print("\ntruth test: bool(queryset) vs .exists()")
    for n, b, g, ratio in compare(setup, bad_truth, good_truth, SIZES):
        print(f"{n:>10}  {b * 1e6:>10.1f}µs  {g * 1e6:>10.1f}µs  {ratio:>8.2f}×")
