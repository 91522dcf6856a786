from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, names_bound, names_read
from ecolint_rules.data._torch import TracksTorchImport

_DEVICE_STRINGS = ("cuda", "cpu", "mps", "xpu")


class LoopInvariantDeviceTransfer(TracksTorchImport, Rule):
    """## What it does
    Flags, inside a loop, in a module that imports torch, `x.cuda()`, `x.cpu()` or
    `x.to(<device>)` — a `"cuda…"` / `"cpu"` / `"mps"` string, a `torch.device(...)`, or
    a name such as `device` — where `x` is a plain name that the loop does not bind
    (neither its target nor an assignment in its body), and nor are the names in the
    arguments: the same tensor crosses to the same device on every iteration.

    ## Why is this wasteful?
    Each transfer is a copy over PCIe plus a synchronisation between host and device;
    repeated on data that has not changed, it is pure overhead that stalls the GPU
    between kernels. Moving it once before the loop does the same work once.

    ## Example
    ```python
    for x in loader:
        loss = criterion(model(x.to(device)), targets.to(device))
    ```

    Use instead:
    ```python
    targets = targets.to(device)
    for x in loader:
        loss = criterion(model(x.to(device)), targets)
    ```

    ## Evidence
    Not measured: on this machine (no GPU) every tensor lives in host memory, where
    `.to("cpu")` returns the tensor itself, so there is no copy to save.
    `bench/rules/eco509_loop_invariant_device_transfer.py` runs the comparison with CUDA
    and says so and stops without it. The PyTorch performance tuning guide ("Avoid
    unnecessary CPU-GPU synchronization") describes the cost of these copies and syncs.

    Summary: not measured: needs a GPU, this machine has none (on the CPU `.to("cpu")`
    copies nothing).

    ## References
    - GreenCodeAnalyzer (excessive GPU transfers)
    - PyTorch docs, "Performance Tuning Guide"; "CUDA semantics"
    """

    code = "ECO509"
    name = "loop-invariant-device-transfer"
    message = "`{call}` moves the same tensor on every iteration; move it once before the loop"
    impact = "medium"
    VALID = [
        Valid("""
            import torch

            for x in loader:
                x = x.to(device)
                step(x)
            """),
        Valid("""
            import torch

            for x in loader:
                step(x.cuda())
            """),
        Valid("""
            import torch

            weights = weights.cuda()
            for x in loader:
                step(x, weights)
            """),
        Valid("""
            for x in loader:
                step(x, weights.cuda())
            """),
        Valid(
            """
            import torch

            for device, grads in groups.items():
                scale(grads, coef.to(device))
            """
        ),
        Valid("""
            import torch

            for r in readings:
                print(quantity.to('km'))
            """),
        Valid(
            """
            import torch

            for x in loader:
                def move():
                    return w.cuda()
                step(x, move)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            def train(model, loader, targets, device):
                for x in loader:
                    loss = criterion(model(x.to(device)), targets.to(device))
            """,
            line=5,
        ),
        Invalid(
            """
            import torch

            mask = build_mask()
            while running:
                out = step().cpu() * mask.cuda()
            """,
            line=5,
        ),
        Invalid(
            """
            import torch

            results = [model(batch.to('cuda:0')) for _ in range(n)]
            """,
            line=3,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        self._bound: dict[int, set[str]] = {}

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            not self.uses_torch
            or not isinstance(func, cst.Attribute)
            or func.attr.value not in ("to", "cuda", "cpu")
            or not isinstance(func.value, cst.Name)
        ):
            return
        method = func.attr.value
        if method == "to" and not (node.args and self._is_device(node.args[0].value)):
            return
        loop = self.enclosing_loop(node)
        if loop is None:
            return
        bound = self._bound.get(id(loop))
        if bound is None:
            bound = self._bound[id(loop)] = names_bound(loop)
        name = func.value.value
        if name in bound or any(names_read(arg.value) & bound for arg in node.args):
            return  # a new tensor, or a new device (`for device, group in …`)
        self.report(node, call=f"{name}.{method}(…)")

    def _is_device(self, value: cst.BaseExpression) -> bool:
        if isinstance(value, cst.SimpleString):
            text = value.evaluated_value
            return isinstance(text, str) and text.split(":")[0] in _DEVICE_STRINGS
        if isinstance(value, cst.Call):
            return self.qualified_name(value) == "torch.device"
        name = value.attr.value if isinstance(value, cst.Attribute) else None
        if isinstance(value, cst.Name):
            name = value.value
        return name is not None and ("device" in name.lower() or name in ("dev", "gpu"))
