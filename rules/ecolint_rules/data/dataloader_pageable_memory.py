from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid
from ecolint.lint.analysis import integer_value
from ecolint_rules.data._torch import TracksTorchImport

_DATALOADER = frozenset({"torch.utils.data.DataLoader", "torch.utils.data.dataloader.DataLoader"})
_PIN_MEMORY_POSITION = 7  # DataLoader(dataset, batch_size, shuffle, sampler, batch_sampler,
#                           num_workers, collate_fn, pin_memory, …)
_NUM_WORKERS_POSITION = 5
_NO_WORKERS_MESSAGE = (
    "`DataLoader` without `pin_memory=True` in code that copies batches to the GPU, but "
    "with no worker processes (`num_workers` defaults to 0) pinning would run in the main "
    "thread and save little; worth it with `num_workers>0`, pinned batches and "
    "`non_blocking=True` copies"
)


class DataloaderPageableMemory(TracksTorchImport, Rule):
    """## What it does
    Flags `torch.utils.data.DataLoader(...)` built without `pin_memory=True`, only in
    files that move tensors to a CUDA device: `.cuda()`, or `.to(...)` with a `"cuda…"`
    string, a `torch.device(...)` or a name such as `device` / `dev`.

    With `num_workers=0` written down the loader is skipped: with no worker processes
    the DataLoader pins each batch in the main thread, which adds the very host copy that
    pinning saves (a loader kept single-process on purpose, often because its dataset
    cannot be pickled). Without `num_workers` (it defaults to 0) the finding is graded low
    confidence for the same reason: the saving needs worker processes too.

    ## Why is this wasteful?
    A copy from ordinary (pageable) host memory to the GPU first goes through a pinned
    staging buffer, and it is synchronous: the GPU waits idle while each batch is copied.
    Batches collated into pinned memory by the loader's pinning thread can be copied
    directly, asynchronously (`.to(device, non_blocking=True)`), overlapping with
    computation.

    ## Example
    ```python
    loader = DataLoader(dataset, batch_size=64, num_workers=4)
    for x, y in loader:
        x, y = x.to("cuda"), y.to("cuda")
    ```

    Use instead:
    ```python
    loader = DataLoader(dataset, batch_size=64, num_workers=4, pin_memory=True)
    for x, y in loader:
        x, y = x.to("cuda", non_blocking=True), y.to("cuda", non_blocking=True)
    ```

    ## Evidence
    Not measured: the saving is in host-to-GPU copies and the benchmark machine (a 2-core
    x86-64 VM) has no GPU (torch refuses to pin memory without CUDA).
    `bench/rules/eco507_dataloader_pageable_memory.py` runs the comparison on a machine with
    CUDA and says so and stops without one. The PyTorch docs ("CUDA semantics: Use pinned
    memory buffers"; the tutorial "A guide on good usage of `non_blocking` and
    `pin_memory()`") report faster host-to-device copies from pinned memory and the overlap
    of copy and compute that `non_blocking=True` allows.

    Summary: not measured: needs a GPU, the benchmark VM has none (PyTorch docs: faster,
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
        Valid(
            """
            from torch.utils.data import DataLoader

            class DataManager:
                def setup_eval(self):
                    self.eval_image_dataloader = DataLoader(
                        self.eval_imagebatch_stream,
                        batch_size=1,
                        num_workers=0,  # 0, or pickling the custom processor crashes
                        collate_fn=identity_collate,
                    )

                def next_eval(self):
                    camera, data = next(self.iter_eval_image_dataloader)
                    return camera.to(self.device), data
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch
            from torch.utils.data import DataLoader

            loader = DataLoader(ds, batch_size=64, shuffle=True, num_workers=4)
            device = torch.device('cuda')
            for x, y in loader:
                x, y = x.to(device), y.to(device)
            """,
            line=4,
        ),
        Invalid(
            """
            import torch.utils.data as tud

            def batches(ds, workers):
                for x in tud.DataLoader(ds, 32, False, None, None, workers, pin_memory=False):
                    yield x.cuda()
            """,
            line=4,
        ),
        Invalid(
            """
            import torch

            train = torch.utils.data.DataLoader(a, num_workers=cfg.workers)
            test = torch.utils.data.DataLoader(b, num_workers=2)
            model.to('cuda:0')
            """,
            line=3,
            count=2,
        ),
        Invalid(
            """
            import torch.utils.data as tud

            def batches(ds):
                for x in tud.DataLoader(ds, 32, pin_memory=False):
                    yield x.cuda()
            """,
            line=4,
            confidence="low",
            message=(
                "`DataLoader` without `pin_memory=True` in code that copies batches to the "
                "GPU, but with no worker processes (`num_workers` defaults to 0) pinning would "
                "run in the main thread and save little; worth it with `num_workers>0`, "
                "pinned batches and `non_blocking=True` copies"
            ),
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
        if not self._moves_to_cuda:
            return
        for loader in self._loaders:
            workers = _argument(loader, "num_workers", _NUM_WORKERS_POSITION)
            if workers is None:
                self.report(loader, _NO_WORKERS_MESSAGE, confidence="low")
            elif integer_value(workers) != 0:
                self.report(loader)


def _argument(call: cst.Call, keyword: str, position: int) -> cst.BaseExpression | None:
    """The value passed to parameter ``keyword`` (at ``position``), or ``None``."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return positional[position].value if len(positional) > position else None


def _pins(call: cst.Call) -> bool:
    """Whether `pin_memory` is on, or may be (passed through `**kwargs` or a variable)."""
    if any(a.star == "**" for a in call.args):
        return True
    value = _argument(call, "pin_memory", _PIN_MEMORY_POSITION)
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
