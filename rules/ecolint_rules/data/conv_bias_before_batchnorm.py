from __future__ import annotations

import itertools
import re

import libcst as cst

from ecolint import Invalid, Rule, Valid, dotted_name, find_all
from ecolint_rules.data._args import keyword_arg, with_appended_arg
from ecolint_rules.data._torch import TracksTorchImport

_SEQUENTIAL = frozenset({"torch.nn.Sequential", "torch.nn.modules.container.Sequential"})
_CONV = re.compile(r"^torch\.nn\.(?:modules\.conv\.)?(?:Lazy)?Conv([123])d$")
_NORM = re.compile(r"^torch\.nn\.(?:modules\.batchnorm\.)?(?:Lazy)?(?:Sync)?BatchNorm([123]?)d?$")
_BIAS_POSITION = 7  # Conv*d(in, out, kernel_size, stride, padding, dilation, groups, bias, …)


class ConvBiasBeforeBatchnorm(TracksTorchImport, Rule):
    """## What it does
    Flags `nn.Conv1d` / `Conv2d` / `Conv3d` layers whose `bias` is left on (absent or
    `True`) when the layer feeds a batch norm of the same dimension directly:
    - next to each other in `nn.Sequential(conv, bn, …)`;
    - chained in a module's `forward`, `self.bn(self.conv(x))`, or in two consecutive
      statements `x = self.conv(x)` / `x = self.bn(x)`, with both layers built by
      `self.<name> = nn.…(…)` in the class.

    ## Why is this wasteful?
    Batch norm subtracts the per-channel mean right after the convolution, which cancels
    any constant per-channel bias: the bias parameters are trained, stored, updated by
    the optimiser and added to every output element for no effect on the result.

    ## Example
    ```python
    block = nn.Sequential(nn.Conv2d(64, 128, 3), nn.BatchNorm2d(128), nn.ReLU())
    ```

    Use instead:
    ```python
    block = nn.Sequential(nn.Conv2d(64, 128, 3, bias=False), nn.BatchNorm2d(128), nn.ReLU())
    ```

    ## Fix safety
    The fix sets `bias=False` and is unsafe: the `state_dict` loses the `….bias` keys, so
    checkpoints saved before the change no longer load with `strict=True`.

    ## Evidence
    `bench/rules/eco506_conv_bias_before_batchnorm.py` on a 2-core x86-64 VM, shared with
    other jobs and heavily loaded (CPython 3.11, torch 2.13 CPU build, one thread, median
    of 7, 9 and 9 paired runs in three runs; a training step, forward and backward, of
    `Conv2d(32, 64, 3, padding=1)` + `BatchNorm2d(64)` on a batch of n 32×32 images, with
    and without the bias): 0.95× / 0.83× / 0.93× at n=1, 1.00× / 1.03× / 0.93× at n=8,
    0.92× / 0.99× / 0.88× at n=64 (below 1: the form with the bias was the faster).
    Within noise at every size: the bias add is fused into the convolution and its
    gradient is one reduction next to the convolution's. The rule is therefore opt-in: it
    removes dead parameters (64 here) and `state_dict` entries, not measurable work on a
    CPU. A GPU could not be measured: that VM has none.

    Summary: within noise at every size (0.83–1.03× at batches of 1, 8, 64, three runs;
    torch 2.13 CPU, loaded 2-core machine), hence opt-in; GPU not measured.

    ## References
    - creedengo GCI101 (2d layers only)
    - Ioffe and Szegedy 2015, "Batch Normalization", section 3.2 (the bias "can be
      ignored"); PyTorch performance tuning guide, "Disable bias for convolutions
      directly followed by a batch norm"
    """

    code = "ECO506"
    name = "conv-bias-before-batchnorm"
    message = "`{conv}` keeps a bias that the next `{norm}` cancels; pass `bias=False`"
    fix = "unsafe"
    fix_title = "Drop the convolution's bias (`bias=False`)"
    opt_in = True
    impact = "low"
    VALID = [
        Valid(
            """
            from torch import nn

            block = nn.Sequential(nn.Conv2d(3, 16, 3, bias=False), nn.BatchNorm2d(16))
            """
        ),
        Valid("""
            from torch import nn

            block = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU())
            """),
        Valid(
            """
            from torch import nn

            block = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.BatchNorm2d(16))
            """
        ),
        Valid(
            """
            from torch import nn

            block = nn.Sequential(nn.Conv1d(3, 16, 3), nn.BatchNorm2d(16))
            """
        ),
        Valid(
            """
            from torch import nn

            block = nn.Sequential(nn.Conv2d(3, 16, 3, bias=use_bias), nn.BatchNorm2d(16))
            """
        ),
        Valid(
            """
            import torch.nn as nn

            class Net(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.conv = nn.Conv2d(3, 8, 3)
                    self.bn = nn.BatchNorm2d(8)

                def forward(self, x):
                    return self.bn(torch.relu(self.conv(x)))
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from torch import nn

            block = nn.Sequential(nn.Conv2d(3, 16, 3), nn.BatchNorm2d(16), nn.ReLU())
            """,
            line=3,
            fixed="""
            from torch import nn

            block = nn.Sequential(nn.Conv2d(3, 16, 3, bias=False), nn.BatchNorm2d(16), nn.ReLU())
            """,
            unsafe=True,
        ),
        Invalid(
            """
            import torch.nn as nn

            class Net(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.conv = nn.Conv3d(
                        3,
                        8,
                        kernel_size=3,
                    )
                    self.bn = nn.BatchNorm3d(8)

                def forward(self, x):
                    return torch.relu(self.bn(self.conv(x)))
            """,
            line=6,
            fixed="""
            import torch.nn as nn

            class Net(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.conv = nn.Conv3d(
                        3,
                        8,
                        kernel_size=3,
                        bias=False,
                    )
                    self.bn = nn.BatchNorm3d(8)

                def forward(self, x):
                    return torch.relu(self.bn(self.conv(x)))
            """,
            unsafe=True,
        ),
        Invalid(
            """
            import torch

            class Block(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.c1 = torch.nn.Conv1d(4, 4, 1, 1, 0, 1, 1, True)
                    self.n1 = torch.nn.BatchNorm1d(4)

                def forward(self, x):
                    y = self.c1(x)
                    y = self.n1(y)
                    return y
            """,
            line=6,
            fixed="""
            import torch

            class Block(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.c1 = torch.nn.Conv1d(4, 4, 1, 1, 0, 1, 1, False)
                    self.n1 = torch.nn.BatchNorm1d(4)

                def forward(self, x):
                    y = self.c1(x)
                    y = self.n1(y)
                    return y
            """,
            unsafe=True,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        self._reported: set[int] = set()

    def visit_Call(self, node: cst.Call) -> None:
        if not self.uses_torch or self.qualified_name(node) not in _SEQUENTIAL:
            return
        layers = [a.value for a in node.args if a.keyword is None and not a.star]
        for conv, norm in itertools.pairwise(layers):
            self._check_pair(conv, norm)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if not self.uses_torch:
            return
        layers: dict[str, cst.BaseExpression] = {}
        forward = None
        for found in find_all(node, (cst.Assign, cst.FunctionDef)):
            if isinstance(found, cst.FunctionDef):
                if found.name.value == "forward" and forward is None:
                    forward = found
                continue
            assert isinstance(found, cst.Assign)
            for target in found.targets:
                name = dotted_name(target.target)
                if name is not None and name.startswith("self."):
                    layers[name] = found.value
        if forward is None or not layers:
            return
        for first, second in _chained_calls(forward):
            if first in layers and second in layers:
                self._check_pair(layers[first], layers[second])

    def _check_pair(self, conv: cst.BaseExpression, norm: cst.BaseExpression) -> None:
        if not isinstance(conv, cst.Call) or not isinstance(norm, cst.Call):
            return
        conv_match = _CONV.match(self.qualified_name(conv) or "")
        norm_match = _NORM.match(self.qualified_name(norm) or "")
        if conv_match is None or norm_match is None or id(conv) in self._reported:
            return
        if norm_match.group(1) not in ("", conv_match.group(1)):
            return
        fixed = _without_bias(conv)
        if fixed is None:
            return
        self._reported.add(id(conv))
        conv_name = f"Conv{conv_match.group(1)}d"
        norm_name = (self.qualified_name(norm) or "").rsplit(".", 1)[1]
        self.report(conv, replacement=fixed, unsafe=True, conv=conv_name, norm=norm_name)


def _without_bias(conv: cst.Call) -> cst.Call | None:
    """``conv`` with `bias=False`, or ``None`` if its bias is off or not a literal `True`."""
    if any(a.star for a in conv.args):
        return None
    positional = [a for a in conv.args if a.keyword is None]
    bias = next((a for a in conv.args if a.keyword and a.keyword.value == "bias"), None)
    if bias is None and len(positional) > _BIAS_POSITION:
        bias = positional[_BIAS_POSITION]
    false = cst.Name("False")
    if bias is None:
        return with_appended_arg(conv, keyword_arg("bias", false))
    if isinstance(bias.value, cst.Name) and bias.value.value == "True":
        return conv.with_changes(
            args=[arg.with_changes(value=false) if arg is bias else arg for arg in conv.args]
        )
    return None


def _chained_calls(forward: cst.FunctionDef) -> list[tuple[str, str]]:
    """(first layer, second layer) for `self.b(self.a(x))` and for `y = self.a(x)`
    directly followed by `… = self.b(y)`."""
    pairs: list[tuple[str, str]] = []
    for call in find_all(forward.body, cst.Call):
        assert isinstance(call, cst.Call)
        if len(call.args) == 1 and isinstance(call.args[0].value, cst.Call):
            outer, inner = dotted_name(call.func), dotted_name(call.args[0].value.func)
            if outer and inner:
                pairs.append((inner, outer))
    for block in find_all(forward, cst.IndentedBlock):
        assert isinstance(block, cst.IndentedBlock)
        statements = [_assignment(s) for s in block.body]
        for before, after in itertools.pairwise(statements):
            if before is None or after is None:
                continue
            target, (layer, _) = before
            _, (next_layer, argument) = after
            if argument == target:
                pairs.append((layer, next_layer))
    return pairs


def _assignment(statement: cst.CSTNode) -> tuple[str, tuple[str, str | None]] | None:
    """For `y = self.layer(x)`: ("y", ("self.layer", "x")), else ``None``."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    target = small.targets[0].target
    call = small.value
    if not isinstance(target, cst.Name) or not isinstance(call, cst.Call):
        return None
    layer = dotted_name(call.func)
    if layer is None or len(call.args) != 1:
        return None
    return target.value, (layer, dotted_name(call.args[0].value))
