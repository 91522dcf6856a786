"""ECO509 loop-invariant-device-transfer: `w.to("cuda")` in every iteration vs once before.

n is the number of iterations, each multiplying a small GPU tensor by a 1024 × 1024
float32 weight (4 MB) that the bad form copies from the host every time. Needs a CUDA
GPU: without one it says so and stops, because `.to("cpu")` on a host tensor returns
the tensor itself and there is no copy to time.
    python3 -m venv bench/.torch-venv
    bench/.torch-venv/bin/pip install torch==2.13.0 numpy   # CPU build: no CUDA here
    bench/.torch-venv/bin/python bench/rules/eco509_loop_invariant_device_transfer.py
"""

from __future__ import annotations

import sys

import torch
from harness import main

WEIGHT = torch.randn(1024, 1024, generator=torch.Generator().manual_seed(509))


def setup(n: int) -> int:
    return n


def bad(n: int) -> float:
    x = torch.ones(1024, device="cuda")
    for _ in range(n):
        x = (WEIGHT.to("cuda") @ x).tanh()  # the form ECO509 flags
    return round(float(x.sum()), 3)


def good(n: int) -> float:
    weight = WEIGHT.to("cuda")
    x = torch.ones(1024, device="cuda")
    for _ in range(n):
        x = (weight @ x).tanh()
    return round(float(x.sum()), 3)


if __name__ == "__main__":
    if not torch.cuda.is_available():
        print("ECO509: no CUDA device on this machine; the transfer saving cannot be measured.")
        sys.exit(0)
    main(__doc__, setup, bad, good, sizes=(10, 100, 1_000))
