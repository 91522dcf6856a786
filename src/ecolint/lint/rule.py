"""The public rule API: a rule is one small class holding its own examples (Fixit's model).

A rule declares ``visit_<NodeType>`` / ``leave_<NodeType>`` methods. The engine walks each
file once and dispatches every node to all enabled rules together, keeping the ancestor
stack itself, so ``parent_of``, ``in_loop`` and friends cost nothing to compute.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import libcst as cst

from ecolint.lint import analysis
from ecolint.lint.evidence import evidence_line
from ecolint.lint.imports import ImportTable
from ecolint.results import Confidence, FileKind, Impact, RuleInfo, Severity

if TYPE_CHECKING:
    from ecolint.lint.context import FileContext

Replacement = cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel
FixKind = Literal["safe", "unsafe", "none", "sometimes"]


@dataclass(frozen=True)
class Valid:
    """Code the rule must not report."""

    code: str
    options: Mapping[str, Any] = field(default_factory=dict)
    path: str = "example.py"


@dataclass(frozen=True)
class Invalid:
    """Code the rule must report: ``line`` of the first finding, ``count`` findings in all,
    ``fixed``, the code after every fix (``None``: the rule offers no fix here), and the
    ``confidence`` of the first finding. ``message`` and ``column`` (1-based), when given,
    pin the first finding's text and place, so a message regression fails a test (Fixit's
    ``expected_message``); ``unsafe`` says the first finding's fix applies only with
    ``--unsafe-fixes``."""

    code: str
    line: int
    count: int = 1
    fixed: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    path: str = "example.py"
    confidence: Confidence = "high"
    message: str | None = None
    column: int | None = None
    unsafe: bool = False


@dataclass(slots=True)
class Report:
    """A finding as the rule raised it, still tied to its node (positions come later)."""

    rule: Rule
    node: cst.CSTNode
    message: str
    replacement: Replacement | None = None
    unsafe: bool = False
    fix_imports: tuple[str, ...] = ()
    severity: Severity = "warning"
    edits: tuple[tuple[cst.CSTNode, Replacement], ...] = ()
    confidence: Confidence = "high"


class Rule:
    """Base class of every rule, built-in or third-party.

    Subclasses set ``code`` (``ECO`` + 3 digits), ``name`` (kebab-case, names the wasteful
    pattern), ``message`` (a ``str.format`` template), ``fix`` (``safe``, ``unsafe``,
    ``sometimes`` or ``none``), ``fix_title`` (what the fix does, in the imperative, as
    ruff's ``fix_title``: required when the rule has a fix), ``VALID`` / ``INVALID``
    examples and, optionally, ``opt_in = True`` and ``OPTIONS`` (option name → default value).

    ``impact`` grades the rule's measured evidence, and weighs its findings in the
    repository score: ``high`` when the saving grows with the input size (an O(n²) or
    O(n) waste per item, a round trip per row), ``medium`` for a constant factor of about
    2× or more, ``low`` for a smaller or context-dependent saving.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    message: ClassVar[str]
    fix: ClassVar[FixKind] = "none"
    fix_title: ClassVar[str] = ""
    opt_in: ClassVar[bool] = False
    impact: ClassVar[Impact] = "medium"
    OPTIONS: ClassVar[Mapping[str, Any]] = {}
    VALID: ClassVar[Sequence[Valid]] = ()
    INVALID: ClassVar[Sequence[Invalid]] = ()

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self.options: dict[str, Any] = {**self.OPTIONS, **(options or {})}
        self.context: FileContext | None = None

    # -- reporting -------------------------------------------------------------------

    def report(
        self,
        node: cst.CSTNode,
        message: str | None = None,
        *,
        replacement: Replacement | None = None,
        unsafe: bool = False,
        fix_imports: Sequence[str] = (),
        severity: Severity = "warning",
        edits: Mapping[cst.CSTNode, Replacement] | None = None,
        confidence: Confidence = "high",
        imports: Sequence[str] | None = None,
        **format_args: Any,
    ) -> None:
        """Report ``node``; ``replacement`` (a node, ``RemoveFromParent()`` or a
        ``FlattenSentinel``) is the fix, applied only with ``--unsafe-fixes`` when
        ``unsafe``. ``fix_imports`` lists modules the fix needs (``import x`` is added);
        ``edits`` maps other nodes the same fix replaces to their replacements.
        ``confidence`` is ``low`` when the saving depends on what the rule cannot see
        (the size of the data, the logging level): say so in the message too.

        ``imports`` is the old name of ``fix_imports`` (it read as the module's imports,
        which is ``Rule.imports``): still accepted, with a ``DeprecationWarning``, until
        the next release."""
        if imports is not None:
            warnings.warn(
                f"{self.code}: Rule.report(imports=...) is deprecated, use fix_imports=...",
                DeprecationWarning,
                stacklevel=2,
            )
            fix_imports = (*fix_imports, *imports)
        text = message if message is not None else self.message.format(**format_args)
        extra = tuple((edits or {}).items()) if replacement is not None else ()
        self._ctx.reports.append(
            Report(
                self,
                node,
                text,
                replacement,
                unsafe,
                fix_imports=tuple(fix_imports),
                severity=severity,
                edits=extra,
                confidence=confidence,
            )
        )

    # -- where am I ------------------------------------------------------------------

    @property
    def _ctx(self) -> FileContext:
        assert self.context is not None, "rules are used only while the engine walks a file"
        return self.context

    @property
    def module(self) -> cst.Module:
        return self._ctx.module

    @property
    def path(self) -> str:
        return self._ctx.path

    @property
    def kind(self) -> FileKind:
        """What the file is for (``app``, ``test``, ...: ``ecolint.lint.file_kinds``)."""
        return self._ctx.kind

    @property
    def imports(self) -> ImportTable:
        return self._ctx.imports

    def ancestors(self, node: cst.CSTNode) -> list[cst.CSTNode]:
        """The ancestors of ``node`` (which must be on the current path), nearest first."""
        return self._ctx.ancestors(node)

    def parent_of(self, node: cst.CSTNode) -> cst.CSTNode | None:
        found = self._ctx.ancestors(node)
        return found[0] if found else None

    def enclosing_loop(self, node: cst.CSTNode) -> cst.CSTNode | None:
        """The loop (``For``, ``While``, comprehension) that repeats ``node`` within its
        own function, or ``None``. The iterable of a ``for`` is evaluated once, so it is
        not "in" that loop; a nested ``def``, ``lambda`` or ``class`` stops the search."""
        return analysis.enclosing_loop(node, self._ctx.ancestors(node))

    def in_loop(self, node: cst.CSTNode) -> bool:
        return self.enclosing_loop(node) is not None

    def enclosing_function(self, node: cst.CSTNode) -> cst.FunctionDef | cst.Lambda | None:
        for ancestor in self._ctx.ancestors(node):
            if isinstance(ancestor, (cst.FunctionDef, cst.Lambda)):
                return ancestor
        return None

    def enclosing_class(self, node: cst.CSTNode) -> cst.ClassDef | None:
        """The nearest class around ``node`` (through its methods), else ``None``."""
        for ancestor in self._ctx.ancestors(node):
            if isinstance(ancestor, cst.ClassDef):
                return ancestor
        return None

    def enclosing_scope(self, node: cst.CSTNode) -> cst.CSTNode:
        """The nearest function, lambda or class around ``node``, else the module."""
        for ancestor in self._ctx.ancestors(node):
            if isinstance(ancestor, analysis.SCOPE_BOUNDARIES):
                return ancestor
        return self._ctx.module

    def qualified_name(self, node: cst.CSTNode) -> str | None:
        """The dotted name of a ``Name``/``Attribute``/``Call`` through the module's
        imports: ``pd.read_csv`` → ``pandas.read_csv``, ``nap`` → ``time.sleep``,
        ``open`` → ``builtins.open``; ``None`` for anything else."""
        return self._ctx.imports.qualified_name(node)

    # -- catalogue -------------------------------------------------------------------

    @classmethod
    def info(cls) -> RuleInfo:
        doc = inspect.cleandoc(cls.__doc__ or "")
        return RuleInfo(
            code=cls.code,
            name=cls.name,
            summary=_summary(doc),
            doc=doc,
            fix=cls.fix,
            opt_in=cls.opt_in,
            impact=cls.impact,
            options=dict(cls.OPTIONS),
            evidence=evidence_line(doc),
        )


def _summary(doc: str) -> str:
    """The first paragraph under ``## What it does``, on one line."""
    lines = doc.splitlines()
    try:
        start = lines.index("## What it does") + 1
    except ValueError:
        start = 0
    paragraph: list[str] = []
    for line in lines[start:]:
        if line.startswith("#") or (not line.strip() and paragraph):
            break
        text = line.strip()
        if text.startswith("- "):  # a list reads as clauses on one line
            text = ("" if paragraph[-1].endswith((":", ";")) else "; ") + text[2:]
        if text:
            paragraph.append(text)
    return " ".join(paragraph).replace(" ; ", "; ")
