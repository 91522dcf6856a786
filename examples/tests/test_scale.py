"""The report functions on a month of a busier shop (3000 orders)."""

import json
from datetime import date

import pytest

from shopstats import reports
from shopstats.orders import all_lines, parse_orders, revenue


@pytest.fixture(scope="module")
def month():
    raw = [
        {
            "id": n,
            "customer": f"c{n % 150}",
            "day": date(2024, 5, 1 + n % 31).isoformat(),
            "status": "paid",
            "refunded": n % 50 == 0,
            "lines": [{"sku": f"SKU-{n % 40}", "qty": 1 + n % 3, "price": "9.90"}] * 3,
        }
        for n in range(3000)
    ]
    return parse_orders(json.dumps(raw))


def test_a_month_of_orders_renders_one_line_per_day(month):
    text = reports.render_text_report(month, title="May")
    assert len(text.splitlines()) == 2 + 31 + 1


def test_csv_export_of_a_month(month):
    assert len(reports.export_csv(month).splitlines()) == 3001


def test_all_lines_of_a_month(month):
    assert len(all_lines(month)) == 9000


def test_revenue_and_summary_agree(month):
    assert reports.summary(month)["revenue"] == revenue(month)
    assert len(reports.top_customers(month, n=5)) == 5
