"""ECO803 unpaginated-collection-endpoint: a DRF list GET over n rows, all vs a page of 100.

A Django REST framework `ListAPIView` over a `Product` table of n rows (in-memory SQLite,
`_django_bench.py`) is called in-process through `APIRequestFactory` and rendered to
JSON: with `pagination_class = None` (the form ECO803 flags) every row is read,
serialised and sent; with `LimitOffsetPagination` (default limit 100) one page is. The
harness times one request each (paired runs, medians); the second table gives the
response size. The database sits in memory and no network is involved, so the real cost
of the unpaginated form (disk, network, the client's parsing) is higher still.
"""

from __future__ import annotations

import argparse

from _django_bench import fill, setup_django
from harness import main

Product = setup_django(debug=False)

from rest_framework import generics, serializers  # noqa: E402 (needs settings first)
from rest_framework.pagination import LimitOffsetPagination  # noqa: E402
from rest_framework.test import APIRequestFactory  # noqa: E402


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "name", "sku", "price", "stock"]


class Pages(LimitOffsetPagination):
    default_limit = 100


class AllProducts(generics.ListAPIView):
    queryset = Product.objects.order_by("id")
    serializer_class = ProductSerializer
    pagination_class = None  # noqa: ECO803 - the form ECO803 flags


class PagedProducts(generics.ListAPIView):
    queryset = Product.objects.order_by("id")
    serializer_class = ProductSerializer
    pagination_class = Pages


FACTORY = APIRequestFactory()
ALL_VIEW, PAGED_VIEW = AllProducts.as_view(), PagedProducts.as_view()
_filled = {"rows": -1}


def setup(n: int) -> int:
    if _filled["rows"] != n:
        fill(Product, n)
        _filled["rows"] = n
    return n


def _get(view) -> bytes:
    response = view(FACTORY.get("/products/"))
    response.render()
    return response.content


def bad(n: int) -> int:
    return min(len(_get(ALL_VIEW)), 0)  # equal results: the sizes differ by design


def good(n: int) -> int:
    return min(len(_get(PAGED_VIEW)), 0)


def size_table(sizes: list[int]) -> None:
    print(f"{'n':>8}  {'unpaginated':>12}  {'one page':>10}  ratio")
    for n in sizes:
        setup(n)
        whole, page = len(_get(ALL_VIEW)), len(_get(PAGED_VIEW))
        print(f"{n:>8}  {whole / 1e3:>10.1f}kB  {page / 1e3:>8.1f}kB  {whole / page:>5.1f}x")


def _sizes() -> list[int]:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 10_000, 100_000])
    return parser.parse_known_args()[0].sizes


if __name__ == "__main__":
    main(__doc__, setup, bad, good, sizes=(100, 10_000, 100_000))
    size_table(_sizes())
