"""The CI report as plain data: what one run found, in a versioned JSON shape.

Why data and not Markdown: a fork PR's run cannot post its comment, so it hands the
report to a privileged ``workflow_run`` job as an artifact. Whoever opened the PR
controls that artifact. The publisher therefore never posts Markdown it was given: it
loads this document with :func:`CIReport.from_dict`, which checks every field's type and
caps every length, and renders the comment itself, escaping every string again.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, TypeVar

SCHEMA_VERSION = 1
MAX_ITEMS = 5_000  # of any list in a loaded document
MAX_STRING = 2_000  # characters of any string in a loaded document


class ReportFormatError(ValueError):
    """A CI report document that is not one this version wrote (untrusted or corrupt)."""


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
        return {"version": SCHEMA_VERSION, "kind": "ecolint-ci-report", "report": asdict(self)}

    @classmethod
    def from_dict(cls, document: Any) -> CIReport:
        """Load a document written by :meth:`to_dict`, validating every field."""
        if not isinstance(document, dict) or document.get("kind") != "ecolint-ci-report":
            raise ReportFormatError("not an ecolint CI report")
        if document.get("version") != SCHEMA_VERSION:
            raise ReportFormatError(
                f"CI report version {document.get('version')!r}; this ecolint reads "
                f"version {SCHEMA_VERSION}"
            )
        return _load(cls, document.get("report"), "report")


T = TypeVar("T")

_NESTED: dict[str, type] = {
    "FindingsDelta": FindingsDelta,
    "FindingRef": FindingRef,
    "ScoreRef": ScoreRef,
    "ScorePartRef": ScorePartRef,
    "EnergyRef": EnergyRef,
    "PerTestChange": PerTestChange,
    "PageRef": PageRef,
    "GateResult": GateResult,
}


def _load(kind: type[T], value: Any, where: str) -> T:
    if not isinstance(value, dict):
        raise ReportFormatError(f"{where} must be an object")
    unknown = set(value) - {f.name for f in fields(kind)}  # type: ignore[arg-type]
    if unknown:
        raise ReportFormatError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    loaded = {
        spec.name: _value(str(spec.type), value[spec.name], f"{where}.{spec.name}")
        for spec in fields(kind)  # type: ignore[arg-type]
        if spec.name in value
    }
    try:
        return kind(**loaded)
    except TypeError as error:  # a required field is missing
        raise ReportFormatError(f"{where}: {error}") from error


def _value(annotation: str, value: Any, where: str) -> Any:
    options = [part.strip() for part in annotation.split("|")]
    if value is None:
        if "None" in options:
            return None
        raise ReportFormatError(f"{where} must not be null")
    kind = options[0]
    if kind.startswith("tuple["):
        item = kind[len("tuple[") :].split(",")[0].strip()
        if not isinstance(value, list) or len(value) > MAX_ITEMS:
            raise ReportFormatError(f"{where} must be a list of at most {MAX_ITEMS} items")
        return tuple(_value(item, v, f"{where}[{i}]") for i, v in enumerate(value))
    if kind in _NESTED:
        return _load(_NESTED[kind], value, where)
    if kind == "str":
        if not isinstance(value, str):
            raise ReportFormatError(f"{where} must be a string")
        return value[:MAX_STRING]
    if kind == "bool":
        if not isinstance(value, bool):
            raise ReportFormatError(f"{where} must be true or false")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ReportFormatError(f"{where} must be an integer")
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            raise ReportFormatError(f"{where} must be a number")
        return float(value)
    raise ReportFormatError(f"{where}: unsupported type {annotation}")  # pragma: no cover
