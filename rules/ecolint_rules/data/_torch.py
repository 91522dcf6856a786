"""Names shared by the torch rules (ECO505–ECO510)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from ecolint import find_all

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
# The last part of the name of a project's own wrapper around them (yolov5's
# `smart_inference_mode()`, which returns `torch.inference_mode()` or `torch.no_grad()`).
_WRAPPER_NAMES = ("inference_mode", "no_grad")


def disables_grad(rule: Rule, expression: cst.BaseExpression) -> bool:
    """`torch.no_grad()`, `torch.inference_mode()`, `torch.set_grad_enabled(False)`, the
    bare decorator forms `@torch.no_grad` / `@torch.inference_mode`, or a wrapper: a
    callee whose last name contains `inference_mode` or `no_grad`
    (`@smart_inference_mode()`, `with utils.no_grad_if(frozen):`), or a function of this
    module whose body uses `torch.no_grad` / `torch.inference_mode`."""
    name = rule.qualified_name(expression)
    if name in NO_GRAD:
        return True
    if name in SET_GRAD_ENABLED and isinstance(expression, cst.Call) and expression.args:
        value = expression.args[0].value
        return isinstance(value, cst.Name) and value.value == "False"
    if name is None:
        return False
    last = name.rsplit(".", 1)[-1]
    return any(part in last for part in _WRAPPER_NAMES) or _local_wrapper(rule, last)


def _local_wrapper(rule: Rule, name: str) -> bool:
    """Whether ``name`` is a function defined at the top of this module that refers to
    `torch.no_grad` or `torch.inference_mode` (a context manager or decorator factory
    that returns one of them)."""
    for statement in rule.module.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == name:
            return any(
                rule.qualified_name(node) in NO_GRAD
                for node in find_all(statement, (cst.Attribute, cst.Name))
            )
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
