"""Each branch of the A/B verdict, on fixed data."""

from __future__ import annotations

import json
import random

from ecolint.scoring.energy_verdict import Criteria, consecutive_ratios, decide

TIGHT_AA = [1.01, 0.99, 1.00, 1.02, 0.98, 1.00, 1.01, 0.99]  # ±1.5 % per run
WIDE_AA = [1.25, 0.80, 1.10, 0.90, 1.30, 0.75, 1.05, 0.95]  # ±25 % per run


def jitter(value: float, rounds: int, spread: float, seed: int) -> list[float]:
    rng = random.Random(seed)
    return [value * (1 + rng.uniform(-spread, spread)) for _ in range(rounds)]


def suite_of(tests: int, rounds: int, cpu_s: float, seed: int) -> dict[str, list[float]]:
    return {f"t.py::test_{i:02d}": jitter(cpu_s, rounds, 0.02, seed + i) for i in range(tests)}


def test_consecutive_ratios_pair_each_run_with_the_one_before():
    assert consecutive_ratios([1.0, 2.0, 1.0]) == [2.0, 0.5]


def test_a_suite_clearly_above_the_threshold_is_a_regression():
    base = [1.00, 1.01, 0.99, 1.00, 1.02]
    head = [b * f for b, f in zip(base, (1.20, 1.19, 1.21, 1.20, 1.22), strict=True)]
    verdict = decide(base, head, {}, {}, TIGHT_AA)
    assert verdict.verdict == "regression"
    assert verdict.suite.low > 1.05
    assert "suite CPU ×1.20" in verdict.reason


def test_one_test_thirty_percent_slower_is_a_regression_naming_it():
    rounds = 8
    base_tests = suite_of(20, rounds, 0.025, seed=1)
    head_tests = suite_of(20, rounds, 0.025, seed=100)
    head_tests["t.py::test_07"] = jitter(0.025 * 1.3, rounds, 0.02, seed=7)
    base = [0.5] * rounds
    verdict = decide(base, [0.507] * rounds, base_tests, head_tests, TIGHT_AA)
    assert verdict.verdict == "regression"
    (regression,) = verdict.changed("regression")
    assert regression.nodeid == "t.py::test_07"
    assert regression.p_value == 2 / 12870  # completely separated, exact
    assert regression.p_adjusted == 20 * 2 / 12870  # Holm over the 20 tests compared
    assert "t.py::test_07 +3" in verdict.reason


def test_a_small_suite_change_is_not_material():
    # +20 % of 25 ms is 5 ms of CPU: under the 10 ms that makes a suite change matter.
    base = [0.025] * 5
    verdict = decide(base, [0.030] * 5, {}, {}, TIGHT_AA)
    assert verdict.verdict != "regression"


def test_tests_under_ten_ms_are_ignored_even_when_slower():
    rounds = 8
    base_tests = {"t.py::test_tiny": jitter(0.004, rounds, 0.02, seed=1)}
    head_tests = {"t.py::test_tiny": jitter(0.006, rounds, 0.02, seed=2)}
    verdict = decide([0.5] * rounds, [0.5] * rounds, base_tests, head_tests, TIGHT_AA)
    assert verdict.ignored == ["t.py::test_tiny"]
    assert verdict.tests == []
    assert verdict.verdict == "pass"


def test_a_faster_suite_is_an_improvement():
    base = [1.00, 1.01, 0.99, 1.00, 1.02]
    head = [b * 0.8 for b in base]
    verdict = decide(base, head, {}, {}, TIGHT_AA)
    assert verdict.verdict == "improvement"


def test_a_regression_wins_over_an_improvement():
    rounds = 8
    base_tests = {
        "t.py::test_a": jitter(0.05, rounds, 0.02, seed=1),
        "t.py::test_b": jitter(0.05, rounds, 0.02, seed=2),
    }
    head_tests = {
        "t.py::test_a": jitter(0.08, rounds, 0.02, seed=5),
        "t.py::test_b": jitter(0.03, rounds, 0.02, seed=6),
    }
    verdict = decide([0.5] * rounds, [0.5] * rounds, base_tests, head_tests, TIGHT_AA)
    assert verdict.verdict == "regression"
    assert [t.nodeid for t in verdict.changed("improvement")] == ["t.py::test_b"]


