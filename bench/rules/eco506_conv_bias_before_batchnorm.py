"""ECO506 conv-bias-before-batchnorm: a training step of Conv2d + BatchNorm2d, with vs without bias.

n is the batch size of 32-channel 32×32 images; the step is forward, a sum loss and
backward through `Conv2d(32, 64, 3, padding=1)` then `BatchNorm2d(64)`. The bias-free
layer gets the same weights, so both forms compute the same loss. CPU build of torch,
in its own venv:
    python3 -m venv bench/.torch-venv
    bench/.torch-venv/bin/pip install torch==2.13.0 numpy
    bench/.torch-venv/bin/python bench/rules/eco506_conv_bias_before_batchnorm.py
"""

from __future__ import annotations

import torch
from harness import main

torch.manual_seed(506)
torch.set_num_threads(1)  # the machine is shared: one thread keeps the pairs comparable
WITH_BIAS = torch.nn.Sequential(torch.nn.Conv2d(32, 64, 3, padding=1), torch.nn.BatchNorm2d(64))
WITHOUT_BIAS = torch.nn.Sequential(
    torch.nn.Conv2d(32, 64, 3, padding=1, bias=False), torch.nn.BatchNorm2d(64)
)
with torch.no_grad():
    WITHOUT_BIAS[0].weight.copy_(WITH_BIAS[0].weight)


def setup(n: int) -> torch.Tensor:
    return torch.randn(n, 32, 32, 32, generator=torch.Generator().manual_seed(n))


def _step(block: torch.nn.Module, images: torch.Tensor) -> float:
    block.zero_grad()
    loss = (block(images) ** 2).mean()
    loss.backward()
    return round(float(loss.detach()), 3)


def bad(images: torch.Tensor) -> float:
    return _step(WITH_BIAS, images)  # the form ECO506 flags


def good(images: torch.Tensor) -> float:
    return _step(WITHOUT_BIAS, images)


if __name__ == "__main__":
    main(__doc__, setup, bad, good, sizes=(1, 8, 64))
