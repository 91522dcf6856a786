"""The terminal summary: totals with their method and grid, top tests, budgets."""

from __future__ import annotations

from collections.abc import Sequence

from ecolint.energy.model import EnergyReport, SessionEnergy
from ecolint.wording import grams, joules


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
    ]
    ranked = sorted(report.tests.items(), key=lambda item: -item[1].energy_j)[:top]
    if ranked:
        lines.append(f"top {len(ranked)} tests by energy:")
        for nodeid, test in ranked:
            beside = (
                f"  codecarbon {joules(sum(test.codecarbon_j.values())):>9}"
                if test.codecarbon_j is not None
                else ""
            )
            lines.append(
                f"  {joules(test.energy_j):>9}  {test.cpu_s * 1000:8.1f} ms CPU{beside}  {nodeid}"
            )
    lines += instruction_lines(report, top, notes)
    for budget in report.budgets:
        if budget.exceeded:
            word = "FAILED" if budget.level == "error" else "warning"
            where = "suite" if budget.scope == "suite" else f"test {budget.scope}"
            key = ("suite-" if budget.scope == "suite" else "test-") + budget.metric.replace(
                "_", "-"
            )  # the name of the budget in [tool.ecolint.energy.budget]
            lines.append(
                f"budget {word}: {where}: {key} = {plain(budget.value)} > {plain(budget.limit)}"
            )
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
    for name, part in c.components.items():
        method = part.method + (": no GPU" if name == "gpu" and not c.gpu_model else "")
        lines.append(
            f"  {name.upper():<4}{joules(part.energy_j):>9}  {method}, {part.power_w:.3g} W"
            f" mean; tests share it by {'CPU' if part.spread_by == 'cpu' else 'wall'} time"
        )
    return lines


def instruction_lines(report: EnergyReport, top: int, notes: Sequence[str]) -> list[str]:
    """Precise mode: instruction counts, labelled as what they are (work, not energy)."""
    lines = []
    for method in ("perf", "callgrind"):
        counted = [
            (n, t.instructions or 0)
            for n, t in report.tests.items()
            if t.instructions_method == method
        ]
        if counted:
            lines.append(f"instructions ({method}, work proxy, not energy):")
            for nodeid, count in sorted(counted, key=lambda item: -item[1])[:top]:
                lines.append(f"  {count:>15,}  {nodeid}")
    lines += [f"instructions: {note}" for note in notes]
    return lines


def plain(value: float) -> str:
    """A figure as people write it: 11,940 rather than 1.194e+04, 0.0123 rather than 1.23e-02."""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}" if abs(value) >= 0.001 or value == 0 else f"{value:.2e}"
