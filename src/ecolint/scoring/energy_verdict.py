"""The verdict of an A/B energy comparison: pass, regression, improvement or inconclusive.

The gated quantity is CPU time (joules and gCO2e are linear transforms of it under the
model, so they would add model error, not information). Rules, in this order:

1. **regression** when the suite's median head/base ratio has its confidence interval
   entirely above ``1 + threshold`` *and* the suite got materially slower (10 ms of CPU by
   default), or when a test is slower by more than the threshold, by at least 1 ms, with a
   Holm-adjusted Mann–Whitney p-value under ``alpha``;
2. **improvement**, the same the other way (interval entirely below ``1 - threshold``);
3. **inconclusive (noise ±x %)** when the calibrated noise at this number of rounds is wider
   than the threshold, or when a test moved beyond the threshold (by at least 1 ms) without
   reaching significance: "pass" would then be a guess;
4. **pass** otherwise.

``alpha`` defaults to 1 %: a CI gate runs on every change, and at 5 % one no-op change in
twenty would be flagged through its tests alone.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from ecolint.scoring.energy_stats import (
    Noise,
    bootstrap_median_interval,
    calibrate_noise,
    holm,
    mann_whitney,
    median,
    rounds_to_resolve,
    smallest_p,
)


@dataclass(frozen=True)
class Criteria:
    threshold: float = 0.05  # relative change that matters (5 %)
    alpha: float = 0.01  # family-wise error rate of the per-test tests
    confidence: float = 0.95  # of the suite interval
    min_test_cpu_s: float = 0.010  # tests below this (both sides) are not tested
    min_test_effect_s: float = 0.001  # a test's change must be at least this much CPU
    min_suite_effect_s: float = 0.010  # the suite's change must be at least this much CPU


@dataclass(frozen=True)
class TestShift:
    nodeid: str
    base_cpu_s: float  # medians over the rounds
    head_cpu_s: float
    effect: float  # head / base - 1
    p_value: float
    p_adjusted: float
    test: str  # "exact" or "normal"
    change: str  # "regression", "improvement", "unresolved" (moved, not significant), "none"
    base_range_s: tuple[float, float]  # fastest and slowest run
    head_range_s: tuple[float, float]


@dataclass(frozen=True)
class SuiteShift:
    ratios: list[float]  # per round, head / base
    ratio: float  # their median
    low: float
    high: float
    confidence: float
    base_cpu_s: float  # medians over the rounds
    head_cpu_s: float


@dataclass(frozen=True)
class Verdict:
    verdict: str
    reason: str
    rounds: int
    criteria: Criteria
    suite: SuiteShift
    noise: Noise
    noise_halfwidth: float  # ± relative, at this number of rounds
    tests: list[TestShift] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # under min_test_cpu_s
    per_test_note: str | None = None  # set when too few rounds for any per-test flag

    @property
    def label(self) -> str:
        if self.verdict == "inconclusive":
            return f"inconclusive (noise ±{_pct(self.noise_halfwidth)})"
        return self.verdict

    def changed(self, change: str) -> list[TestShift]:
        return [test for test in self.tests if test.change == change]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (the ``comparison`` of the report; numbers, no formatting)."""
        known = self.noise.known
        return {
            "verdict": self.verdict,
            "label": self.label,
            "reason": self.reason,
            "rounds": self.rounds,
            "quantity": "cpu_s",
            "criteria": asdict(self.criteria),
            "noise": {
                "per_run_pct": 100 * self.noise.per_run if known else None,
                "halfwidth_pct": 100 * self.noise_halfwidth if known else None,
                "aa_pairs": self.noise.pairs,
                "rounds_needed": self.noise.rounds_needed(self.criteria.threshold),
            },
            "suite": _finite(asdict(self.suite)),
            "regressions": [_finite(asdict(test)) for test in self.changed("regression")],
            "improvements": [_finite(asdict(test)) for test in self.changed("improvement")],
            "tests": [_finite(asdict(test)) for test in self.tests],
            "tests_compared": len(self.tests),
            "tests_ignored": len(self.ignored),
            "per_test_note": self.per_test_note,
        }


def _finite(document: dict[str, Any]) -> dict[str, Any]:
    """JSON has no infinity: a ratio against a zero base becomes null."""
    return {
        key: None if isinstance(value, float) and not math.isfinite(value) else value
        for key, value in document.items()
    }


def _ms(bounds: tuple[float, float]) -> str:
    return f"{1000 * bounds[0]:.1f}–{1000 * bounds[1]:.1f} ms"


def _pct(value: float) -> str:
    return f"{100 * value:.1f} %"


def consecutive_ratios(runs: Sequence[float]) -> list[float]:
    """A/A ratios of consecutive runs of one revision (run i+1 / run i)."""
    return [later / earlier for earlier, later in itertools.pairwise(runs) if earlier > 0]


def suite_shift(
    base_cpu: Sequence[float], head_cpu: Sequence[float], confidence: float, seed: int = 0
) -> SuiteShift:
    ratios = [head / base for base, head in zip(base_cpu, head_cpu, strict=True) if base > 0]
    if not ratios:
        raise ValueError("no round with a positive base CPU time")
    low, high = bootstrap_median_interval(ratios, confidence, seed=seed)
    return SuiteShift(
        ratios, median(ratios), low, high, confidence, median(base_cpu), median(head_cpu)
    )


