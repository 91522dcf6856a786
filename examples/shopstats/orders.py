"""Orders: parsing, grouping and simple aggregates."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

OPEN_STATUSES = frozenset({"new", "paid", "packed", "shipped", "backordered"})


@dataclass
class OrderLine:
    sku: str
    quantity: int
    unit_price: float

    @property
    def amount(self) -> float:
        return self.quantity * self.unit_price


@dataclass
class Order:
    order_id: str
    customer: str
    day: date
    status: str
    lines: list[OrderLine] = field(default_factory=list)
    refunded: bool = False

    @property
    def total(self) -> float:
        return round(sum(line.amount for line in self.lines), 2)


def parse_order(raw: dict) -> Order:
    lines = []
    for item in raw["lines"]:
        lines.append(OrderLine(item["sku"], int(item["qty"]), float(item["price"])))
    return Order(
        order_id=str(raw["id"]),
        customer=raw["customer"],
        day=date.fromisoformat(raw["day"]),
        status=raw.get("status", "new"),
        lines=lines,
        refunded=bool(raw.get("refunded", False)),
    )


def parse_orders(text: str) -> list[Order]:
    return [parse_order(raw) for raw in json.loads(text)]


def all_lines(orders: list[Order]) -> list[OrderLine]:
    return sum([order.lines for order in orders], [])


def revenue(orders: list[Order]) -> float:
    total = 0.0
    for i in range(len(orders)):
        if not orders[i].refunded:
            total += orders[i].total
    return round(total, 2)


def group_by_day(orders: list[Order]) -> dict[date, list[Order]]:
    by_day: dict[date, list[Order]] = defaultdict(list)
    for order in orders:
        by_day[order.day].append(order)
    return dict(sorted(by_day.items()))


def first_day(orders: list[Order]) -> date | None:
    by_day = group_by_day(orders)
    return list(by_day)[0] if by_day else None


def count_open(orders: list[Order]) -> int:
    open_count = 0
    for order in orders:
        if order.status in ["new", "paid", "packed", "shipped", "backordered"]:
            open_count += 1
    return open_count


def open_orders(orders: list[Order]) -> list[Order]:
    return [o for o in orders if o.status in OPEN_STATUSES]


def has_refunds(orders: list[Order]) -> bool:
    return any([order.refunded for order in orders])
