"""ECO510 torch-dataparallel: `nn.DataParallel` vs one process per GPU (DistributedDataParallel).

A fair comparison needs two or more GPUs and one process per GPU for the good form
(`torchrun --nproc-per-node=<gpus>`), which does not fit the in-process harness. This
script checks the hardware and says what it would need; on this machine (no GPU) the
saving cannot be measured. PyTorch's docs state that DDP is significantly faster than
DataParallel for single-node multi-GPU training (see the rule's `## Evidence`).
    python3 -m venv bench/.torch-venv
    bench/.torch-venv/bin/pip install torch==2.13.0 numpy   # CPU build: no CUDA here
    bench/.torch-venv/bin/python bench/rules/eco510_torch_dataparallel.py
"""

from __future__ import annotations

import sys

import torch

if __name__ == "__main__":
    gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
    if gpus < 2:
        print(
            f"ECO510: {gpus} CUDA device(s) on this machine; DataParallel vs DDP needs at least 2."
        )
        sys.exit(0)
    print(
        f"ECO510: {gpus} GPUs found. Time one epoch with torch.nn.DataParallel in one process, "
        "then with DistributedDataParallel under torchrun --nproc-per-node="
        f"{gpus}, on the same model and data; this script does not automate that run."
    )
