"""The one Markdown report of a CI run: the sticky comment and the job summary.

Layout (``github_action/example-comment.md`` shows one): a header with score and grade,
base → head and the delta; a verdict line (gates); a table of base against head; the new
findings (at most ``max_findings``, then a count); energy per test suite and the tests that
moved; EcoIndex per URL; details blocks for the rest. Every string that comes from the
repository or the PR goes through :mod:`ecolint.ci.markdown`; numbers are formatted here.
"""

from __future__ import annotations

from ecolint.ci.markdown import COMMENT_LIMIT, cap, code, text
from ecolint.ci.model import CIReport, EnergyRef, FindingRef, MeasuredRef, ScoreRef
from ecolint.wording import plural

MARKER = "<!-- ecolint:report id={id} -->"
TRUNCATED = "*The report was cut to fit in a comment: the full report is in the job summary.*"


def marker(report_id: str) -> str:
    return MARKER.format(id=report_id)


def render(report: CIReport, max_findings: int = 50, limit: int = COMMENT_LIMIT) -> str:
    lines = [marker(report.report_id), "## 🌱 ecolint: ecodesign report", ""]
    lines += [_headline(report), "", _verdict(report), ""]
    lines += _table(report)
    lines += _new_findings(report.findings.new, max_findings)
    lines += _fixed(report.findings.fixed, max_findings)
    if report.energy is not None:
        lines += _energy_tests(report.energy)
    lines += _pages(report)
    lines += _parts(report.head_score)
    lines += _notes(report.notes)
    lines += ["", _footer(report)]
    return cap("\n".join(lines) + "\n", limit, TRUNCATED)


def _sha(sha: str) -> str:
    return code(sha[:7]) if sha else "—"


def _score(score: ScoreRef | None) -> str:
    if score is None or score.score is None:
        return "not scored"
    # one decimal, like `ecolint score` (rounded to units, 4.4 → 3.6 read "4 ▼ -1 4")
    return f"{score.score:.1f}/100 ({text(score.grade or '—', 2)})"


def _signed(value: float, digits: int = 0) -> str:
    """``▲ +2.5``, ``▼ -1.0``; an unchanged figure reads ``= 0.0``, not ``= +0``."""
    if round(value, digits) == 0:
        return f"= {0:.{digits}f}"
    arrow = "▲" if value > 0 else "▼"
    return f"{arrow} {value:+.{digits}f}"


def _headline(report: CIReport) -> str:
    parts = []
    head = report.head_score
    if head is not None and head.score is not None:
        delta = report.score_delta
        against = f" vs {code(report.base_ref or 'base', 60, in_table=False)}"
        parts.append(
            f"**Score {_score(head)}**"
            + (f" {_signed(delta, 1)}{against}" if delta is not None else "")
        )
    else:
        # Every part (code, tests, web) lacked its input: the notes say why, part by part.
        parts.append("**Score: not computed** (no part of the score was measured: see the notes)")
    findings = report.findings
    if findings.base_total is None:
        parts.append(plural(findings.head_total, "finding"))
    else:
        parts.append(f"{plural(len(findings.new), 'new finding')} · {len(findings.fixed)} fixed")
    if report.energy is not None:
        parts.append(f"test CPU {_ratio_pct(report.energy.ratio)} ({text(report.energy.label)})")
    return " · ".join(parts)


def _verdict(report: CIReport) -> str:
    if not report.gates:
        return "No gate is configured."
    failed = report.failed_gates
    if failed:
        names = "; ".join(f"**{text(gate.name, 40)}**: {text(gate.detail, 300)}" for gate in failed)
        return f"❌ Gate failed: {names}"
    skipped = [text(gate.name, 40) for gate in report.gates if gate.passed is None]
    note = f" (not evaluated: {', '.join(skipped)})" if skipped else ""
    return f"✅ All gates passed{note}."


def _ratio_pct(ratio: float | None) -> str:
    if ratio is None:
        return "n/a"
    return f"{100 * (ratio - 1):+.1f} %"


