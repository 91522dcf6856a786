"""The CI report as plain data: what one run found, in a versioned JSON shape.

Why data and not Markdown: a fork PR's run cannot post its comment, so it hands the
report to a privileged ``workflow_run`` job as an artifact. Whoever opened the PR
controls that artifact. The publisher therefore never posts Markdown it was given: it
loads this document with :func:`CIReport.from_dict`, which checks every field's type and
caps every length, and renders the comment itself, escaping every string again.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ecolint.documents import DocumentError, DocumentType, Limits

SCHEMA_VERSION = 1
MAX_ITEMS = 5_000  # of any list in a loaded document
MAX_STRING = 2_000  # characters of any string in a loaded document (longer ones are cut)


class ReportFormatError(DocumentError):
    """A CI report document that is not one this version wrote (untrusted or corrupt)."""


CI_REPORT = DocumentType(
    "CI report",
    SCHEMA_VERSION,
    ReportFormatError,
    kind="ecolint-ci-report",
    limits=Limits(items=MAX_ITEMS, string=MAX_STRING),
)


@dataclass(frozen=True)
class MeasuredRef:
    """A finding's cost in a CPU profile given to ``ecolint ci --profile`` (as
    ``ecolint.results.Measured``): ``samples == 0`` is "not hot in this profile"."""

    share: float
    samples: int
    cpu_s: float
    joules: float
    profile: str
    clock: str = "cpu"  # "sampled": cpu_s and joules are upper bounds (Measured.clock)

    def __post_init__(self) -> None:
        # Loaded from an artifact a fork PR wrote: a figure outside its range is refused
        # rather than shown (a share of 900 % would read as a fact in the comment).
        if not 0.0 <= self.share <= 1.0 or self.samples < 0 or self.cpu_s < 0 or self.joules < 0:
            raise ReportFormatError("measured: share must be 0-1, the other figures ≥ 0")
        if self.clock not in ("cpu", "sampled"):
            raise ReportFormatError("measured: clock must be cpu or sampled")

    @property
    def hot(self) -> bool:
        return self.samples > 0


@dataclass(frozen=True)
class FindingRef:
    code: str
    name: str
    path: str
    line: int
    column: int
    message: str
    severity: str
    fingerprint: str
    # None: no profile covered its file (or no profile was given); written only when set,
    # so a report without profiles reads as before
    measured: MeasuredRef | None = None


@dataclass(frozen=True)
class FindingsDelta:
    """Head's findings against base's, matched by fingerprint (new, fixed, unchanged)."""

    new: tuple[FindingRef, ...] = ()
    fixed: tuple[FindingRef, ...] = ()
    unchanged: int = 0
    base_total: int | None = None  # None: no base (a push without a parent, or not compared)
    head_total: int = 0


@dataclass(frozen=True)
class ScorePartRef:
    name: str
    score: float
    grade: str
    detail: str = ""


@dataclass(frozen=True)
class ScoreRef:
    score: float | None
    grade: str | None
    parts: tuple[ScorePartRef, ...] = ()


@dataclass(frozen=True)
class PerTestChange:
    nodeid: str
    base_cpu_s: float
    head_cpu_s: float
    effect: float | None  # head / base - 1
    change: str  # regression, improvement, unresolved, none
    p_adjusted: float | None


@dataclass(frozen=True)
class EnergyRef:
    """The A/B comparison of the test suite (``ecolint.energy.ab``), CPU time gated."""

    verdict: str
    label: str
    reason: str
    rounds: int
    method: str
    base_cpu_s: float
    head_cpu_s: float
    ratio: float | None
    low: float | None
    high: float | None
    base_energy_j: float
    head_energy_j: float
    base_gco2e: float
    head_gco2e: float
    tests: tuple[PerTestChange, ...] = ()


@dataclass(frozen=True)
class PageRef:
    url: str
    score: float | None
    grade: str | None
    detail: str = ""


@dataclass(frozen=True)
class GateResult:
    name: str
    passed: bool | None  # None: configured but not evaluated (the detail says why)
    detail: str


@dataclass(frozen=True)
class CIReport:
    report_id: str
    event: str
    repository: str
    head_sha: str
    base_sha: str = ""
    base_ref: str = ""
    pull_request: int | None = None
    findings: FindingsDelta = field(default_factory=FindingsDelta)
    base_score: ScoreRef | None = None
    head_score: ScoreRef | None = None
    energy: EnergyRef | None = None
    pages: tuple[PageRef, ...] = ()
    gates: tuple[GateResult, ...] = ()
    notes: tuple[str, ...] = ()
    run_url: str = ""

    @property
    def failed_gates(self) -> list[GateResult]:
        return [gate for gate in self.gates if gate.passed is False]

    @property
    def score_delta(self) -> float | None:
        base, head = self.base_score, self.head_score
        if base is None or head is None or base.score is None or head.score is None:
            return None
        return head.score - base.score

    def to_dict(self) -> dict[str, Any]:
        report = asdict(self)
        for group in ("new", "fixed"):  # ``measured`` only where a profile measured it
            for finding in report["findings"][group]:
                if finding["measured"] is None:
                    del finding["measured"]
        return {"version": SCHEMA_VERSION, "kind": "ecolint-ci-report", "report": report}

    @classmethod
    def from_dict(cls, document: Any) -> CIReport:
        """Load a document written by :meth:`to_dict`, validating every field."""
        return CI_REPORT.build(cls, CI_REPORT.check(document).get("report"), "report")
