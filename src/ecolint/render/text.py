"""Human-readable report: ``path:line:col: ID message``, a code frame, then a summary
whose counts per rule are grouped by theme (loops, I/O, network, …), in catalogue order."""

from __future__ import annotations

from ecolint.render.summary import Summary
from ecolint.results import Finding, LintReport, Measured, ProfileInfo
from ecolint.wording import figures, joules, plural


def _frame(finding: Finding) -> list[str]:
    if not finding.line_text:
        return []
    number = str(finding.line)
    gutter = " " * len(number)
    text = finding.line_text.rstrip("\r\n")
    start = max(finding.column - 1, 0)
    end = finding.end_column - 1 if finding.end_line == finding.line else len(text)
    width = max(end - start, 1)
    return [
        f"  {number} | {text}",
        f"  {gutter} | {' ' * start}{'^' * width}",
    ]


def _headline(finding: Finding) -> str:
    marker = " [*]" if finding.fix and finding.fix.applicability == "safe" else ""
    marker = " [unsafe fix]" if finding.fix and finding.fix.applicability == "unsafe" else marker
    location = f"{finding.path}:{finding.line}:{finding.column}"
    kind = "" if finding.kind == "app" else f" [{finding.kind}]"
    related = f" (also {', '.join(code for code, _ in finding.related)})" if finding.related else ""
    cost = "" if finding.measured is None else f" {cost_tag(finding.measured)}"
    headline = f"{finding.code}{marker} {finding.message} ({finding.name}){kind}{related}{cost}"
    return f"{location}: {headline}"


def cost_tag(measured: Measured) -> str:
    """``[hot 72% · 1.40 s · 5.60 J]``, or ``[not hot in this profile]``."""
    if not measured.hot:
        return "[not hot in this profile]"
    share = measured.share
    percent = f"{share:.0%}" if share >= 0.01 else f"{share:.1%}" if share >= 0.001 else "<0.1%"
    seconds = measured.cpu_s
    cpu = f"{_figure(seconds)} s" if seconds >= 1 else f"{_figure(seconds * 1000)} ms"
    energy = joules(measured.joules)  # J, or Wh from 3,600 J up
    if 1000 <= measured.joules < 3600:
        energy = f"{measured.joules:.0f} J"
    at_most = "≤" if measured.clock == "sampled" else ""  # see Measured.clock
    return f"[hot {percent} · {at_most}{cpu} · {at_most}{energy}]"


def _figure(value: float) -> str:
    """Three significant figures, whole numbers from 1,000 up (``figures`` would write
    ``1.74e+03``: a long profile reaches thousands of CPU seconds)."""
    return figures(value) if value < 1000 else f"{value:.0f}"


def _profile_line(info: ProfileInfo) -> str:
    """What a profile held, and how much of it the linted files account for: a profile
    whose paths matched nothing says so, with the way out."""
    head = (
        f"Profile {info.path}: {plural(info.samples, 'sample')} at {info.rate_hz:g} Hz "
        f"({figures(info.cpu_s)} s {'CPU' if info.clock == 'cpu' else 'sampled'})"
    )
    if not info.mapped_samples:
        return (
            f"{head}; none ran a linted file: record with py-spy --full-filenames, "
            "or give --profile-root (the project's folder where it was recorded)"
        )
    share = info.mapped_samples / info.samples
    head = f"{head}, {share:.0%} of them in the linted files; joules from {info.energy_model}"
    if info.clock == "sampled":  # py-spy and the like sample a thread that waits for a CPU
        head += "; ≤: sampled wall time, an upper bound of CPU time on a busy machine"
    return head


def render(
    report: LintReport,
    *,
    quiet: bool = False,
    statistics: bool = False,
    unsafe_fixes: bool = False,
    **_: object,
) -> str:
    """``unsafe_fixes``: the run was given ``--unsafe-fixes``, so the closing hint counts
    the unsafe fixes among those ``--fix`` applies instead of pointing at the flag."""
    lines: list[str] = []
    summary = Summary.of(report)
    if not statistics:
        for finding in report.findings:
            lines.append(_headline(finding))
            if not quiet:
                lines.extend(_frame(finding))
                lines.append("")
    for error in report.errors:
        rule = f" in rule {error.rule}" if error.rule else ""
        lines.append(f"error: internal error{rule} on {error.path}: {error.message.rstrip()}")
    if statistics or (summary.per_rule and not quiet):
        for theme in summary.per_theme:
            lines.append(f"{theme.theme}: {plural(theme.findings, 'finding')}")
            for code, name, count, safe, unsafe in theme.rules:
                notes = [f"{safe} fixable"] * bool(safe) + [
                    plural(unsafe, "unsafe fix", "unsafe fixes")
                ] * bool(unsafe)
                fix_note = f"  ({', '.join(notes)})" if notes else ""
                lines.append(f"{count:>6}  {code}  {name}{fix_note}")
    if not quiet:
        lines.append(_totals(summary, unsafe_fixes))
        if report.hidden:
            lines.append(
                f"{plural(report.hidden, 'low-confidence finding')} hidden "
                "(their saving depends on sizes or settings ecolint cannot see): --show-all"
            )
        lines.extend(_profile_line(info) for info in report.profiles)
        if report.below_cost:
            lines.append(
                f"{plural(report.below_cost, 'finding')} hidden below --min-cost "
                "(measured under that share of the samples, or in no profile)"
            )
    return "\n".join(lines) + ("\n" if lines else "")


def _totals(summary: Summary, unsafe_fixes: bool) -> str:
    parts = []
    if summary.fixes_applied:
        parts.append(f"Fixed {plural(summary.fixes_applied, 'finding')}.")
    if summary.findings:
        files = f"{summary.files_with_findings} of {plural(summary.files, 'file')}"
        parts.append(f"Found {plural(summary.findings, 'finding')} in {files}.")
        if unsafe_fixes and summary.fixable_safe + summary.fixable_unsafe:
            fixable = summary.fixable_safe + summary.fixable_unsafe
            parts.append(f"{fixable} fixable with --fix ({summary.fixable_unsafe} unsafe).")
        else:
            if summary.fixable_safe:
                parts.append(f"{summary.fixable_safe} fixable with --fix.")
            if summary.fixable_unsafe:
                fixes = plural(summary.fixable_unsafe, "unsafe fix", "unsafe fixes")
                parts.append(f"{fixes} with --fix --unsafe-fixes.")
    else:
        parts.append(f"All checks passed ({plural(summary.files, 'file')}).")
    return " ".join(parts)