def _table(report: CIReport) -> list[str]:
    rows = [
        "| Metric | base " + _sha(report.base_sha) + " | head " + _sha(report.head_sha) + " | Δ |"
    ]
    rows.append("|---|---|---|---|")
    if report.head_score is not None and report.head_score.score is not None:
        delta = report.score_delta
        shown = _signed(delta, 1) if delta is not None else "—"
        rows.append(
            f"| Ecodesign score | {_score(report.base_score)} | "
            f"{_score(report.head_score)} | {shown} |"
        )
    found = report.findings
    if found.base_total is None:
        rows.append(f"| Lint findings | — | {found.head_total} | — |")
    else:
        change = found.head_total - found.base_total
        rows.append(
            f"| Lint findings | {found.base_total} | {found.head_total} | "
            f"{_signed(change)} ({len(found.new)} new, {len(found.fixed)} fixed) |"
        )
    energy = report.energy
    if energy is not None:
        rows.append(
            f"| Test-suite CPU ({energy.rounds} rounds, median) | {energy.base_cpu_s:.3f} s | "
            f"{energy.head_cpu_s:.3f} s | {_ratio_pct(energy.ratio)}{_interval(energy)},"
            f" {text(energy.label)} |"
        )
        rows.append(
            f"| Test-suite energy ({text(energy.method, 40)}) | {energy.base_energy_j:.3g} J"
            f" | {energy.head_energy_j:.3g} J"
            f" | {_change(energy.base_energy_j, energy.head_energy_j)} |"
        )
        rows.append(
            f"| Test-suite carbon | {energy.base_gco2e:.3g} gCO2e"
            f" | {energy.head_gco2e:.3g} gCO2e | {_change(energy.base_gco2e, energy.head_gco2e)} |"
        )
    return [*rows, ""]


def _interval(energy: EnergyRef) -> str:
    if energy.low is None or energy.high is None:
        return ""
    return f" (interval ×{energy.low:.3f}–×{energy.high:.3f})"


def _change(base: float, head: float) -> str:
    return f"{100 * (head / base - 1):+.1f} %" if base else "n/a"


def _finding_row(finding: FindingRef) -> str:
    where = code(f"{finding.path}:{finding.line}")
    return (
        f"| {code(finding.code, 20)} {text(finding.name, 60)} | {where} | {text(finding.message)} |"
    )


def _new_findings(new: tuple[FindingRef, ...], limit: int) -> list[str]:
    if not new:
        return []
    if not any(finding.measured is not None for finding in new):
        lines = [f"### New findings ({len(new)})", "", "| Rule | Where | Message |"]
        lines.append("|---|---|---|")
        lines += [_finding_row(finding) for finding in new[:limit]]
        more = "| … | {} more | in the job summary and the annotations |"
    else:
        lines = _measured_head(new)
        new = hot_first(new)
        lines += [f"{_finding_row(finding)} {_cost(finding.measured)} |" for finding in new[:limit]]
        more = "| … | {} more | in the job summary and the annotations | |"
    if len(new) > limit:
        lines.append(more.format(len(new) - limit))
    return [*lines, ""]


def hot_first(findings: tuple[FindingRef, ...]) -> tuple[FindingRef, ...]:
    """The findings a profile measured hot, largest share first, then the rest in their
    order (not hot in the profile, then in files no profile covered)."""

    def rank(finding: FindingRef) -> tuple[int, float]:
        measured = finding.measured
        if measured is None:
            return (2, 0.0)
        return (0, -measured.share) if measured.hot else (1, 0.0)

    return tuple(sorted(findings, key=rank))


def _measured_head(new: tuple[FindingRef, ...]) -> list[str]:
    hot = sum(1 for f in new if f.measured is not None and f.measured.hot)
    profiles = sorted({f.measured.profile for f in new if f.measured is not None})
    names = ", ".join(code(_base_name(name), 80, in_table=False) for name in profiles[:3])
    return [
        f"### New findings ({len(new)}, {hot} hot)",
        "",
        f"Measured cost: the share of the samples of {names} that ran the finding's lines; "
        "hot findings first.",
        "",
        "| Rule | Where | Message | Measured cost |",
        "|---|---|---|---|",
    ]


