from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid
from ecolint_rules.data._torch import TracksTorchImport

_DATA_PARALLEL = frozenset(
    {
        "torch.nn.DataParallel",
        "torch.nn.parallel.DataParallel",
        "torch.nn.parallel.data_parallel.DataParallel",
        "torch.nn.parallel.data_parallel",
        "torch.nn.parallel.data_parallel.data_parallel",
    }
)


class TorchDataparallel(TracksTorchImport, Rule):
    """## What it does
    Flags `torch.nn.DataParallel(...)` (and the functional
    `torch.nn.parallel.data_parallel(...)`), however they were imported.

    ## Why is this wasteful?
    `DataParallel` runs in one process: at every step it copies the model to each GPU,
    scatters the batch from the first GPU and gathers the outputs back on it, with one
    Python thread per GPU contending for the GIL. The first GPU does extra work and the
    others wait. `DistributedDataParallel` runs one process per GPU, replicates the model
    once and overlaps the gradient all-reduce with the backward pass.

    ## Example
    ```python
    model = nn.DataParallel(model)
    ```

    Use instead:
    ```python
    model = nn.parallel.DistributedDataParallel(model, device_ids=[local_rank])
    ```

    ## Evidence
    Not measured: the comparison needs two or more GPUs and the benchmark machine (a
    2-core x86-64 VM) has none.
    `bench/rules/eco510_torch_dataparallel.py` checks for them and says so and stops.
    The PyTorch docs recommend `DistributedDataParallel` "instead of this class, to do
    multi-GPU training, even if there is only a single node", and state that it is
    "significantly faster than `torch.nn.DataParallel` for single-node multi-GPU data
    parallel training" ("CUDA semantics: Use nn.parallel.DistributedDataParallel
    instead of multiprocessing or nn.DataParallel").

    Summary: not measured: needs two or more GPUs, the benchmark VM has none (PyTorch docs:
    DDP is significantly faster).

    ## References
    - GreenCodeAnalyzer (data parallelisation)
    - PyTorch docs, `torch.nn.DataParallel`; "Getting Started with Distributed Data
      Parallel"
    """

    code = "ECO510"
    name = "torch-dataparallel"
    message = "`{call}` scatters and gathers in one process; use `DistributedDataParallel`"
    impact = "medium"
    VALID = [
        Valid(
            """
            from torch.nn.parallel import DistributedDataParallel as DDP

            model = DDP(model, device_ids=[rank])
            """
        ),
        Valid("""
            from mylib import DataParallel

            model = DataParallel(model)
            """),
        Valid(
            """
            import torch

            if isinstance(model, torch.nn.DataParallel):
                model = model.module
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from torch import nn

            model = nn.DataParallel(model)
            """,
            line=3,
        ),
        Invalid(
            """
            import torch.nn.parallel as par

            def run(m, x):
                return par.data_parallel(m, x, device_ids=[0, 1])
            """,
            line=4,
        ),
        Invalid(
            """
            import torch

            net = torch.nn.DataParallel(net).cuda()
            """,
            line=3,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if not self.uses_torch:
            return
        name = self.qualified_name(node)
        if name in _DATA_PARALLEL:
            self.report(node, call=name.rsplit(".", 1)[1] + "()")
