"""What ECO406 can see of a Django model that must be saved one row at a time.

`bulk_create` and `bulk_update` write rows without calling the model's `save()` and
without sending `pre_save` / `post_save` (Django's QuerySet reference, "bulk_create"
caveats). Advising them is wrong when the module shows that the model depends on either:
a tree model (django-mptt's `MPTTModel`, treebeard's `MP_Node` / `NS_Node` / `AL_Node`),
which computes its tree columns in `save()`; a `save()` override; or a receiver of the
save signals connected in the module. The facts are read once per module, and only when
a rule is about to report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

from ecolint import dotted_name, find_all

if TYPE_CHECKING:
    from ecolint import Rule

TREE_BASES = frozenset({"MPTTModel", "MP_Node", "NS_Node", "AL_Node"})
_SAVE_SIGNALS = frozenset({"pre_save", "post_save"})
# A comment by the loop saying why its rows are saved one by one.
_ONE_BY_ONE = re.compile(
    r"one[\s-]by[\s-]one|one at a time|individual|separately|signal|save\(\)|overrid|"
    r"\bmptt\b|treebeard|\btree\b|bulk",
    re.IGNORECASE,
)


@dataclass
class ModuleModels:
    """The classes defined at the top level of a module, module-level aliases of them
    (``Node = Category``), and the models whose save signals the module receives."""

    classes: dict[str, cst.ClassDef] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    signalled: set[str] = field(default_factory=set)

    def saved_one_by_one(self, model: str) -> str | None:
        """Why ``model`` must be saved one row at a time, or ``None`` when the module
        shows no reason (the class may live in another module)."""
        if model in self.signalled:
            return "save signals"
        return self._class_reason(self.aliases.get(model, model), set())

    def _class_reason(self, name: str, seen: set[str]) -> str | None:
        cls = self.classes.get(name)
        if cls is None or name in seen:
            return None
        seen.add(name)
        if any(_is_method(statement, "save") for statement in cls.body.body):
            return "a save() override"
        for base in cls.bases:
            base_name = (dotted_name(base.value) or "").rpartition(".")[2]
            if base.keyword is not None or not base_name:
                continue
            if base_name in TREE_BASES:
                return "a tree model"
            reason = self._class_reason(base_name, seen)
            if reason is not None:
                return reason
        return None


def module_models(rule: Rule) -> ModuleModels:
    """Read the module's classes, their aliases and its save-signal receivers."""
    found = ModuleModels()
    for statement in rule.module.body:
        if isinstance(statement, cst.ClassDef):
            found.classes[statement.name.value] = statement
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if (
                    isinstance(small, cst.Assign)
                    and len(small.targets) == 1
                    and isinstance(small.targets[0].target, cst.Name)
                    and isinstance(small.value, cst.Name)
                ):
                    found.aliases[small.targets[0].target.value] = small.value.value
    for call in find_all(rule.module, cst.Call):
        assert isinstance(call, cst.Call)
        sender = _save_signal_sender(call)
        if sender is not None:
            found.signalled.add(sender)
    return found


def says_one_by_one(statement: cst.CSTNode) -> bool:
    """Whether a comment in ``statement`` (a loop, with the comment lines above it) says
    the rows are saved one by one on purpose (signals, a tree, a ``save()`` override)."""
    return any(_ONE_BY_ONE.search(comment) for comment in _comments(statement))


def _comments(node: cst.CSTNode) -> list[str]:
    """Every comment in ``node``, whitespace fields included (``find_all`` skips them:
    no rule reads comments on the hot path; this runs only before a report)."""
    found: list[str] = []
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, cst.Comment):
            found.append(current.value)
        else:
            pending.extend(current.children)
    return found


def _is_method(statement: cst.CSTNode, name: str) -> bool:
    return isinstance(statement, cst.FunctionDef) and statement.name.value == name


def _save_signal_sender(call: cst.Call) -> str | None:
    """``M`` for ``receiver(post_save, sender=M)`` or ``post_save.connect(f, sender=M)``
    (also ``signals.pre_save``, and a list of signals in ``receiver``)."""
    func = dotted_name(call.func) or ""
    if func.rpartition(".")[2] == "receiver":
        signals = call.args[0].value if call.args and call.args[0].keyword is None else None
        names = (
            [element.value for element in signals.elements]
            if isinstance(signals, (cst.List, cst.Tuple))
            else [signals]
        )
        if not any(_is_save_signal(name) for name in names if name is not None):
            return None
    elif not (
        func.endswith(".connect")
        and isinstance(call.func, cst.Attribute)
        and _is_save_signal(call.func.value)
    ):
        return None
    sender = next((a.value for a in call.args if a.keyword and a.keyword.value == "sender"), None)
    name = dotted_name(sender) if sender is not None else None
    return name.rpartition(".")[2] if name else None


def _is_save_signal(node: cst.BaseExpression) -> bool:
    return (dotted_name(node) or "").rpartition(".")[2] in _SAVE_SIGNALS
