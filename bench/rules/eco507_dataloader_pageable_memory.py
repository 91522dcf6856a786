"""ECO507 dataloader-pageable-memory: a DataLoader feeding a GPU, pageable vs pinned batches.

n is the number of batches (64 × 3 × 224 × 224 float32, about 38 MB each) copied to the
GPU and reduced there; the good form pins them (`pin_memory=True`) and copies with
`non_blocking=True`. Needs a CUDA GPU: without one it says so and stops, because
pinning host memory needs the CUDA driver and there is no device copy to time.
    python3 -m venv bench/.torch-venv
    bench/.torch-venv/bin/pip install torch==2.13.0 numpy   # CPU build: no CUDA here
    bench/.torch-venv/bin/python bench/rules/eco507_dataloader_pageable_memory.py
"""

from __future__ import annotations

import sys

import torch
from harness import main
from torch.utils.data import DataLoader, TensorDataset

_IMAGES = (3, 224, 224)


def setup(n: int) -> TensorDataset:
    return TensorDataset(torch.randn(n * 64, *_IMAGES, generator=torch.Generator().manual_seed(n)))


def _run(dataset: TensorDataset, pin: bool) -> float:
    total = torch.zeros((), device="cuda")
    for (batch,) in DataLoader(dataset, batch_size=64, pin_memory=pin):
        total += batch.to("cuda", non_blocking=pin).sum()
    torch.cuda.synchronize()
    return round(float(total), -2)


def bad(dataset: TensorDataset) -> float:
    return _run(dataset, pin=False)  # the form ECO507 flags


def good(dataset: TensorDataset) -> float:
    return _run(dataset, pin=True)


if __name__ == "__main__":
    if not torch.cuda.is_available():
        print(
            "ECO507: no CUDA device on this machine; the pinned-memory saving cannot be measured."
        )
        sys.exit(0)
    main(__doc__, setup, bad, good, sizes=(4, 16, 64))
