"""ECO406 orm-write-in-loop: n `Book.objects.create(...)` calls vs one `bulk_create`.

Both run inside one `transaction.atomic()`, so the difference is the per-row INSERT round
trip, not the commit. Django in-process (see `_django_models.py`): SQLite in memory by
default, `ECOLINT_BENCH_SQLITE_FILE=1` for a file, `ECOLINT_BENCH_PG` for PostgreSQL.
"""

from __future__ import annotations

from _django_models import Author, Book, describe, fill
from django.db import transaction
from harness import main


def setup(n: int) -> tuple[int, Author]:
    fill(0, n_authors=1)
    return n, Author.objects.get()


def bad(state: tuple[int, Author]) -> int:
    n, author = state
    with transaction.atomic():
        for i in range(n):
            Book.objects.create(title=f"book {i}", author=author)  # the form ECO406 flags
    return n


def good(state: tuple[int, Author]) -> int:
    n, author = state
    with transaction.atomic():
        Book.objects.bulk_create(Book(title=f"book {i}", author=author) for i in range(n))
    return n


bad.mutates_state = True  # type: ignore[attr-defined]
good.mutates_state = True  # type: ignore[attr-defined]

if __name__ == "__main__":
    print(describe())
    main(__doc__, setup, bad, good, sizes=(100, 1_000, 10_000))
