"""Names shared by the torch rules (ECO505–ECO510)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

if TYPE_CHECKING:
    from ecolint import Rule
    from ecolint.lint.imports import ImportTable

TORCH = "torch"

# Context managers and decorators that turn autograd recording off.
NO_GRAD = frozenset(
    {
        "torch.no_grad",
        "torch.inference_mode",
        "torch.autograd.no_grad",
        "torch.autograd.inference_mode",
        "torch.autograd.grad_mode.no_grad",
        "torch.autograd.grad_mode.inference_mode",
    }
)
SET_GRAD_ENABLED = frozenset({"torch.set_grad_enabled", "torch.autograd.set_grad_enabled"})


def disables_grad(rule: Rule, expression: cst.BaseExpression) -> bool:
    """`torch.no_grad()`, `torch.inference_mode()`, `torch.set_grad_enabled(False)`, or
    the bare decorator forms `@torch.no_grad` / `@torch.inference_mode`."""
    name = rule.qualified_name(expression)
    if name in NO_GRAD:
        return True
    if name in SET_GRAD_ENABLED and isinstance(expression, cst.Call) and expression.args:
        value = expression.args[0].value
        return isinstance(value, cst.Name) and value.value == "False"
    return False


class TracksTorchImport:
    """Mixin for a torch rule: ``uses_torch`` says whether the module imports torch so
    far, so that the rule costs one attribute test per node in all other modules.
    (Not a ``Rule`` subclass, so that rule discovery does not take it for a rule.)"""

    uses_torch = False
    imports: ImportTable

    def visit_Module(self, node: cst.Module) -> None:
        self.uses_torch = self.imports.imports_module(TORCH)

    def visit_Import(self, node: cst.Import) -> None:
        self.uses_torch = self.uses_torch or self.imports.imports_module(TORCH)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self.uses_torch = self.uses_torch or self.imports.imports_module(TORCH)
