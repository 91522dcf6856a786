"""The statistics of ``ecolint energy ab`` on inputs whose answers are known by hand."""

from __future__ import annotations

import math

import pytest

from ecolint.scoring.energy_stats import (
    bootstrap_median_interval,
    calibrate_noise,
    holm,
    mann_whitney,
    median,
    rounds_to_resolve,
    smallest_p,
)


def test_the_median_of_an_odd_and_an_even_sample():
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0, 3.0, 2.0]) == 2.5
    with pytest.raises(ValueError):
        median([])


def test_mann_whitney_exact_matches_the_scipy_documentation_example():
    # scipy.stats.mannwhitneyu docs: males against females, U1 = 17, exact p = 0.1111.
    # By hand: P(U <= 3) for n = 5, m = 4 is (1 + 1 + 2 + 3) / C(9, 4) = 7 / 126.
    result = mann_whitney([19, 22, 16, 29, 24], [20, 11, 17, 12])
    assert result.method == "exact"
    assert result.u == 17
    assert result.p_value == pytest.approx(14 / 126)


def test_complete_separation_has_the_smallest_exact_p_value():
    # Only 2 of the C(16, 8) = 12870 orderings separate two samples of 8 completely.
    low, high = [float(i) for i in range(8)], [float(i) for i in range(10, 18)]
    assert mann_whitney(high, low).p_value == pytest.approx(2 / 12870)
    assert mann_whitney(high, low).u == 64
    assert mann_whitney(low, high).u == 0


def test_identical_looking_samples_are_not_significant():
    result = mann_whitney([1.0, 4.0, 5.0, 8.0], [2.0, 3.0, 6.0, 7.0])
    assert result.u == 8  # exactly n·m / 2
    assert result.p_value == 1.0


def test_mann_whitney_with_ties_uses_the_tie_corrected_normal_approximation():
    # Ranks of 1 2 2 2 3 3 4 5 (x = 1 2 2 3): x gets 1 + 3 + 3 + 5.5 = 12.5, U = 2.5.
    # Mean n·m/2 = 8; ties of 3 and 2: Σ(t³ − t) = 30, variance = 16/12·(9 − 30/56)
    # = 11.2857; z = (5.5 − 0.5) / 3.3594 = 1.4884; two-sided p = 0.1367.
    result = mann_whitney([1, 2, 2, 3], [2, 3, 4, 5])
    assert result.method == "normal"
    assert result.u == 2.5
    assert result.p_value == pytest.approx(0.1367, abs=1e-4)


def test_large_samples_use_the_normal_approximation():
    # n = m = 21 (441 pairs): U = 0, mean 220.5, sd = sqrt(21·21·43/12) = 39.75,
    # z = (220.5 − 0.5) / 39.75 = 5.535, p = 3.1e-8.
    result = mann_whitney(list(range(21)), list(range(100, 121)))
    assert result.method == "normal"
    assert result.p_value == pytest.approx(3.1e-8, rel=0.02)


def test_holm_adjusts_in_order_and_keeps_monotonicity():
    # Sorted 0.005, 0.01, 0.03, 0.04 → ×4, ×3, ×2, ×1 = 0.02, 0.03, 0.06, 0.04 → 0.06.
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])
    assert holm([]) == []


def test_the_bootstrap_interval_of_three_values_is_their_range():
    # P(resampled median = min) = P(at least two of three draws are the min) = 7/27 > 2.5 %.
    assert bootstrap_median_interval([1.2, 0.9, 1.0]) == (0.9, 1.2)


def test_the_bootstrap_is_reproducible_and_brackets_the_median():
    data = [1.02, 0.97, 1.10, 1.01, 0.99, 1.05, 0.95, 1.03]
    first = bootstrap_median_interval(data, seed=3)
    assert first == bootstrap_median_interval(data, seed=3)
    assert first[0] <= median(data) <= first[1]
    assert min(data) <= first[0] < first[1] <= max(data)
    narrow = bootstrap_median_interval(data, confidence=0.5, seed=3)
    assert first[0] <= narrow[0] <= narrow[1] <= first[1]


def test_constant_data_give_a_point_interval():
    assert bootstrap_median_interval([1.0] * 6) == (1.0, 1.0)


def test_noise_is_the_scaled_mad_of_the_log_ratios():
    # log ratios −0.1 0 0.1 0.2 −0.2: median 0, MAD 0.1, σ = 1.4826 · 0.1.
    noise = calibrate_noise([math.exp(v) for v in (-0.1, 0.0, 0.1, 0.2, -0.2)])
    assert noise.pairs == 5
    assert noise.per_run == pytest.approx(0.14826, abs=1e-5)
    # ±: exp(1.96 · 1.2533 · 0.14826 / √4) − 1 = 0.1998; 5 % needs (0.3642/0.04879)² → 56.
    assert noise.halfwidth(4) == pytest.approx(0.1998, abs=1e-4)
    assert noise.halfwidth(16) < noise.halfwidth(4)
    assert noise.rounds_needed(0.05) == 56


def test_one_pair_is_not_enough_to_know_the_noise():
    noise = calibrate_noise([1.1])
    assert not noise.known
    assert noise.halfwidth(5) == math.inf
    assert noise.rounds_needed(0.05) is None


def test_few_rounds_cannot_resolve_many_tests():
    # 2 / C(10, 5) = 0.0079: five rounds flag one test at 1 %, never one among 20.
    assert smallest_p(5, 5) == pytest.approx(2 / 252)
    assert rounds_to_resolve(1, 0.01) == 5
    assert rounds_to_resolve(20, 0.01) == 8  # 20 · 2/12870 = 0.0031; 7 rounds give 0.0117
    assert rounds_to_resolve(900, 0.01) == 10