def _base_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _cost(measured: MeasuredRef | None) -> str:
    """``**hot 42 %** · 1.2 s · 4.8 J``, ``not hot in this profile``, or ``not profiled``
    (a file no profile covered); numbers only, formatted here."""
    if measured is None:
        return "not profiled"
    if not measured.hot:
        return "not hot in this profile"
    share = 100 * measured.share
    percent = f"{share:.0f} %" if share >= 1 else f"{share:.1f} %" if share >= 0.1 else "<0.1 %"
    at_most = "≤ " if measured.clock == "sampled" else ""  # see MeasuredRef.clock
    return f"**hot {percent}** · {at_most}{measured.cpu_s:.3g} s · {at_most}{measured.joules:.3g} J"


def _fixed(fixed: tuple[FindingRef, ...], limit: int) -> list[str]:
    if not fixed:
        return []
    lines = [f"<details><summary>Fixed findings ({len(fixed)})</summary>", ""]
    lines += ["| Rule | Where (in base) | Message |", "|---|---|---|"]
    lines += [_finding_row(finding) for finding in fixed[:limit]]
    if len(fixed) > limit:
        lines.append(f"| … | {len(fixed) - limit} more | |")
    return [*lines, "", "</details>", ""]


def _energy_tests(energy: EnergyRef) -> list[str]:
    moved = [test for test in energy.tests if test.change != "none"]
    lines = [
        f"<details><summary>Energy per test: {len(moved)} moved beyond the threshold</summary>",
        "",
    ]
    lines.append(text(energy.reason, 500))
    if moved:
        lines += ["", "| Test | base CPU | head CPU | Δ | verdict |", "|---|---|---|---|---|"]
        ranked = sorted(moved, key=lambda t: -abs(t.effect or 0.0))[:20]
        for test in ranked:
            effect = f"{100 * test.effect:+.1f} %" if test.effect is not None else "n/a"
            lines.append(
                f"| {code(test.nodeid, 150)} | {1000 * test.base_cpu_s:.1f} ms | "
                f"{1000 * test.head_cpu_s:.1f} ms | {effect} | {text(test.change, 20)} |"
            )
    return [*lines, "", "</details>", ""]


def _pages(report: CIReport) -> list[str]:
    if not report.pages:
        return []
    lines = ["<details open><summary>Web pages (EcoIndex)</summary>", ""]
    lines += ["| Page | EcoIndex | Grade | Detail |", "|---|---|---|---|"]
    for page in report.pages:
        score = f"{page.score:.0f}" if page.score is not None else "—"
        lines.append(
            f"| {code(page.url, 120)} | {score} | {text(page.grade or '—', 2)}"
            f" | {text(page.detail)} |"
        )
    return [*lines, "", "</details>", ""]


def _parts(score: ScoreRef | None) -> list[str]:
    if score is None or not score.parts:
        return []
    lines = [
        "<details><summary>Score parts (head)</summary>",
        "",
        "| Part | Score | Grade | From |",
    ]
    lines.append("|---|---|---|---|")
    for part in score.parts:
        lines.append(
            f"| {text(part.name, 30)} | {part.score:.1f} | {text(part.grade, 2)}"
            f" | {text(part.detail)} |"
        )
    return [*lines, "", "</details>", ""]


def _notes(notes: tuple[str, ...]) -> list[str]:
    if not notes:
        return []
    lines = [f"<details><summary>Notes ({len(notes)})</summary>", ""]
    lines += [f"- {text(note, 500)}" for note in notes]
    return [*lines, "", "</details>", ""]


def _footer(report: CIReport) -> str:
    gates = ", ".join(
        f"{text(gate.name, 40)} {'✅' if gate.passed else '❌' if gate.passed is False else '—'}"
        for gate in report.gates
    )
    where = f" · [run]({report.run_url})" if report.run_url.startswith("https://") else ""
    gates_part = f" · gates: {gates}" if gates else ""
    return f"<sub>ecolint · updated for {_sha(report.head_sha)}{gates_part}{where}</sub>"
