"""The gates that make ``ecolint ci`` exit 1: pure decisions over a finished report.

Why a gate can be "not evaluated": a configured gate whose input was not measured (no
score module yet, the energy A/B off, no budget configured) must say so in the comment
rather than pass silently, and must not fail the build either: the build cannot be
blamed for what was not measured.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ecolint.ci.model import EnergyRef, FindingsDelta, GateResult, ScoreRef
from ecolint.wording import plural

_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class BudgetCheck:
    """One budget compared with its measured value (an energy or a web budget)."""

    what: str  # e.g. "suite cpu_s 2.31 (max 2)"
    exceeded: bool
    level: str  # "error" fails the gate, "warn" is only shown


def evaluate(
    gates: Sequence[str],
    *,
    findings: FindingsDelta,
    new_findings_level: str,
    max_new_findings: int,
    base_score: ScoreRef | None,
    head_score: ScoreRef | None,
    max_score_drop: float,
    energy: EnergyRef | None,
    budgets: Sequence[BudgetCheck] | None,
) -> tuple[GateResult, ...]:
    """One result per configured gate, in the order given (``none`` disables all)."""
    if "none" in gates:
        return ()
    results = []
    for gate in dict.fromkeys(gates):
        if gate == "new-findings":
            results.append(_new_findings(findings, new_findings_level, max_new_findings))
        elif gate == "score-drop":
            results.append(_score_drop(base_score, head_score, max_score_drop))
        elif gate == "energy-regression":
            results.append(_energy(energy))
        elif gate == "budget":
            results.append(_budgets(budgets))
    return tuple(results)


def _new_findings(findings: FindingsDelta, level: str, allowed: int) -> GateResult:
    name = "new-findings"
    if findings.base_total is None:
        return GateResult(name, None, "no base to compare with")
    counted = [f for f in findings.new if _RANK.get(f.severity, 1) >= _RANK[level]]
    passed = len(counted) <= allowed
    detail = f"{plural(len(counted), 'new finding')} of level {level} or above (allowed: {allowed})"
    return GateResult(name, passed, detail)


def _score_drop(base: ScoreRef | None, head: ScoreRef | None, allowed: float) -> GateResult:
    name = "score-drop"
    if base is None or head is None or base.score is None or head.score is None:
        return GateResult(name, None, "the score was not computed for both base and head")
    drop = base.score - head.score
    passed = drop <= allowed
    detail = f"score {base.score:.1f} → {head.score:.1f} (a drop of at most {allowed:g} allowed)"
    return GateResult(name, passed, detail)


def _energy(energy: EnergyRef | None) -> GateResult:
    name = "energy-regression"
    if energy is None:
        return GateResult(name, None, "the energy A/B of the test suite did not run")
    return GateResult(name, energy.verdict != "regression", f"test suite: {energy.label}")


def _budgets(budgets: Sequence[BudgetCheck] | None) -> GateResult:
    name = "budget"
    if not budgets:
        return GateResult(name, None, "no budget was measured")
    failed = [b for b in budgets if b.exceeded and b.level == "error"]
    warned = [b for b in budgets if b.exceeded and b.level != "error"]
    detail = f"{len(budgets) - len(failed) - len(warned)} of {plural(len(budgets), 'budget')} met"
    if failed:
        detail += "; exceeded: " + ", ".join(b.what for b in failed)
    if warned:
        detail += f"; {plural(len(warned), 'warning')}"
    return GateResult(name, not failed, detail)