def test_wide_noise_makes_an_unchanged_suite_inconclusive():
    base = [1.00, 1.01, 0.99, 1.00, 1.02]
    head = [1.01, 0.99, 1.00, 1.02, 1.00]
    verdict = decide(base, head, {}, {}, WIDE_AA)
    assert verdict.verdict == "inconclusive"
    assert verdict.label.startswith("inconclusive (noise ±")
    assert verdict.noise_halfwidth > 0.05
    assert "rounds would resolve it" in verdict.reason


def test_low_noise_and_no_change_is_a_pass():
    base = [1.00, 1.01, 0.99, 1.00, 1.02]
    head = [1.01, 0.99, 1.00, 1.02, 1.00]
    verdict = decide(base, head, suite_of(5, 5, 0.03, 1), suite_of(5, 5, 0.03, 50), TIGHT_AA)
    assert verdict.verdict == "pass"
    assert verdict.noise_halfwidth < 0.05
    assert all(test.change == "none" for test in verdict.tests)


def test_the_threshold_is_configurable():
    base = [1.00, 1.01, 0.99, 1.00, 1.02]
    head = [b * 1.08 for b in base]
    assert decide(base, head, {}, {}, TIGHT_AA).verdict == "regression"
    strict = Criteria(threshold=0.10)
    assert decide(base, head, {}, {}, TIGHT_AA, strict).verdict == "pass"


def test_without_enough_aa_pairs_the_verdict_is_inconclusive():
    verdict = decide([1.0, 1.0, 1.0], [1.0, 1.0, 1.0], {}, {}, [1.0])
    assert verdict.verdict == "inconclusive"
    assert verdict.to_dict()["noise"]["halfwidth_pct"] is None


def test_the_json_form_is_strict_json_with_the_figures_ci_needs():
    rounds = 8
    base_tests = {"t.py::test_new_cost": [0.0] * rounds}
    head_tests = {"t.py::test_new_cost": jitter(0.05, rounds, 0.02, seed=3)}
    verdict = decide([0.5] * rounds, [0.55] * rounds, base_tests, head_tests, TIGHT_AA)
    document = json.loads(json.dumps(verdict.to_dict(), allow_nan=False))
    assert document["verdict"] == "regression"
    assert document["regressions"][0]["effect"] is None  # from 0 s: no finite ratio
    assert document["suite"]["ratios"] == [1.1] * rounds
    assert set(document["noise"]) == {"per_run_pct", "halfwidth_pct", "aa_pairs", "rounds_needed"}
    assert document["criteria"]["threshold"] == 0.05


def test_too_few_rounds_for_a_per_test_flag_are_said_so():
    rounds = 5
    base_tests = suite_of(20, rounds, 0.025, seed=1)
    head_tests = {k: [v * 1.5 for v in values] for k, values in base_tests.items()}
    verdict = decide([0.5] * rounds, [0.5] * rounds, base_tests, head_tests, TIGHT_AA)
    assert verdict.changed("regression") == []
    assert "about 8 rounds are needed" in verdict.per_test_note
    enough = suite_of(20, 8, 0.025, seed=1)
    assert decide([0.5] * 8, [0.5] * 8, enough, enough, TIGHT_AA).per_test_note is None


def test_a_test_that_moved_without_significance_makes_it_inconclusive_not_pass():
    rounds = 8
    base_tests = suite_of(19, rounds, 0.025, seed=1)
    head_tests = suite_of(19, rounds, 0.025, seed=100)
    # Contention inflates some runs on both sides: +29 % in medians, but overlapping.
    base_tests["t.py::test_noisy"] = [0.025, 0.026, 0.024, 0.025, 0.040, 0.041, 0.039, 0.025]
    head_tests["t.py::test_noisy"] = [0.032, 0.033, 0.031, 0.045, 0.044, 0.032, 0.046, 0.033]
    verdict = decide([0.5] * rounds, [0.5] * rounds, base_tests, head_tests, TIGHT_AA)
    assert verdict.verdict == "inconclusive"
    (noisy,) = [test for test in verdict.tests if test.change == "unresolved"]
    assert noisy.nodeid == "t.py::test_noisy"
    assert noisy.p_adjusted >= 0.01
    assert "t.py::test_noisy +29.4% (runs: base 24.0–41.0 ms, head 31.0–46.0 ms;" in verdict.reason
