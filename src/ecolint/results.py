"""Frozen lint result records shared by the engine, the reporters and the CLI (the
score and history records are in :mod:`ecolint.records`).

They hold plain data only (no libcst nodes) so that they cross process boundaries
cheaply and can be serialised to every output format without the engine.

No ``slots=True``: it builds each class twice, and every run, a warm one answered from
the cache included, imports this module (slots cost it about 3 of its 8 ms here, and make
unpickling a cached result slower).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Applicability = Literal["safe", "unsafe"]
Severity = Literal["error", "warning", "info"]
Impact = Literal["high", "medium", "low"]
# How sure a rule is that this finding is worth acting on. ``low`` is for findings whose
# saving depends on what the rule cannot see (the size of the data, the logging level);
# they are hidden by default (``--show-all`` shows them).
Confidence = Literal["high", "medium", "low"]
# What a file is for (ecolint.lint.file_kinds): rules apply to each kind by a policy.
FileKind = Literal["app", "test", "migration", "script", "generated"]


@dataclass(frozen=True)
class Fix:
    """An autofix attached to a finding; unsafe fixes apply only on request."""

    applicability: Applicability
    message: str = ""


@dataclass(frozen=True)
class Measured:
    """What a CPU profile says a finding costs (``ecolint check --profile``).

    ``samples`` counts the profile's stacks that were running a line of the finding's
    range (each stack once), ``share`` is their part of all the profile's samples,
    ``cpu_s`` their CPU time (samples over the sampling rate: an upper bound when
    ``clock`` is ``"sampled"``) and ``joules`` that time through the CPU-time model of
    ``pytest --eco``. ``samples == 0``: the file was profiled but this finding's code was
    not hot in that profile.
    """

    share: float
    samples: int
    cpu_s: float
    joules: float
    profile: str  # the profile file it was measured in
    # "cpu", or "sampled": the profile counted time the code was not idle, waits for a
    # busy CPU included, so ``cpu_s`` and ``joules`` are at most these (Profile.clock)
    clock: str = "cpu"

    @property
    def hot(self) -> bool:
        return self.samples > 0


@dataclass(frozen=True)
class Finding:
    """One reported problem at one place in one file."""

    path: str
    code: str
    name: str
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    severity: Severity = "warning"
    fix: Fix | None = None
    line_text: str = ""
    fingerprint: str = ""
    confidence: Confidence = "high"
    kind: FileKind = "app"
    # Other rules that fired on the same code, as (rule id, message): one finding per problem
    related: tuple[tuple[str, str], ...] = ()
    # Its cost in the profiles given to ``ecolint check --profile``; None: no profile
    # covers its file (ecolint.profiles.join)
    measured: Measured | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)


@dataclass(frozen=True)
class InternalError:
    """A failure of ecolint itself (a rule that raised), never of the linted code."""

    path: str
    message: str
    rule: str | None = None


@dataclass(frozen=True)
class FileResult:
    """Everything the engine learned about one file."""

    path: str
    findings: tuple[Finding, ...] = ()
    errors: tuple[InternalError, ...] = ()
    fixed_source: str | None = None
    original_source: str | None = None
    fixes_applied: int = 0
    encoding: str = "utf-8"
    kind: FileKind = "app"


@dataclass(frozen=True)
class LintReport:
    """The result of a whole run, in a stable order."""

    files: tuple[FileResult, ...] = ()
    root: str = "."
    rules: tuple[RuleInfo, ...] = ()
    hidden: int = 0  # low-confidence findings left out (``--show-all`` shows them)
    # ``cost``: the findings with the largest measured share first (``--sort cost``)
    order: Literal["path", "cost"] = "path"
    profiles: tuple[ProfileInfo, ...] = ()  # the profiles read (``--profile``)
    below_cost: int = 0  # findings left out by ``--min-cost``

    @property
    def findings(self) -> list[Finding]:
        found = sorted((f for r in self.files for f in r.findings), key=lambda f: f.sort_key)
        if self.order == "cost":  # stable: equal costs stay in path order, unmeasured last
            found.sort(key=lambda f: -f.measured.share if f.measured else 1.0)
        return found

    @property
    def errors(self) -> list[InternalError]:
        return [e for r in self.files for e in r.errors]

    @property
    def fixes_applied(self) -> int:
        return sum(r.fixes_applied for r in self.files)


@dataclass(frozen=True)
class ProfileInfo:
    """One profile given to ``ecolint check --profile``: how much it held and how much of
    it landed in the linted files (a low ``mapped`` share means paths did not match:
    see ``--profile-root``)."""

    path: str
    format: str  # "collapsed", "speedscope", "austin" or "pyinstrument"
    samples: int
    cpu_s: float
    mapped_samples: int  # samples with at least one frame in a linted file
    rate_hz: float
    energy_model: str = ""  # where the joules' watts per thread came from
    clock: str = "cpu"  # "sampled": cpu_s is wall-clock sampled time (Profile.clock)


@dataclass(frozen=True)
class RuleInfo:
    """What reporters need to know about a rule, without importing it."""

    code: str
    name: str
    summary: str
    doc: str
    fix: Literal["safe", "unsafe", "none", "sometimes"] = "none"
    opt_in: bool = False
    options: dict[str, object] = field(default_factory=dict)
    impact: Impact = "medium"
    evidence: str = ""  # one line from the doc's `## Evidence` (ecolint.lint.evidence)
