from datetime import date

import pytest

from shopstats import reports
from shopstats.catalog import Product, cheapest_in_category, count_with_prefix, descendant_categories
from shopstats.orders import all_lines, count_open, first_day, has_refunds, parse_orders, revenue

ORDERS_JSON = """[
  {"id": 1, "customer": "ada", "day": "2024-05-02", "status": "paid",
   "lines": [{"sku": "MUG-01", "qty": 2, "price": "7.50"}, {"sku": "TEA-10", "qty": 1, "price": "4.00"}]},
  {"id": 2, "customer": "bob", "day": "2024-05-01", "status": "shipped",
   "lines": [{"sku": "PAN-28", "qty": 1, "price": "39.90"}]},
  {"id": 3, "customer": "ada", "day": "2024-05-02", "status": "delivered", "refunded": true,
   "lines": [{"sku": "RUG-XL", "qty": 1, "price": "120.00"}]},
  {"id": 4, "customer": "cy", "day": "2024-05-03", "status": "new",
   "lines": [{"sku": "MUG-01", "qty": 4, "price": "7.50"}]}
]"""


@pytest.fixture
def orders():
    return parse_orders(ORDERS_JSON)


def test_revenue_skips_refunds(orders):
    assert revenue(orders) == pytest.approx(19.0 + 39.9 + 30.0)
    assert has_refunds(orders)
    assert count_open(orders) == 3


def test_lines_and_days(orders):
    assert [line.sku for line in all_lines(orders)] == ["MUG-01", "TEA-10", "PAN-28", "RUG-XL", "MUG-01"]
    assert first_day(orders) == date(2024, 5, 1)


def test_daily_totals_and_best_day(orders):
    assert reports.daily_totals(orders) == {
        date(2024, 5, 1): 39.9,
        date(2024, 5, 2): 19.0,
        date(2024, 5, 3): 30.0,
    }
    assert reports.best_day(orders) == (date(2024, 5, 1), 39.9)


def test_render_text_report(orders):
    text = reports.render_text_report(orders, title="May")
    assert text.splitlines() == [
        "May",
        "===",
        "2024-05-01       39.90",
        "2024-05-02       19.00",
        "2024-05-03       30.00",
        "total            88.90",
    ]


def test_export_csv(orders):
    rows = reports.export_csv(orders).decode().splitlines()
    assert rows[0] == "order_id,customer,day,status,total"
    assert rows[3] == "3,ada,2024-05-02,delivered,120.00"
    assert len(rows) == 5


def test_median_and_top_customers(orders):
    assert reports.median_order_value(orders) == 30.0
    assert reports.top_customers(orders, n=2) == [("bob", 39.9), ("cy", 30.0)]
    assert reports.summary(orders) == {
        "orders": 4, "refunded": 1, "revenue": 88.9, "average": 29.63, "customers": 3,
    }


def test_catalog_helpers():
    catalog = {
        p.sku: p
        for p in [
            Product("ACME-1", "Frying pan", "cookware", 39.9),
            Product("ACME-2", "Stock pot", "cookware", 54.0),
            Product("ZEN-7", "Wool rug", "rugs", 120.0),
        ]
    }
    assert cheapest_in_category(catalog, "cookware").name == "Frying pan"
    assert cheapest_in_category(catalog, "lighting") is None
    assert count_with_prefix(catalog, " acme_ ") == 2
    assert descendant_categories("home") == ["home", "lighting", "textiles", "cushions", "rugs"]
