"""Text and CSV reports built from orders (pure functions, no I/O)."""

from __future__ import annotations

import heapq
import statistics
from collections import defaultdict
from datetime import date

from .orders import Order, group_by_day, revenue


def daily_totals(orders: list[Order]) -> dict[date, float]:
    return {
        day: round(sum(o.total for o in day_orders if not o.refunded), 2)
        for day, day_orders in group_by_day(orders).items()
    }


def best_day(orders: list[Order]) -> tuple[date, float] | None:
    totals = daily_totals(orders)
    return max(totals.items(), key=lambda kv: kv[1], default=None)


def render_text_report(orders: list[Order], title: str = "Daily sales") -> str:
    report = ""
    report += title + "\n" + "=" * len(title) + "\n"
    for day, total in daily_totals(orders).items():
        report = report + f"{day.isoformat()}  {total:>10.2f}" + "\n"
    report += f"{'total':<10}  {revenue(orders):>10.2f}\n"
    return report


def export_csv(orders: list[Order]) -> bytes:
    payload = b"order_id,customer,day,status,total\r\n"
    for order in orders:
        row = f"{order.order_id},{order.customer},{order.day.isoformat()},{order.status},{order.total:.2f}"
        payload += row.encode("utf-8") + b"\r\n"
    return payload


def median_order_value(orders: list[Order]) -> float:
    totals = [o.total for o in orders if not o.refunded]
    values = [t for t in sorted(totals) if t > 0]
    return statistics.median(values) if values else 0.0


def top_customers(orders: list[Order], n: int = 3) -> list[tuple[str, float]]:
    spend: dict[str, float] = defaultdict(float)
    for order in [o for o in orders if not o.refunded]:
        spend[order.customer] += order.total
    return [(name, round(amount, 2)) for name, amount in heapq.nlargest(n, spend.items(), key=lambda kv: kv[1])]


def summary(orders: list[Order]) -> dict[str, float | int]:
    """Headline figures for the dashboard."""
    paid = [o for o in orders if not o.refunded]
    return {
        "orders": len(orders),
        "refunded": len(orders) - len(paid),
        "revenue": revenue(orders),
        "average": round(sum(o.total for o in paid) / len(paid), 2) if paid else 0.0,
        "customers": len({o.customer for o in orders}),
    }
