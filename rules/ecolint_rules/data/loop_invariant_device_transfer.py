from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, names_read
from ecolint.lint.analysis import bound_names, enclosing_loops, target_names
from ecolint.lint.bounds import data_dependent_loop, loop_is_bounded
from ecolint_rules._loop_exit import leaves_loop_after
from ecolint_rules.data._torch import TracksTorchImport

_DEVICE_STRINGS = ("cuda", "cpu", "mps", "xpu")
_CONSTANTS = (cst.SimpleString, cst.Integer, cst.Float)
_OUTER_MESSAGE = (
    "`{call}` moves the same tensor on every iteration of the inner loop, but the tensor or "
    "the device changes with an outer loop; moving it before the inner loop is worth it "
    "only if that loop runs many times"
)


class LoopInvariantDeviceTransfer(TracksTorchImport, Rule):
    """## What it does
    Flags, inside a loop, in a module that imports torch, `x.cuda()`, `x.cpu()` or
    `x.to(<device>)` — a `"cuda…"` / `"cpu"` / `"mps"` string, a `torch.device(...)`, or
    a name such as `device` — where `x` is a plain name that the loop does not bind
    (neither its target nor an assignment in its body), and nor are the names in the
    arguments: the same tensor crosses to the same device on every iteration.

    Not reported: a transfer that runs once per pass of the loop (followed by `break`,
    `return` or `raise`, or under `if key == "logits":` where `key` is the loop's own
    variable, so one item of the collection triggers it), and a loop over a few
    constants written in the code (`for part in ("a", "b"):`). When the tensor or the
    device is bound by an outer loop (`for device, grads in groups.items():` around
    `for g in grads.values():`), hoisting can only take the transfer out of the inner
    loop: the finding is graded low confidence unless that inner loop walks data (a
    parameter of the function, a query, a file).

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
    Not measured: on the benchmark machine (a 2-core x86-64 VM, no GPU) every tensor lives
    in host memory, where `.to("cpu")` returns the tensor itself, so there is no copy to
    save.
    `bench/rules/eco509_loop_invariant_device_transfer.py` runs the comparison with CUDA
    and says so and stops without it. The PyTorch performance tuning guide ("Avoid
    unnecessary CPU-GPU synchronization") describes the cost of these copies and syncs.

    Summary: not measured: needs a GPU, the benchmark VM has none (on the CPU `.to("cpu")`
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
        Valid(
            """
            import torch

            def forward(self, model, sample):
                logits = model(**sample["net_input"])
                logging_output = {}
                for lk in self.log_keys:
                    if lk == "logits":
                        if not self.training:
                            logging_output["logits"] = logits.cpu().numpy()
                    elif lk == "target":
                        logging_output["target"] = sample["target"].cpu().numpy()
                return logging_output
            """
        ),
        Valid(
            """
            import torch

            for row in rows:
                if row.ready:
                    staged = buffer.to(device)
                    break
            for split in ("train", "valid"):
                report(split, stats.cpu())
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
        Invalid(
            """
            import torch

            def multiply_grads(self, c):
                for device, per_dtype_grads in self.grouped_grads().items():
                    for grads in per_dtype_grads.values():
                        torch._foreach_mul_(grads, c.to(device) if torch.is_tensor(c) else c)
            """,
            line=6,
            confidence="low",
            message=(
                "`c.to(…)` moves the same tensor on every iteration of the inner loop, but the "
                "tensor or the device changes with an outer loop; moving it before the inner "
                "loop is worth it only if that loop runs many times"
            ),
        ),
        Invalid(
            """
            import torch

            def evaluate(model, loader, devices, weights):
                for device in devices:
                    for batch in loader:
                        model(batch.to(device), weights.to(device))
            """,
            line=6,
        ),
    ]

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
        loops = enclosing_loops(node, self.ancestors(node))
        if not loops:
            return
        loop, outer = loops[0], loops[1:]
        used = {func.value.value}.union(*(names_read(arg.value) for arg in node.args))
        if used & bound_names(self, loop):
            return  # a new tensor, or a new device (`for device, group in …`)
        if self._runs_once(node, loop) or loop_is_bounded(self, loop):
            return
        call = f"{func.value.value}.{method}(…)"
        if any(used & bound_names(self, above) for above in outer) and not data_dependent_loop(
            self, loop
        ):
            self.report(node, _OUTER_MESSAGE.format(call=call), confidence="low")
            return
        self.report(node, call=call)

    def _runs_once(self, node: cst.CSTNode, loop: cst.CSTNode) -> bool:
        """Whether ``node`` runs at most once per pass of ``loop``: a ``break``,
        ``return`` or ``raise`` follows it, or it sits under ``if key == "logits":``
        with ``key`` the loop's own variable (one item of the collection it walks)."""
        if leaves_loop_after(self, node, loop):
            return True
        if not isinstance(loop, cst.For):
            return False
        item = target_names(loop.target)
        child = node
        for ancestor in self.ancestors(node):
            if ancestor is loop:
                return False
            if (
                isinstance(ancestor, cst.If)
                and child is ancestor.body
                and _picks_one(ancestor.test, item)
            ):
                return True
            child = ancestor
        return False

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


def _picks_one(test: cst.BaseExpression, item: set[str]) -> bool:
    """``key == <constant>`` (either way round, ``is`` too, or one operand of ``and``)
    with ``key`` among ``item``: true for one value of the loop variable."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        return _picks_one(test.left, item) or _picks_one(test.right, item)
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    comparison = test.comparisons[0]
    if not isinstance(comparison.operator, (cst.Equal, cst.Is)):
        return False
    sides = (test.left, comparison.comparator)
    names = [side.value for side in sides if isinstance(side, cst.Name)]
    constants = [side for side in sides if isinstance(side, _CONSTANTS)]
    return bool(constants) and any(name in item for name in names)
