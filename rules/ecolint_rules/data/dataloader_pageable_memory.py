from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid
from ecolint_rules.data._torch import TracksTorchImport

_DATALOADER = frozenset({"torch.utils.data.DataLoader", "torch.utils.data.dataloader.DataLoader"})
_PIN_MEMORY_POSITION = 7  # DataLoader(dataset, batch_size, shuffle, sampler, batch_sampler,
#                           num_workers, collate_fn, pin_memory, …)


class DataloaderPageableMemory(TracksTorchImport, Rule):
    """## What it does
    Flags `torch.utils.data.DataLoader(...)` built without `pin_memory=True`, only in
    files that move tensors to a CUDA device: `.cuda()`, or `.to(...)` with a `"cuda…"`
    string, a `torch.device(...)` or a name such as `device` / `dev`.

    ## Why is this wasteful?
    A copy from ordinary (pageable) host memory to the GPU first goes through a pinned
    staging buffer, and it is synchronous: the GPU waits idle while each batch is copied.
    Batches collated into pinned memory can be copied directly, asynchronously
    (`.to(device, non_blocking=True)`), overlapping with computation.

    ## Example
    ```python
    loader = DataLoader(dataset, batch_size=64)
    for x, y in loader:
        x, y = x.to("cuda"), y.to("cuda")
    ```

    Use instead:
    ```python
    loader = DataLoader(dataset, batch_size=64, pin_memory=True)
    for x, y in loader:
        x, y = x.to("cuda", non_blocking=True), y.to("cuda", non_blocking=True)
    ```

    ## Evidence
    Not measured: the saving is in host-to-GPU copies and this machine has no GPU (torch
    refuses to pin memory without CUDA). `bench/rules/eco507_dataloader_pageable_memory.py`
    runs the comparison on a machine with CUDA and says so and stops without one. The
    PyTorch docs ("CUDA semantics: Use pinned memory buffers"; the tutorial "A guide on
    good usage of `non_blocking` and `pin_memory()`") report faster host-to-device copies
    from pinned memory and the overlap of copy and compute that `non_blocking=True` allows.

    Summary: not measured: needs a GPU, this machine has none (PyTorch docs: faster,
    asynchronous copies from pinned memory).

    ## References
    - creedengo GCI102 (which fires even in CPU-only code)
    - PyTorch docs, `torch.utils.data` "Memory Pinning"
    """

    code = "ECO507"
    name = "dataloader-pageable-memory"
    message = (
        "`DataLoader` without `pin_memory=True` in code that copies batches to the GPU; "
        "pin them and copy with `non_blocking=True`"
    )
    impact = "medium"
    VALID = [
        Valid(
            """
            from torch.utils.data import DataLoader

            loader = DataLoader(ds, batch_size=8)
            for x in loader:
                train(x)
            """
        ),
        Valid(
            """
            from torch.utils.data import DataLoader

            loader = DataLoader(ds, batch_size=8, pin_memory=True)
            for x in loader:
                train(x.cuda())
            """
        ),
        Valid(
            """
            from torch.utils.data import DataLoader

            loader = DataLoader(ds, **options)
            for x in loader:
                train(x.to(device))
            """
        ),
        Valid(
            """
            from torch.utils.data import DataLoader

            loader = DataLoader(ds)
            for x in loader:
                train(x.to('cpu'))
            """
        ),
        Valid("""
            loader = DataLoader(ds)
            for x in loader:
                train(x.cuda())
            """),
    ]
    INVALID = [
        Invalid(
            """
            import torch
            from torch.utils.data import DataLoader

            loader = DataLoader(ds, batch_size=64, shuffle=True)
            device = torch.device('cuda')
            for x, y in loader:
                x, y = x.to(device), y.to(device)
            """,
            line=4,
        ),
        Invalid(
            """
            import torch.utils.data as tud

            def batches(ds):
                for x in tud.DataLoader(ds, 32, pin_memory=False):
                    yield x.cuda()
            """,
            line=4,
        ),
        Invalid(
            """
            import torch

            train = torch.utils.data.DataLoader(a)
            test = torch.utils.data.DataLoader(b)
            model.to('cuda:0')
            """,
            line=3,
            count=2,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        self._loaders: list[cst.Call] = []
        self._moves_to_cuda = False

    def visit_Call(self, node: cst.Call) -> None:
        if not self.uses_torch:
            return
        func = node.func
        if isinstance(func, cst.Attribute):
            if not self._moves_to_cuda and _moves_to_cuda(self, func.attr.value, node):
                self._moves_to_cuda = True
            if func.attr.value != "DataLoader":
                return
        elif not isinstance(func, cst.Name):
            return
        if self.qualified_name(node) in _DATALOADER and not _pins(node):
            self._loaders.append(node)

    def leave_Module(self, original_node: cst.Module) -> None:
        if self._moves_to_cuda:
            for loader in self._loaders:
                self.report(loader)


def _pins(call: cst.Call) -> bool:
    """Whether `pin_memory` is on, or may be (passed through `**kwargs` or a variable)."""
    if any(a.star == "**" for a in call.args):
        return True
    positional = [a for a in call.args if a.keyword is None]
    value = next(
        (a.value for a in call.args if a.keyword and a.keyword.value == "pin_memory"), None
    )
    if value is None and len(positional) > _PIN_MEMORY_POSITION:
        value = positional[_PIN_MEMORY_POSITION].value
    if value is None:
        return False
    return not (isinstance(value, cst.Name) and value.value == "False")


def _moves_to_cuda(rule: Rule, method: str, call: cst.Call) -> bool:
    if method == "cuda":
        return True
    if method != "to" or not call.args:
        return False
    target = call.args[0].value
    if isinstance(target, cst.SimpleString):
        value = target.evaluated_value
        return isinstance(value, str) and value.startswith("cuda")
    if isinstance(target, cst.Call):
        return rule.qualified_name(target) == "torch.device"
    name = target.attr.value if isinstance(target, cst.Attribute) else None
    if isinstance(target, cst.Name):
        name = target.value
    return name is not None and ("device" in name.lower() or name in ("dev", "gpu"))
