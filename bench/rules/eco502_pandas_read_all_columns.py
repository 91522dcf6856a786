"""ECO502 pandas-read-all-columns: `read_csv(path)` vs `read_csv(path, usecols=[2 columns])`.

n is the number of rows of a temporary CSV file with 12 columns (ints, floats and short
strings); both forms return the sum of `price * qty`, the only columns used.
"""

from __future__ import annotations

import atexit
import os
import tempfile

import numpy as np
import pandas as pd
from harness import main

_DIR = tempfile.TemporaryDirectory()
atexit.register(_DIR.cleanup)
_FILES: dict[int, str] = {}


def setup(n: int) -> str:
    if n not in _FILES:
        rng = np.random.default_rng(502)
        frame = pd.DataFrame(
            {
                "id": np.arange(n),
                "price": rng.integers(1, 100, n),
                "qty": rng.integers(1, 10, n),
                **{f"metric_{k}": rng.random(n) for k in range(5)},
                **{
                    f"label_{k}": rng.choice(["north", "south", "east", "west"], n)
                    for k in range(4)
                },
            }
        )
        path = os.path.join(_DIR.name, f"sales_{n}.csv")
        frame.to_csv(path, index=False)
        _FILES[n] = path
    return _FILES[n]


def bad(path: str) -> int:
    df = pd.read_csv(path)  # the form ECO502 flags
    return int((df["price"] * df["qty"]).sum())


def good(path: str) -> int:
    df = pd.read_csv(path, usecols=["price", "qty"])
    return int((df["price"] * df["qty"]).sum())


if __name__ == "__main__":
    main(__doc__, setup, bad, good)
