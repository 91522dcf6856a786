"""ECO505 inference-with-grad: an eval-mode MLP called with autograd on vs in inference_mode.

n is the batch size (rows of 512 features) through 4 linear layers of width 512 with
ReLU. A second table counts the activation bytes (weights excluded) that autograd saves
for a backward pass during one such call (`torch.autograd.graph.saved_tensors_hooks`):
memory that stays allocated as long as the output lives, and none under
`inference_mode`. Runs on the CPU build of torch, in its own venv:
    python3 -m venv bench/.torch-venv
    bench/.torch-venv/bin/pip install torch==2.13.0 numpy
    bench/.torch-venv/bin/python bench/rules/eco505_inference_with_grad.py
"""

from __future__ import annotations

import torch
from harness import main

torch.manual_seed(505)
torch.set_num_threads(1)  # the machine is shared: one thread keeps the pairs comparable
MODEL = torch.nn.Sequential(
    *(layer for _ in range(4) for layer in (torch.nn.Linear(512, 512), torch.nn.ReLU()))
)
MODEL.eval()


def setup(n: int) -> torch.Tensor:
    return torch.randn(n, 512, generator=torch.Generator().manual_seed(n))


def bad(batch: torch.Tensor) -> float:
    out = MODEL(batch)  # the form ECO505 flags: eval() alone keeps autograd on
    return round(float(out.detach().sum()), 2)


def good(batch: torch.Tensor) -> float:
    with torch.inference_mode():
        out = MODEL(batch)
    return round(float(out.sum()), 2)


def saved_for_backward(function, batch: torch.Tensor) -> int:
    """Bytes of the tensors autograd keeps for backward while ``function`` runs, the
    model's own weights excluded (they are allocated anyway): the activations."""
    saved = 0
    weights = {p.data_ptr() for p in MODEL.parameters()}

    def pack(tensor: torch.Tensor) -> torch.Tensor:
        nonlocal saved
        if tensor.data_ptr() not in weights:
            saved += tensor.numel() * tensor.element_size()
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        function(batch)
    return saved


if __name__ == "__main__":
    main(__doc__, setup, bad, good, sizes=(1, 10, 100, 1_000, 10_000))
    print("activation bytes saved for backward by one call (weights excluded)")
    print(f"{'n':>10}  {'autograd on':>14}  {'inference_mode':>14}")
    for n in (1, 100, 10_000):
        batch = setup(n)
        with_grad, without = saved_for_backward(bad, batch), saved_for_backward(good, batch)
        print(f"{n:>10}  {with_grad:>14,}  {without:>14,}")
