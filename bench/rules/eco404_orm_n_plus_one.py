"""ECO404 orm-n-plus-one: `book.author.name` for n books, without vs with select_related.

`n` is the number of books (100 authors). The bad form runs 1 + n queries, the good form
one join. Django in-process (see `_django_models.py`; `ECOLINT_BENCH_PG` for PostgreSQL).
"""

from __future__ import annotations

from _django_models import Book, describe, fill
from harness import main


def setup(n: int) -> int:
    fill(n)
    return n


def bad(n: int) -> int:
    return sum(len(book.author.name) for book in Book.objects.all())  # the form ECO404 flags


def good(n: int) -> int:
    return sum(len(book.author.name) for book in Book.objects.select_related("author"))


if __name__ == "__main__":
    print(describe())
    main(__doc__, setup, bad, good, sizes=(100, 1_000, 10_000))
