"""ECO508 tensor-via-numpy: `torch.tensor(np.<constructor>(n))` vs the torch constructor.

Two tables: random values (`np.random.rand(n)` then a float32 tensor vs `torch.rand(n)`;
the forms are compared by shape and dtype) and zeros (`np.zeros(n)` vs `torch.zeros(n)`).
CPU build of torch, in its own venv:
    python3 -m venv bench/.torch-venv
    bench/.torch-venv/bin/pip install torch==2.13.0 numpy
    bench/.torch-venv/bin/python bench/rules/eco508_tensor_via_numpy.py
"""

from __future__ import annotations

import numpy as np
import torch
from harness import main

torch.set_num_threads(1)  # the machine is shared: one thread keeps the pairs comparable


def setup(n: int) -> int:
    return n


def bad_rand(n: int) -> tuple[tuple[int, ...], str]:
    t = torch.tensor(np.random.rand(n), dtype=torch.float32)  # the form ECO508 flags
    return tuple(t.shape), str(t.dtype)


def good_rand(n: int) -> tuple[tuple[int, ...], str]:
    t = torch.rand(n)
    return tuple(t.shape), str(t.dtype)


def bad_zeros(n: int) -> tuple[tuple[int, ...], str, float]:
    t = torch.tensor(np.zeros(n), dtype=torch.float32)
    return tuple(t.shape), str(t.dtype), float(t.sum())


def good_zeros(n: int) -> tuple[tuple[int, ...], str, float]:
    t = torch.zeros(n)
    return tuple(t.shape), str(t.dtype), float(t.sum())


if __name__ == "__main__":
    main("torch.tensor(np.random.rand(n)) vs torch.rand(n)", setup, bad_rand, good_rand)
    main("torch.tensor(np.zeros(n)) vs torch.zeros(n)", setup, bad_zeros, good_zeros)
