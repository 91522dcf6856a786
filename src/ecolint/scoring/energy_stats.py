"""Statistics behind ``ecolint energy ab``: when is head really slower than base?

CPU time on a shared machine varies by 10 % or more from one run to the next, so a single
pair of runs decides nothing. The suite is run in rounds (base, head, base, head …) and:

- the suite effect is the **median of the per-round head/base ratios**, with a percentile
  bootstrap confidence interval (seeded, so the same data always give the same interval);
- the **noise** is calibrated from A/A pairs (two runs of the same code): the MAD of their
  log ratios, scaled to a standard deviation, gives the spread of one ratio; divided by
  √rounds (and the median's efficiency) it gives the ±x % that this number of rounds can
  resolve. When that exceeds the threshold, "pass" would be a guess: the answer is
  *inconclusive (noise ±x %)*;
- **per test**, a two-sided Mann–Whitney U test (exact distribution for small samples
  without ties, normal approximation with tie correction otherwise) with Holm's
  correction over the tests compared, ignoring tests under ~10 ms of CPU whose relative
  noise is huge.

Pure functions, no I/O; pure Python (the samples are a handful of rounds).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

Z_95 = 1.959963984540054  # two-sided 95 % quantile of the normal distribution
MAD_TO_SIGMA = 1.482602218505602  # 1 / Φ⁻¹(3/4): MAD → standard deviation (normal data)
MEDIAN_EFFICIENCY = math.sqrt(math.pi / 2)  # SE(median) ≈ 1.2533 σ / √n
EXACT_LIMIT = 400  # n·m up to which the exact U distribution is computed (20 × 20)


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("median of no values")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def bootstrap_median_interval(
    values: Sequence[float], confidence: float = 0.95, resamples: int = 4000, seed: int = 0
) -> tuple[float, float]:
    """Percentile bootstrap interval of the median. Seeded: the same data give the same
    interval, so a verdict can be reproduced from the JSON's per-round ratios."""
    if not values:
        raise ValueError("bootstrap of no values")
    rng = random.Random(seed)
    size = len(values)
    medians = sorted(median(rng.choices(values, k=size)) for _ in range(resamples))
    tail = (1 - confidence) / 2
    low = medians[math.floor(tail * resamples)]
    high = medians[max(math.ceil((1 - tail) * resamples) - 1, 0)]
    return low, high


@dataclass(frozen=True)
class Noise:
    """Spread of the ratio of two runs of the same code, from ``pairs`` A/A ratios."""

    per_run: float  # σ of log(run₂ / run₁), ≈ relative spread of one head/base ratio
    pairs: int

    @property
    def known(self) -> bool:
        return self.pairs >= 2

    def halfwidth(self, rounds: int) -> float:
        """The ± relative uncertainty (95 %) of the median ratio over ``rounds`` rounds."""
        if not self.known or rounds < 1:
            return math.inf
        return math.exp(Z_95 * MEDIAN_EFFICIENCY * self.per_run / math.sqrt(rounds)) - 1

    def rounds_needed(self, threshold: float) -> int | None:
        """Rounds after which the noise would resolve ``threshold``; None when unknown."""
        if not self.known:
            return None
        spread = Z_95 * MEDIAN_EFFICIENCY * self.per_run / math.log1p(threshold)
        return max(math.ceil(spread * spread), 1)


def calibrate_noise(aa_ratios: Sequence[float]) -> Noise:
    """Noise from A/A ratios (run of a revision / earlier run of the same revision)."""
    logs = [math.log(ratio) for ratio in aa_ratios if ratio > 0]
    if len(logs) < 2:
        return Noise(per_run=math.inf, pairs=len(logs))
    centre = median(logs)
    mad = median([abs(value - centre) for value in logs])
    return Noise(per_run=MAD_TO_SIGMA * mad, pairs=len(logs))


@dataclass(frozen=True)
class RankTest:
    u: float  # U of the first sample: pairs where it is larger, ties counted ½
    p_value: float  # two-sided
    method: str  # "exact" or "normal"


def _ranks(values: Sequence[float]) -> tuple[list[float], list[int]]:
    """Average ranks (1-based) and the sizes of the groups of ties."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    ties = []
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = (start + end) / 2 + 1
        ties.append(end - start + 1)
        start = end + 1
    return ranks, ties


def _u_counts(n: int, m: int) -> list[int]:
    """How many of the C(n+m, n) orderings give each U = 0 … n·m: the coefficients of the
    Gaussian binomial [n+m choose n]_q = Π (1 − q^(m+i)) / (1 − q^i), exact integers."""
    size = n * m + 1
    counts = [1] + [0] * (size - 1)
    for i in range(1, n + 1):
        for k in range(size - 1, m + i - 1, -1):  # × (1 − q^(m+i))
            counts[k] -= counts[k - m - i]
        for k in range(i, size):  # ÷ (1 − q^i)
            counts[k] += counts[k - i]
    return counts


def mann_whitney(x: Sequence[float], y: Sequence[float]) -> RankTest:
    """Two-sided Mann–Whitney U test of ``x`` against ``y``."""
    n, m = len(x), len(y)
    if n == 0 or m == 0:
        raise ValueError("Mann-Whitney needs two non-empty samples")
    ranks, ties = _ranks([*x, *y])
    u = sum(ranks[:n]) - n * (n + 1) / 2
    if all(size == 1 for size in ties) and n * m <= EXACT_LIMIT:
        counts = _u_counts(n, m)
        tail = sum(counts[: int(min(u, n * m - u)) + 1])
        return RankTest(u, min(1.0, 2 * tail / math.comb(n + m, n)), "exact")
    total = n + m
    correction = sum(size**3 - size for size in ties) / (total * (total - 1))
    variance = n * m / 12 * ((total + 1) - correction)
    if variance <= 0:
        return RankTest(u, 1.0, "normal")
    z = max(abs(u - n * m / 2) - 0.5, 0.0) / math.sqrt(variance)
    return RankTest(u, min(1.0, math.erfc(z / math.sqrt(2))), "normal")


def smallest_p(n: int, m: int) -> float:
    """The smallest two-sided exact p-value two samples of n and m can give (complete
    separation): with few rounds, no test can pass a multiple-testing correction."""
    return min(1.0, 2 / math.comb(n + m, n))


def rounds_to_resolve(tests: int, alpha: float) -> int:
    """Rounds (samples per side) for which one test among ``tests`` can reach Holm's α."""
    rounds = 2
    while smallest_p(rounds, rounds) * tests >= alpha and rounds < 100:
        rounds += 1
    return rounds


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm–Bonferroni adjusted p-values, in the input order (family-wise error control:
    with 20 tests compared, a no-op change still flags none with probability ≥ 1 − α)."""
    count = len(p_values)
    order = sorted(range(count), key=p_values.__getitem__)
    adjusted = [0.0] * count
    running = 0.0
    for step, index in enumerate(order):
        running = max(running, min(1.0, (count - step) * p_values[index]))
        adjusted[index] = running
    return adjusted
