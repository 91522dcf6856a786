"""ECO503 array-grown-in-loop: growing an array / a frame in a loop vs building it once.

Two tables: n scalars appended with `arr = np.append(arr, x)` vs a list then one
`np.array`; n one-row frames added with `df = pd.concat([df, row])` vs a list of rows
then one `pd.DataFrame`. The sizes stop where the quadratic form takes minutes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from harness import main


def setup(n: int) -> int:
    return n


def bad_numpy(n: int) -> float:
    arr = np.empty(0)
    for i in range(n):
        arr = np.append(arr, i * 0.5)  # the form ECO503 flags
    return float(arr.sum())


def good_numpy(n: int) -> float:
    values = []
    for i in range(n):
        values.append(i * 0.5)
    return float(np.array(values).sum())


def bad_pandas(n: int) -> int:
    df = pd.DataFrame({"id": pd.Series(dtype="int64"), "qty": pd.Series(dtype="int64")})
    for i in range(n):
        df = pd.concat([df, pd.DataFrame({"id": [i], "qty": [i % 7]})], ignore_index=True)
    return int(df["qty"].sum())


def good_pandas(n: int) -> int:
    rows = []
    for i in range(n):
        rows.append({"id": i, "qty": i % 7})
    df = pd.DataFrame(rows, columns=["id", "qty"])
    return int(df["qty"].sum())


if __name__ == "__main__":
    main("np.append in a loop vs list + np.array", setup, bad_numpy, good_numpy,
         sizes=(100, 10_000, 100_000))  # fmt: skip
    main("pd.concat in a loop vs list of rows + one DataFrame", setup, bad_pandas,
         good_pandas, sizes=(100, 1_000, 10_000))  # fmt: skip