def compare_tests(
    base: Mapping[str, Sequence[float]], head: Mapping[str, Sequence[float]], criteria: Criteria
) -> tuple[list[TestShift], list[str]]:
    """Per-test rank tests with Holm's correction; returns (tested, ignored as too short)."""
    candidates, ignored = [], []
    for nodeid in sorted(base.keys() & head.keys()):
        before, after = base[nodeid], head[nodeid]
        if len(before) < 2 or len(after) < 2:
            continue
        if max(median(before), median(after)) < criteria.min_test_cpu_s:
            ignored.append(nodeid)
            continue
        candidates.append((nodeid, before, after, mann_whitney(after, before)))
    adjusted = holm([result.p_value for *_, result in candidates])
    shifts = []
    for (nodeid, before, after, result), p_adjusted in zip(candidates, adjusted, strict=True):
        base_s, head_s = median(before), median(after)
        effect = head_s / base_s - 1 if base_s > 0 else math.inf
        change = "none"
        if abs(effect) > criteria.threshold and abs(head_s - base_s) >= criteria.min_test_effect_s:
            if p_adjusted >= criteria.alpha:
                change = "unresolved"
            else:
                change = "regression" if effect > 0 else "improvement"
        shifts.append(
            TestShift(
                nodeid,
                base_s,
                head_s,
                effect,
                result.p_value,
                p_adjusted,
                result.method,
                change,
                (min(before), max(before)),
                (min(after), max(after)),
            )
        )
    return shifts, ignored


def _per_test_note(
    base: Mapping[str, Sequence[float]],
    head: Mapping[str, Sequence[float]],
    tests: Sequence[TestShift],
    criteria: Criteria,
) -> str | None:
    """Say so when even a complete separation could not pass Holm's correction."""
    if not tests:
        return None
    best = min(smallest_p(len(base[t.nodeid]), len(head[t.nodeid])) for t in tests)
    if best * len(tests) < criteria.alpha:
        return None
    return (
        f"with these rounds the smallest possible p-value is {best:.2g}: among {len(tests)}"
        f" tests none can reach Holm p < {criteria.alpha:g}; about"
        f" {rounds_to_resolve(len(tests), criteria.alpha)} rounds are needed to flag a test"
    )


def decide(
    base_cpu: Sequence[float],
    head_cpu: Sequence[float],
    base_tests: Mapping[str, Sequence[float]],
    head_tests: Mapping[str, Sequence[float]],
    aa_ratios: Sequence[float],
    criteria: Criteria | None = None,
    seed: int = 0,
) -> Verdict:
    """The verdict from per-round suite CPU (paired by round), per-test CPU samples and the
    A/A ratios that calibrate the noise."""
    criteria = criteria or Criteria()
    suite = suite_shift(base_cpu, head_cpu, criteria.confidence, seed)
    noise = calibrate_noise(aa_ratios)
    rounds = len(suite.ratios)
    halfwidth = noise.halfwidth(rounds)
    tests, ignored = compare_tests(base_tests, head_tests, criteria)
    delta = suite.head_cpu_s - suite.base_cpu_s
    material = abs(delta) >= criteria.min_suite_effect_s
    level = int(100 * criteria.confidence)
    interval = f"×{suite.ratio:.3f} ({level} % CI {suite.low:.3f}–{suite.high:.3f})"

    note = _per_test_note(base_tests, head_tests, tests, criteria)

    def verdict(name: str, reason: str) -> Verdict:
        return Verdict(
            name, reason, rounds, criteria, suite, noise, halfwidth, tests, ignored, note
        )

    for name, sign in (("regression", 1), ("improvement", -1)):
        reasons = []
        bound = suite.low if sign > 0 else suite.high
        if sign * (bound - 1) > criteria.threshold and material:
            reasons.append(f"suite CPU {interval}")
        moved = [test for test in tests if test.change == name]
        if moved:
            worst = max(moved, key=lambda test: sign * test.effect)
            reasons.append(
                f"{len(moved)} test(s) changed, e.g. {worst.nodeid} {worst.effect:+.1%}"
                f" (Holm p = {worst.p_adjusted:.2g})"
            )
        if reasons:
            return verdict(name, "; ".join(reasons))
    if not noise.known:
        return verdict("inconclusive", "too few rounds to calibrate the noise")
    if halfwidth > criteria.threshold:
        needed = noise.rounds_needed(criteria.threshold)
        return verdict(
            "inconclusive",
            f"noise ±{_pct(halfwidth)} at {rounds} rounds is wider than the"
            f" {_pct(criteria.threshold)} threshold (about {needed} rounds would resolve it);"
            f" suite CPU {interval}",
        )
    unresolved = [test for test in tests if test.change == "unresolved"]
    if unresolved:
        worst = max(unresolved, key=lambda test: abs(test.effect))
        return verdict(
            "inconclusive",
            f"{len(unresolved)} test(s) moved beyond {_pct(criteria.threshold)} without"
            f" significance, e.g. {worst.nodeid} {worst.effect:+.1%} (runs: base"
            f" {_ms(worst.base_range_s)}, head {_ms(worst.head_range_s)};"
            f" Holm p = {worst.p_adjusted:.2g});"
            f" suite CPU {interval}",
        )
    return verdict(
        "pass",
        f"suite CPU {interval}, noise ±{_pct(halfwidth)}; no test changed beyond"
        f" {_pct(criteria.threshold)}",
    )
