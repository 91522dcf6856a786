"""Product catalogue: loading, SKU normalisation, lookups and category browsing."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

CATEGORY_TREE: dict[str, list[str]] = {
    "all": ["home", "kitchen", "garden"],
    "home": ["lighting", "textiles"],
    "kitchen": ["cookware", "tableware"],
    "garden": ["tools", "bbq", "outdoor"],
    "textiles": ["cushions", "rugs"],
}


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    category: str
    price: float
    tags: tuple[str, ...] = ()


@functools.lru_cache(maxsize=None)
def normalise_sku(sku: str) -> str:
    """Canonical SKU: upper case, no spaces, single dashes between groups."""
    cleaned = sku.strip().upper().replace(" ", "").replace("_", "-")
    return "-".join(part for part in cleaned.split("-") if part)


def load_catalog(path: str | Path) -> dict[str, Product]:
    """Read the catalogue CSV export (sku,name,category,price,tags)."""
    catalog: dict[str, Product] = {}
    with open(path, encoding="utf-8") as f:
        header = f.readline().strip().split(",")
        for line in f.readlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            row = dict(zip(header, line.split(",")))
            sku = normalise_sku(row["sku"])
            catalog[sku] = Product(
                sku=sku,
                name=row["name"],
                category=row["category"],
                price=float(row["price"]),
                tags=tuple(tag for tag in row.get("tags", "").split("|") if tag),
            )
    return catalog


def cheapest_in_category(catalog: dict[str, Product], category: str) -> Product | None:
    candidates = [p for p in catalog.values() if p.category == category]
    if not candidates:
        return None
    return sorted(candidates, key=lambda p: p.price)[0]


def most_expensive(catalog: dict[str, Product]) -> Product | None:
    return max(catalog.values(), key=lambda p: p.price, default=None)


def count_with_prefix(catalog: dict[str, Product], prefix: str) -> int:
    """How many SKUs belong to a supplier prefix such as ``ACME-``."""
    prefix = normalise_sku(prefix)
    count = 0
    for sku, product in catalog.items():
        if sku.startswith(prefix):
            count += 1
    return count


def descendant_categories(root: str, tree: dict[str, list[str]] = CATEGORY_TREE) -> list[str]:
    """Breadth-first list of ``root`` and all its sub-categories."""
    found = [root]
    queue = [root]
    while queue:
        current = queue.pop(0)
        for child in tree.get(current, []):
            found.append(child)
            queue.append(child)
    return found
