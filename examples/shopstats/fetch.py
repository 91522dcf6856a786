"""HTTP client for the shop's order API and the exchange-rate service."""

from __future__ import annotations

import json
import urllib.request

import requests

API_BASE = "https://shop.example.com/api/v1"
RATES_URL = "https://rates.example.com/latest?base=EUR"
TIMEOUT = (3.05, 10)


def fetch_exchange_rates() -> dict[str, float]:
    with urllib.request.urlopen(RATES_URL, timeout=5) as resp:
        return json.load(resp)["rates"]


def fetch_order(order_id: str) -> dict:
    resp = requests.get(f"{API_BASE}/orders/{order_id}")
    resp.raise_for_status()
    return resp.json()


def fetch_orders(order_ids: list[str]) -> list[dict]:
    orders = []
    for order_id in order_ids:
        resp = requests.get(f"{API_BASE}/orders/{order_id}", timeout=TIMEOUT)
        resp.raise_for_status()
        orders.append(resp.json())
    return orders


def push_daily_reports(reports: dict[str, str], token: str) -> int:
    """Upload each day's rendered report; returns how many were accepted."""
    accepted = 0
    for day, body in reports.items():
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        resp = session.put(f"{API_BASE}/reports/{day}", data=body.encode(), timeout=TIMEOUT)
        if resp.ok:
            accepted += 1
        session.close()
    return accepted


class ShopClient:
    """One pooled session, explicit timeouts, server-side filtering."""

    def __init__(self, token: str, base: str = API_BASE) -> None:
        self.base = base
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def orders_between(self, start: str, end: str) -> list[dict]:
        resp = self.session.get(
            f"{self.base}/orders",
            params={"from": start, "to": end, "ids": "", "page_size": 500},
            timeout=TIMEOUT,
        )
        resp.raise_for_status()
        return resp.json()["items"]

    def close(self) -> None:
        self.session.close()
