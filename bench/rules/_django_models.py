"""A minimal Django project configured in-process for the ECO404–ECO406 benchmarks.

SQLite in memory by default; the PostgreSQL server named by ``ECOLINT_BENCH_PG`` otherwise,
or a temporary SQLite file with ``ECOLINT_BENCH_SQLITE_FILE=1`` (writes that reach the disk).
Two models, ``Author`` and ``Book`` (a foreign key to ``Author``), created without
migrations.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import django
from _databases import PG_URL, sqlite_path
from django.conf import settings


def _database() -> dict[str, object]:
    if PG_URL:
        url = urlsplit(PG_URL)
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": url.path.lstrip("/") or "postgres",
            "USER": url.username or "postgres",
            "HOST": url.hostname or "127.0.0.1",
            "PORT": str(url.port or 5432),
        }
    name = sqlite_path("django.db") if os.environ.get("ECOLINT_BENCH_SQLITE_FILE") else ":memory:"
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": name}


def describe() -> str:
    if PG_URL:
        return f"Django {django.get_version()} on PostgreSQL (local server, psycopg 3)"
    where = "a temporary file" if os.environ.get("ECOLINT_BENCH_SQLITE_FILE") else "memory"
    return f"Django {django.get_version()} on SQLite in {where}"


settings.configure(
    DATABASES={"default": _database()},
    INSTALLED_APPS=[],
    USE_TZ=True,
    DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
)
django.setup()

from django.db import connection, models  # noqa: E402  (needs the settings above)


class Author(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        app_label = "bench"


class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)

    class Meta:
        app_label = "bench"


def reset_tables() -> None:
    """Drop and create both tables, empty."""
    existing = set(connection.introspection.table_names())
    with connection.schema_editor() as editor:
        for model in (Book, Author):
            if model._meta.db_table in existing:
                editor.delete_model(model)
        editor.create_model(Author)
        editor.create_model(Book)


def fill(n_books: int, n_authors: int = 100) -> None:
    reset_tables()
    authors = Author.objects.bulk_create(Author(name=f"author {i}") for i in range(n_authors))
    Book.objects.bulk_create(
        Book(title=f"book {i}", author=authors[i % n_authors]) for i in range(n_books)
    )
