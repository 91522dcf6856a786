"""ECO504 python-loop-over-array: a dot product in a Python loop vs `a @ b`.

n is the length of two float64 numpy arrays. Results are compared after rounding (the
summation orders differ).
"""

from __future__ import annotations

import os

# One BLAS thread: on a shared 2-core machine, spinning BLAS threads make `a @ b` erratic.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
from harness import main


def setup(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(504)
    return rng.random(n), rng.random(n)


def bad(state: tuple[np.ndarray, np.ndarray]) -> float:
    a, b = state
    acc = 0.0
    for i in range(len(a)):  # the form ECO504 flags
        acc += a[i] * b[i]
    return round(float(acc), 6)


def good(state: tuple[np.ndarray, np.ndarray]) -> float:
    a, b = state
    return round(float(a @ b), 6)


if __name__ == "__main__":
    main(__doc__, setup, bad, good)
