"""``ecolint explain ID|NAME``: a rule's documentation, after its theme and evidence line.

With ``--profile F [PATH...]`` it first lists the rule's findings in PATH (default: the
working folder) with the cost the profile measured on each, and beside each hot one the
saving the rule's benchmark suggests: ``joules × (1 − 1/ratio)``, where ``ratio`` is the
bad/good time ratio of ``## Evidence`` at a benchmarked size. The size of the data is what
a profile cannot tell, so without ``--size`` every benchmarked size is shown; either way it
is labelled an estimate, never a measurement of this code.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from ecolint.cli.options import config_option
from ecolint.cli.profiling import profile_errors, profile_inputs
from ecolint.lint.diagnostics import DIAGNOSTICS
from ecolint.lint.evidence import Ratio, benchmark_ratios, nearest, saving
from ecolint.lint.registry import SelectionError, find_rule
from ecolint.lint.themes import theme_of
from ecolint.results import Finding, LintReport, RuleInfo
from ecolint.wording import joules, plural


@click.command()
@click.argument("rule")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@profile_inputs(
    "list RULE's findings in PATHS with their measured cost and the saving its benchmark suggests"
)
@click.option(
    "--size",
    type=click.IntRange(min=1),
    metavar="N",
    help="How many items the code handles (a guess is fine): the estimate uses the "
    "benchmarked size nearest to it, instead of showing every size.",
)
@config_option
def explain(
    rule: str,
    paths: tuple[Path, ...],
    profiles: tuple[Path, ...],
    profile_roots: tuple[str, ...],
    size: int | None,
    config_path: Path | None,
) -> int:
    """Show the documentation of RULE (an id such as ECO102, or a name); with --profile,
    first its findings in PATHS with their measured cost and estimated saving."""
    found = find_rule(rule)
    info = (
        found.info()
        if found is not None
        else next((d for d in DIAGNOSTICS if rule.upper() == d.code or rule == d.name), None)
    )
    if info is None:
        raise SelectionError(f"unknown rule {rule!r}; `ecolint rules` lists them")
    if not profiles and (paths or size is not None):
        raise click.UsageError("PATHS and --size go with --profile FILE")
    flags = [f"fix: {info.fix}"] + (["opt-in"] if info.opt_in else [])
    click.echo(f"# {info.code} {info.name} ({', '.join(flags)})\n")
    click.echo(f"Theme: {theme_of(info.code)}")
    if info.evidence:
        click.echo(f"Evidence: {info.evidence}")
    if profiles:
        report = _measured(info, paths or (Path("."),), profiles, profile_roots, config_path)
        click.echo("\n" + "\n".join(measured_lines(report, info, size)))
    click.echo(f"\n{info.doc}")
    return 0


def _measured(
    info: RuleInfo,
    paths: Sequence[Path],
    profiles: tuple[Path, ...],
    profile_roots: tuple[str, ...],
    config_path: Path | None,
) -> LintReport:
    """RULE's findings in ``paths`` (opt-in or not, low confidence included), joined to
    the profiles."""
    from ecolint.config import load_settings
    from ecolint.lint.registry import Selection
    from ecolint.lint.runner import lint_paths
    from ecolint.profiles import measure_report

    first = paths[0]  # the configuration nearest to it, as for ecolint check
    settings = load_settings(config_path, start=first if first.is_dir() else first.parent)
    selection = Selection(select=(info.code,))
    report = lint_paths(paths, settings, selection=selection, show_all=True)
    with profile_errors():
        return measure_report(
            report, profiles, profile_roots, watts_per_thread=settings.energy.watts_per_thread
        )


def measured_lines(report: LintReport, info: RuleInfo, size: int | None) -> list[str]:
    """The rule's findings, hottest first, each with its cost and estimated saving."""
    from ecolint.render.text import cost_tag

    findings = sorted(
        report.findings, key=lambda f: -f.measured.share if f.measured is not None else 1.0
    )
    names = ", ".join(profile.path for profile in report.profiles)
    if not findings:
        return [f"Measured in {names}: no {info.code} finding in the linted files."]
    ratios = benchmark_ratios(info.doc)
    lines = [f"Measured in {names}: {plural(len(findings), f'{info.code} finding')}"]
    for finding in findings:
        where = f"{finding.path}:{finding.line}:{finding.column + 1}"
        measured = finding.measured
        tag = "[not profiled]" if measured is None else cost_tag(measured)
        lines.append(f"  {where}  {tag}")
        if measured is not None and measured.hot:
            lines.append(f"    {_estimate(finding, ratios, size)}")
    if ratios:
        lines += [
            "  Estimates, not measurements of this code: the joules measured on the finding",
            f"  × (1 − 1/ratio), the ratio being {info.code}'s benchmark (bad/good time) at n"
            + ("." if size is not None else "; --size N picks the size nearest to N."),
        ]
    return lines


def _estimate(finding: Finding, ratios: tuple[Ratio, ...], size: int | None) -> str:
    assert finding.measured is not None
    cost = finding.measured.joules
    at_most = "≤" if finding.measured.clock == "sampled" else ""  # an upper bound, as its cost
    if not ratios:
        return "estimated saving: none known (the rule's evidence gives no ratio per size)"
    if size is not None:
        near = nearest(ratios, size)
        estimate = joules(saving(cost, near.ratio))
        return f"estimated saving: {at_most}{estimate} per run at {_ratio(near)}"
    each = " · ".join(f"{at_most}{joules(saving(cost, r.ratio))} at {_ratio(r)}" for r in ratios)
    return f"estimated saving per run: {each}"


def _ratio(ratio: Ratio) -> str:
    return f"n={ratio.size:,} ({ratio.ratio:g}×)"
