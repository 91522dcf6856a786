from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, dotted_name, find_all
from ecolint_rules.data._torch import TracksTorchImport, disables_grad


class InferenceWithGrad(TracksTorchImport, Rule):
    """## What it does
    Flags, in a module that imports torch, the first call of a model — `model(…)` or
    `model.forward(…)` — that follows `model.eval()` in the same function (or at module
    level), when the call is not inside `with torch.no_grad():` /
    `torch.inference_mode()` / `torch.set_grad_enabled(False)` and the function is not
    decorated with `@torch.no_grad()` / `@torch.inference_mode()`. A `model.train()` or
    a new assignment to `model` in between ends the evaluation, and a function that
    calls `.backward()` or `.grad(…)` wants the gradients, so it is left alone.

    A project's own wrapper counts as those: a decorator or `with` whose callee's last
    name contains `inference_mode` or `no_grad` (yolov5's `@smart_inference_mode()`,
    which returns `torch.inference_mode()`, or `torch.no_grad()` on old versions), or a
    function of the same module that uses `torch.no_grad` / `torch.inference_mode`
    (`with eval_context():`): autograd is already off there.

    ## Why is this wasteful?
    `eval()` only switches layers such as dropout and batch norm to inference behaviour;
    it does not stop autograd. Every operation still records the backward graph and
    keeps its inputs alive for a backward pass that never comes: more memory, more
    allocator work and more time per inference.

    ## Example
    ```python
    model.eval()
    predictions = model(batch)
    ```

    Use instead:
    ```python
    model.eval()
    with torch.inference_mode():
        predictions = model(batch)
    ```

    ## Evidence
    `bench/rules/eco505_inference_with_grad.py` on a 2-core x86-64 VM, shared with other
    jobs and heavily loaded (CPython 3.11, torch 2.13 CPU build, one thread; a 4-layer MLP
    of width 512 on a batch of n rows, autograd recording vs `torch.inference_mode()`):
    - memory, exact: autograd keeps 16,384 bytes of activations per row for a backward
      pass that never comes (16 kB at n=1, 1.6 MB at n=100, 164 MB at n=10⁴), alive as
      long as the output is, against none under `inference_mode`; a loop that keeps its
      outputs keeps every batch's activations;
    - CPU time, median of 7 then 9 paired runs: 1.09× at n=1, 1.43× / 1.21× at n=10, then
      within noise (0.96×, 0.89× / 0.96×, 0.90× / 1.03× at n=100, 10³, 10⁴): recording the
      graph costs a small constant per operation, visible only on small batches.
    The GPU figures, where the kept activations take device memory, could not be
    measured: that VM has no GPU.

    Summary: CPU time 1.1–1.4× at batches of 1–10 rows, within noise from 100 rows;
    autograd keeps 16 kB of activations per row (164 MB at n=10⁴) against none (torch
    2.13 CPU, loaded 2-core machine); GPU not measured.

    ## References
    - creedengo GCI100 (which ignores `inference_mode` and the decorator forms);
      GreenCodeAnalyzer (gradients during inference)
    - PyTorch docs, "Autograd mechanics: Locally disabling gradient computation" and
      `torch.inference_mode`
    """

    code = "ECO505"
    name = "inference-with-grad"
    message = (
        "`{model}` runs after `.eval()` with autograd on; wrap inference in "
        "`torch.inference_mode()`"
    )
    impact = "low"
    VALID = [
        Valid("""
            import torch

            model.eval()
            with torch.no_grad():
                out = model(x)
            """),
        Valid(
            """
            import torch

            @torch.inference_mode()
            def predict(model, x):
                model.eval()
                return model(x)
            """
        ),
        Valid(
            """
            import torch

            @torch.no_grad
            def predict(model, x):
                model.eval()
                return model(x)
            """
        ),
        Valid("""
            import torch

            def train(model, x):
                model.train()
                return model(x)
            """),
        Valid(
            """
            import torch

            def f(model, x):
                model.eval()
                model.train()
                return model(x)
            """
        ),
        Valid("""
            from sympy import Symbol

            expr.eval()
            expr(1)
            """),
        Valid(
            """
            import torch

            def f(model, x):
                out = model(x)
                model.eval()
                return out
            """
        ),
        Valid(
            """
            import torch

            model.eval()
            with torch.set_grad_enabled(False):
                out = model(x)
            """
        ),
        Valid(
            """
            import torch

            def f(m, x):
                m = torch.jit.freeze(m.eval())
                return m(x)
            """
        ),
        Valid(
            """
            import torch

            def check(m, x):
                m.eval()
                out = m(x)
                out.sum().backward()
            """
        ),
        Valid(
            """
            import torch
            from utils.torch_utils import select_device, smart_inference_mode

            @smart_inference_mode()
            def run(weights, dataloader, model=None, compute_loss=None, augment=False):
                model.eval()
                for im, targets in dataloader:
                    preds = model(im) if compute_loss else model(im, augment=augment)
            """
        ),
        Valid(
            """
            import torch

            def evaluation(frozen):
                return torch.no_grad() if frozen else torch.enable_grad()

            def score(model, batch):
                model.eval()
                with evaluation(True):
                    return model(batch)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            def evaluate(model, loader):
                model.eval()
                for x, y in loader:
                    loss = criterion(model(x), y)
            """,
            line=6,
        ),
        Invalid(
            """
            from torch import nn

            class Runner:
                def predict(self, x):
                    self.net.eval()
                    return self.net.forward(x)
            """,
            line=6,
        ),
        Invalid(
            """
            import torch

            model.eval()
            with torch.enable_grad():
                out = model(x)
            out2 = model(x2)
            """,
            line=5,
        ),
        Invalid(
            """
            import torch

            def evaluation():
                return torch.enable_grad()

            @evaluation()
            def score(model, batch):
                model.eval()
                return model(batch)
            """,
            line=9,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        self._evaluated: dict[int, set[str]] = {}
        self._wants_grad: dict[int, bool] = {}

    def leave_Assign(self, original_node: cst.Assign) -> None:
        """`model = torch.jit.freeze(model.eval())`: the name now holds something else."""
        models = self._evaluated.get(id(self._scope(original_node))) if self.uses_torch else None
        if models:
            for target in original_node.targets:
                models.discard(dotted_name(target.target) or "")

    def visit_Call(self, node: cst.Call) -> None:
        if not self.uses_torch:
            return
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("eval", "train"):
            owner = dotted_name(func.value)
            if owner is None or (func.attr.value == "eval" and node.args):
                return
            models = self._evaluated.setdefault(id(self._scope(node)), set())
            if func.attr.value == "eval":
                models.add(owner)
            else:
                models.discard(owner)
            return
        target = (
            func.value if isinstance(func, cst.Attribute) and func.attr.value == "forward" else func
        )
        model = dotted_name(target)
        if model is None:
            return
        evaluated = self._evaluated.get(id(self._scope(node)))
        if not evaluated or model not in evaluated or self._grad_disabled(node):
            return
        if self._calls_backward(self._scope(node)):
            return  # the gradients are wanted (a backward pass in the same function)
        evaluated.discard(model)  # one report per evaluation
        self.report(node, model=f"{model}(…)")

    def _scope(self, node: cst.CSTNode) -> cst.CSTNode:
        return self.enclosing_function(node) or self.module

    def _calls_backward(self, scope: cst.CSTNode) -> bool:
        wanted = self._wants_grad.get(id(scope))
        if wanted is None:
            wanted = any(
                isinstance(call.func, cst.Attribute)
                and call.func.attr.value in ("backward", "grad")
                for call in find_all(scope, cst.Call)
            )
            self._wants_grad[id(scope)] = wanted
        return wanted

    def _grad_disabled(self, node: cst.CSTNode) -> bool:
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, cst.With):
                if any(disables_grad(self, item.item) for item in ancestor.items):
                    return True
            elif isinstance(ancestor, cst.FunctionDef):
                return any(disables_grad(self, d.decorator) for d in ancestor.decorators)
            elif isinstance(ancestor, cst.Lambda):
                return False
        return False
