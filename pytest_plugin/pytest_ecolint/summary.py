"""The terminal summary: totals with their method and grid, top tests, budgets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from heapq import nlargest

from ecolint.energy.model import EnergyReport, SessionEnergy, TestEnergy
from ecolint.wording import figures, grams, joules, plural


def summary_lines(report: EnergyReport, top: int, notes: Sequence[str] = ()) -> list[str]:
    s = report.session
    year = f", {s.intensity_year}" if s.intensity_year else ""
    lines = [
        f"method: {s.method} ({s.method_description}; {s.watts_per_thread:.3g} W per thread,"
        f" {s.coefficient_source})",
        f"grid: {s.zone} {s.intensity_g_per_kwh:.4g} gCO2e/kWh ({s.intensity_source}{year}),"
        f" PUE {s.pue:g}",
        f"session: {s.wall_s:.2f} s wall, {s.cpu_s:.2f} s CPU, {joules(s.energy_j)}"
        f" (published CPU power models: {joules(s.energy_j_low)} to {joules(s.energy_j_high)}),"
        f" {grams(s.gco2e)}; SCI {grams(s.sci_g_per_run)} per run"
        + ("" if s.complete else " (partial: the run was interrupted)"),
        *codecarbon_lines(s),
        *gpu_lines(s),
    ]
    ranked = top_tests({nodeid: test.energy_j for nodeid, test in report.tests.items()}, top)
    if ranked:
        lines.append(f"top {len(ranked)} tests by energy:")
        for nodeid in ranked:
            test = report.tests[nodeid]
            beside = (
                f"  codecarbon {joules(sum(test.codecarbon_j.values())):>9}"
                if test.codecarbon_j is not None
                else ""
            )
            if s.gpu is not None:
                beside += f"  GPU {joules(test.gpu_j):>9}"
            lines.append(
                f"  {joules(test.energy_j):>9}  {test.cpu_s * 1000:8.1f} ms CPU{beside}  {nodeid}"
            )
    lines += memory_lines(report.tests, top, s.memory_method)
    lines += instruction_lines(report, top, notes)
    lines += budget_lines(report)
    return lines


def top_tests(figures: Mapping[str, float], top: int) -> list[str]:
    """The ``top`` tests with the largest figures, in that order (ties in the tests' order).

    The summary of every session ranks all its tests: keyed by a dict's own lookup, not a
    Python function called per test."""
    return nlargest(top, figures, key=figures.__getitem__)


def budget_lines(report: EnergyReport) -> list[str]:
    """Each exceeded budget, then which figure each budget key was checked on (CPU time
    or ecolint's energy, never codecarbon's)."""
    lines = []
    keys_by_figure: dict[str, set[str]] = {}
    for budget in report.budgets:
        key = ("suite-" if budget.scope == "suite" else "test-") + budget.metric.replace(
            "_", "-"
        )  # the name of the budget in [tool.ecolint.energy.budget]
        keys_by_figure.setdefault(budget.figure or "an unnamed figure", set()).add(key)
        if budget.exceeded:
            word = "FAILED" if budget.level == "error" else "warning"
            where = "suite" if budget.scope == "suite" else f"test {budget.scope}"
            lines.append(
                f"budget {word}: {where}: {key} = {plain(budget.value)} > {plain(budget.limit)}"
            )
    if keys_by_figure:
        exceeded = sum(1 for budget in report.budgets if budget.exceeded)
        used = "; ".join(
            f"{', '.join(sorted(keys))} on {figure}" for figure, keys in keys_by_figure.items()
        )
        lines.append(f"budgets: {len(report.budgets)} checked, {exceeded} exceeded; {used}")
    return lines


def codecarbon_lines(s: SessionEnergy) -> list[str]:
    """The codecarbon meter: its session figure and each component apart, with the method
    codecarbon names and how the tests share it. Nothing for the other meters."""
    if s.meter != "codecarbon":
        return []
    c = s.codecarbon
    if c is None:
        return [f"codecarbon: no figures ({s.meter_reason})"]
    lines = [
        f"codecarbon {c.version} ({s.meter_reason}; {c.tracking_mode} tracking, one tracker"
        f" for the session, {c.wall_s:.2f} s): {joules(c.energy_j)}, {grams(c.gco2e)};"
        " the figures above stay ecolint's (budgets use them)"
    ]
    if c.before_ready_s > 0:  # its start overlapped collection (codecarbon_meter.backfill)
        lines.append(
            f"  its start overlapped collection: the session's first {c.before_ready_s:.2f} s"
            " are priced at its own rates (CPU and GPU per CPU second, RAM per second)"
        )
    for name, part in c.components.items():
        method = part.method + (": no GPU" if name == "gpu" and not c.gpu_model else "")
        lines.append(
            f"  {name.upper():<4}{joules(part.energy_j):>9}  {method}, {part.power_w:.3g} W"
            f" mean; tests share it by {'CPU' if part.spread_by == 'cpu' else 'wall'} time"
        )
    return lines


def gpu_lines(s: SessionEnergy) -> list[str]:
    """The GPU figure apart from the CPU's, with how the tests got theirs; or why there is
    none (nothing for reports older than the GPU meter)."""
    g = s.gpu
    if g is None:
        return [f"gpu: not measured ({s.gpu_reason})"] if s.gpu_reason else []
    return [
        f"gpu: {joules(g.energy_j)}, {grams(g.gco2e)}, not in the figures above"
        f" ({g.method}: {g.description}); per test: {g.per_test}"
    ]


def memory_lines(tests: dict[str, TestEnergy], top: int, method: str | None) -> list[str]:
    """The tests that raised the peak RSS of the process that ran them the most. The peak
    is a high-water mark: a test that stayed under an earlier peak raised it by nothing."""
    growth = {
        nodeid: test.peak_rss_growth_bytes
        for nodeid, test in tests.items()
        if test.peak_rss_growth_bytes
    }
    if not growth:
        return []
    peak = max(test.peak_rss_bytes or 0 for test in tests.values())
    ranked = top_tests(growth, top)
    lines = [
        f"memory: peak RSS {mib(peak)} (a process's high-water mark, by {method});"
        f" top {plural(len(ranked), 'test')} by how much each raised its process's peak:"
    ]
    for nodeid in ranked:
        reached = tests[nodeid].peak_rss_bytes or 0
        lines.append(f"  {'+' + mib(growth[nodeid]):>12}  to {mib(reached):>10}  {nodeid}")
    return lines


def mib(size: int) -> str:
    """Bytes in MiB, three significant figures."""
    return f"{figures(size / 1048576)} MiB"


def instruction_lines(report: EnergyReport, top: int, notes: Sequence[str]) -> list[str]:
    """Precise mode: instruction counts, labelled as what they are (work, not energy)."""
    lines = []
    precise = any(test.instructions_method for test in report.tests.values())
    for method in ("perf", "callgrind") if precise else ():
        counts = {
            nodeid: test.instructions or 0
            for nodeid, test in report.tests.items()
            if test.instructions_method == method
        }
        if counts:
            lines.append(f"instructions ({method}, work proxy, not energy):")
            for nodeid in top_tests(counts, top):
                lines.append(f"  {counts[nodeid]:>15,}  {nodeid}")
    lines += [f"instructions: {note}" for note in notes]
    return lines


def plain(value: float) -> str:
    """A figure as people write it: 11,940 rather than 1.194e+04, 0.0123 rather than 1.23e-02."""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}" if abs(value) >= 0.001 or value == 0 else f"{value:.2e}"
