"""ECO501 pandas-row-iteration: `iterrows()` / `apply(axis=1)` vs a vectorised column product.

n is the number of rows of a frame with integer `price` and `qty` columns; every form
returns the sum of `price * qty`. n stops at 10⁵: the row-wise forms take about a minute
per call at 10⁶, for a ratio that no longer changes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from harness import main

SIZES = (100, 10_000, 100_000)


def setup(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(501)
    return pd.DataFrame(
        {
            "price": rng.integers(1, 100, n),
            "qty": rng.integers(1, 10, n),
            "sku": [f"sku-{i}" for i in range(n)],
        }
    )


def bad_iterrows(df: pd.DataFrame) -> int:
    total = 0
    for _, row in df.iterrows():  # the form ECO501 flags
        total += row["price"] * row["qty"]
    return int(total)


def bad_apply(df: pd.DataFrame) -> int:
    return int(df.apply(lambda row: row["price"] * row["qty"], axis=1).sum())


def good(df: pd.DataFrame) -> int:
    return int((df["price"] * df["qty"]).sum())


if __name__ == "__main__":
    main("iterrows() vs column product", setup, bad_iterrows, good, sizes=SIZES)
    main("apply(axis=1) vs column product", setup, bad_apply, good, sizes=SIZES)
