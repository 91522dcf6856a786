"""A throwaway Django project in memory for the ECO803/ECO804 benchmarks: settings, one
model on an in-memory SQLite database, and a helper to fill it."""

from __future__ import annotations


def setup_django(debug: bool = False) -> type:
    """Configure Django once per process and return the ``Product`` model (table created)."""
    import django
    from django.conf import settings

    settings.configure(
        DEBUG=debug,
        SECRET_KEY="bench-only",
        ALLOWED_HOSTS=["*"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework"],
        USE_TZ=True,
        REST_FRAMEWORK={"UNAUTHENTICATED_USER": None},
    )
    django.setup()
    from django.db import connection, models

    class Product(models.Model):
        name = models.CharField(max_length=80)
        sku = models.CharField(max_length=20)
        price = models.DecimalField(max_digits=10, decimal_places=2)
        stock = models.IntegerField()

        class Meta:
            app_label = "bench"

    with connection.schema_editor() as editor:
        editor.create_model(Product)
    return Product


def fill(model: type, rows: int) -> None:
    model.objects.all().delete()
    model.objects.bulk_create(
        (
            model(name=f"product {i}", sku=f"SKU-{i:08d}", price=i % 1000 + 0.99, stock=i % 50)
            for i in range(rows)
        ),
        batch_size=5000,
    )
