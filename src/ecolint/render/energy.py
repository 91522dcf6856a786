"""Text, Markdown and JSON for ``ecolint energy compare`` and ``ecolint energy ab``.

Every energy figure is printed with its method and grid; per-test lines are capped by
``top`` in text and Markdown (the JSON has every test).
"""

from __future__ import annotations

import json

from ecolint.energy.ab import ABResult
from ecolint.scoring.energy_delta import Delta, ReportDelta, TestDelta
from ecolint.wording import grams, joules

SINGLE_RUNS = (
    "single runs: these are figures, not a verdict (ecolint energy ab decides from"
    " interleaved rounds)"
)


def seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f} s" if abs(value) >= 1 else f"{value * 1000:.1f} ms"


def pct(delta: Delta) -> str:
    if delta.base is None and delta.head is None:
        return "-"
    if delta.pct is None:
        return "new" if delta.base is None else ("gone" if delta.head is None else "-")
    return f"{delta.pct:+.1f} %"


FORMATS = {"cpu_s": seconds, "wall_s": seconds, "energy_j": joules, "gco2e": grams}
LABELS = {"cpu_s": "CPU", "wall_s": "wall", "energy_j": "energy", "gco2e": "carbon"}


def _pair(name: str, delta: Delta) -> str:
    show = FORMATS[name]
    return f"{show(delta.base)} → {show(delta.head)}"


def _test_line(test: TestDelta) -> str:
    cpu, energy, carbon = (test.values[name] for name in ("cpu_s", "energy_j", "gco2e"))
    return (
        f"  {pct(cpu):>9}  CPU {_pair('cpu_s', cpu):<21}  {_pair('energy_j', energy):<19}"
        f"  {_pair('gco2e', carbon):<25}  {test.nodeid}"
    )


def delta_text(delta: ReportDelta, top: int) -> str:
    lines = [f"method: {delta.method}; grid: {delta.grid}", "suite:"]
    for name in ("cpu_s", "wall_s", "energy_j", "gco2e"):
        value = delta.suite[name]
        lines.append(f"  {LABELS[name]:<7} {_pair(name, value):<30} {pct(value)}")
    shown = delta.tests[:top]
    if shown:
        lines.append(f"tests (largest energy change first, {len(shown)} of {len(delta.tests)}):")
        lines.extend(_test_line(test) for test in shown)
    lines.extend(f"warning: {warning}" for warning in delta.warnings)
    lines.append(f"note: {SINGLE_RUNS}")
    return "\n".join(lines) + "\n"


def delta_markdown(delta: ReportDelta, top: int) -> str:
    lines = [
        "### ecolint energy compare",
        "",
        f"Method: {delta.method}; grid: {delta.grid}.",
        "",
        "| | base | head | Δ |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name in ("cpu_s", "wall_s", "energy_j", "gco2e"):
        value = delta.suite[name]
        show = FORMATS[name]
        lines.append(f"| {LABELS[name]} | {show(value.base)} | {show(value.head)} | {pct(value)} |")
    shown = delta.tests[:top]
    if shown:
        lines += [
            "",
            f"Tests, largest energy change first ({len(shown)} of {len(delta.tests)}):",
            "",
            "| test | CPU base | CPU head | Δ CPU | energy head | carbon head |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for test in shown:
            cpu, energy, carbon = (test.values[name] for name in ("cpu_s", "energy_j", "gco2e"))
            nodeid = test.nodeid.replace("|", "\\|")
            lines.append(
                f"| `{nodeid}` | {seconds(cpu.base)} | {seconds(cpu.head)} | {pct(cpu)}"
                f" | {joules(energy.head)} | {grams(carbon.head)} |"
            )
    lines.append("")
    lines.extend(f"> warning: {warning}" for warning in delta.warnings)
    lines.append(f"_{SINGLE_RUNS}._")
    return "\n".join(lines) + "\n"


def delta_json(delta: ReportDelta) -> str:
    return json.dumps(delta.to_dict(), indent=2) + "\n"


def ab_text(result: ABResult) -> str:
    verdict, base, head = result.verdict, result.base, result.head
    suite, noise = verdict.suite, verdict.noise
    lines = [
        f"base {base.ref} ({base.sha[:12]}) against head {head.ref} ({head.sha[:12]}),"
        f" {verdict.rounds} rounds",
        f"suite CPU: {seconds(suite.base_cpu_s)} → {seconds(suite.head_cpu_s)} (medians),"
        f" head/base ×{suite.ratio:.3f}, {int(100 * suite.confidence)} % CI"
        f" {suite.low:.3f}–{suite.high:.3f}",
    ]
    if noise.known:
        lines.append(
            f"noise: ±{100 * noise.per_run:.1f} % per run ({noise.pairs} A/A pairs),"
            f" ±{100 * verdict.noise_halfwidth:.1f} % at {verdict.rounds} rounds"
        )
    document = result.to_dict()
    lines.append(
        f"energy: {joules(document['base']['energy_j'])} → {joules(document['head']['energy_j'])},"
        f" {grams(document['base']['gco2e'])} → {grams(document['head']['gco2e'])}"
        f" per run (medians; method {document['method']})"
    )
    for change in ("regression", "improvement", "unresolved"):
        for test in verdict.changed(change):
            lines.append(
                f"{change}: {test.nodeid} {seconds(test.base_cpu_s)} → {seconds(test.head_cpu_s)}"
                f" CPU ({test.effect:+.1%}), p = {test.p_value:.2g}, Holm {test.p_adjusted:.2g}"
            )
    floor = seconds(verdict.criteria.min_test_cpu_s)
    lines.append(
        f"tests: {len(verdict.tests)} compared, {len(verdict.ignored)} under {floor} CPU ignored"
    )
    if verdict.per_test_note:
        lines.append(f"note: {verdict.per_test_note}")
    lines.append(f"verdict: {verdict.label} — {verdict.reason}")
    return "\n".join(lines) + "\n"
