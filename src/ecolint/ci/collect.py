"""Collect: measure head (and base, when there is one) into a :class:`CIReport`.

Nothing here talks to GitHub: collecting is what a fork PR's read-only job can do, and
its result is plain data for whoever publishes it. Optional parts (energy A/B, web
audit, score) import their modules only when they run, and a part that cannot run says
why in the report's notes instead of inventing a figure.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecolint import git
from ecolint.ci.compare import (
    has_commit,
    lint_tree,
    match_findings,
    merge_base,
    settings_for_tree,
)
from ecolint.ci.context import CIContext
from ecolint.ci.gates import BudgetCheck, evaluate
from ecolint.ci.model import (
    CIReport,
    EnergyRef,
    PageRef,
    PerTestChange,
    ScorePartRef,
    ScoreRef,
)
from ecolint.config import Settings
from ecolint.config.ci import AB_ROUNDS
from ecolint.results import LintReport
from ecolint.worktrees import worktrees

if TYPE_CHECKING:
    from ecolint.scoring.measure import RepositoryMeasurement

NO_COMMIT = "0" * 40


@dataclass(frozen=True)
class CIOptions:
    """What to run and how to judge it (``[tool.ecolint.ci]`` merged with the CLI)."""

    paths: tuple[str, ...] = (".",)
    report_id: str = "default"
    fail_on: tuple[str, ...] = ("new-findings", "energy-regression", "budget")
    new_findings_level: str = "warning"
    max_new_findings: int = 0
    max_score_drop: float = 0.0
    energy: bool = False
    rounds: int = AB_ROUNDS  # as `ecolint energy ab`
    pytest_args: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    max_comment_findings: int = 50
    # CPU profiles of the checked-out code (py-spy raw or speedscope, `pytest --eco
    # --eco-profile`): head's findings get their measured cost, the comment lists hot ones first
    profiles: tuple[Path, ...] = ()


@dataclass
class Collected:
    report: CIReport
    head_lint: LintReport
    head_measurement: RepositoryMeasurement | None = None
    notes: list[str] = field(default_factory=list)


def revisions(context: CIContext, root: Path) -> tuple[str | None, str, str]:
    """(base, head, base label): the merge-base for a PR, the previous tip for a push."""
    pull = context.pull_request
    if pull is not None:
        return merge_base(root, pull.base_sha, pull.head_sha), pull.head_sha, pull.base_ref
    head = context.sha or git.run(root, "rev-parse", "HEAD").strip()
    before = context.before
    if context.event_name == "push" and before not in ("", NO_COMMIT) and has_commit(root, before):
        return before, head, "previous push"
    return None, head, ""


@contextmanager
def checkouts(root: Path, shas: list[str]) -> Iterator[dict[str, Path]]:
    """Each sha as a folder: the working tree itself when it is checked out there (so the
    workspace's tools and caches are used), else a temporary worktree."""
    current = git.run(root, "rev-parse", "HEAD").strip()
    missing = [sha for sha in dict.fromkeys(shas) if sha != current]
    with worktrees(root, missing) as (_, trees):
        folders = dict(zip(missing, trees, strict=True))
        yield {sha: root if sha == current else folders[sha] for sha in shas}


def collect(context: CIContext, options: CIOptions, root: Path, settings: Settings) -> Collected:
    """Measure head (and base) with ``settings``, the configuration the command read once
    from the checkout at ``root`` (``--config`` or the nearest): every part uses it."""
    base, head, base_label = revisions(context, root)
    notes: list[str] = []
    revisions_ = [head] if base is None else [base, head]
    with checkouts(root, revisions_) as trees, tempfile.TemporaryDirectory() as cache:
        tree_settings = {
            sha: settings_for_tree(settings, root, tree) for sha, tree in trees.items()
        }
        head_lint = lint_tree(
            trees[head], options.paths, tree_settings[head], cache_dir=Path(cache)
        )
        if options.profiles:
            head_lint = with_profiles(head_lint, trees[head], options.profiles, settings, notes)
        base_lint = None
        if base is not None:
            base_lint = lint_tree(
                trees[base], options.paths, tree_settings[base], cache_dir=Path(cache)
            )
        pages, web_report, web_budgets = _web(options, tree_settings[head], notes)
        head_measurement = _measure(trees[head], head_lint, web_report, tree_settings[head], notes)
        base_measurement = None
        if base is not None and base_lint is not None and head_measurement is not None:
            # The pages are one deployment, not built per revision: the same audit counts
            # for both sides, so the score delta compares like with like.
            base_measurement = _measure(trees[base], base_lint, web_report, tree_settings[base], [])
    delta = match_findings(None if base_lint is None else base_lint.findings, head_lint.findings)
    energy, energy_budgets = (None, None)
    if options.energy and base is not None:
        energy, energy_budgets = _energy(root, base, head, options, settings, notes)
    elif options.energy:
        notes.append("energy A/B skipped: there is no base revision to compare with")
    budgets = [*(energy_budgets or []), *(web_budgets or [])]
    head_score = _score_ref(head_measurement)
    base_score = _score_ref(base_measurement)
    gates = evaluate(
        options.fail_on,
        findings=delta,
        new_findings_level=options.new_findings_level,
        max_new_findings=options.max_new_findings,
        base_score=base_score,
        head_score=head_score,
        max_score_drop=options.max_score_drop,
        energy=energy,
        budgets=budgets or None,
    )
    report = CIReport(
        report_id=options.report_id,
        event=context.event_name,
        repository=context.repository,
        head_sha=head,
        base_sha=base or "",
        base_ref=base_label,
        pull_request=context.pull_request.number if context.pull_request else None,
        findings=delta,
        base_score=base_score,
        head_score=head_score,
        energy=energy,
        pages=pages,
        gates=gates,
        notes=tuple(notes),
        run_url=context.run_url,
    )
    return Collected(report, head_lint, head_measurement, notes)


def with_profiles(
    lint: LintReport, tree: Path, profiles: tuple[Path, ...], settings: Settings, notes: list[str]
) -> LintReport:
    """``lint`` (head's, linted in ``tree``) with the cost the ``profiles`` measured on
    each finding. A profile that is missing or unreadable is a note, not a failure: the
    comment is still worth posting without costs."""
    from ecolint.profiles import ProfileError
    from ecolint.profiles.tree import measure_tree

    readable = []
    for path in profiles:
        if path.is_file():
            readable.append(path)
        else:
            notes.append(f"profile {path}: no such file; its findings are not measured")
    if not readable:
        return lint
    try:
        lint = measure_tree(lint, tree, readable, watts_per_thread=settings.energy.watts_per_thread)
    except ProfileError as error:
        notes.append(f"profile not used: {error}")
        return lint
    for info in lint.profiles:
        if not info.mapped_samples:
            notes.append(
                f"profile {info.path}: none of its {info.samples} samples ran a linted file "
                "(record it on this checkout, with py-spy --full-filenames)"
            )
    return lint


def _measure(
    tree: Path, lint: LintReport, web_report: Any, settings: Settings, notes: list[str]
) -> RepositoryMeasurement:
    from ecolint.scoring.measure import measure_repository

    # Never weighted by cost: base has no profile, so its score and head's would not compare
    measurement = measure_repository(
        tree, lint_report=lint, web_report=web_report, settings=settings, weight_by_cost=False
    )
    for part, reason in sorted(measurement.not_measured.items()):
        if part == "tests":
            # Base and head are scored alike, so a report of one run cannot be used: the
            # suite's energy is compared by the A/B of `energy: true` instead.
            reason = "the CI score leaves it out (each side would need its own pytest --eco"
            reason += " run); `energy: true` compares the test suite's energy instead"
        notes.append(f"score part {part} not measured: {reason}")
    return measurement


def _score_ref(measurement: RepositoryMeasurement | None) -> ScoreRef | None:
    if measurement is None:
        return None
    score = measurement.score
    parts = tuple(ScorePartRef(p.name, p.score, p.grade, p.detail) for p in score.parts)
    return ScoreRef(score.score, score.grade, parts)


def _energy(
    root: Path, base: str, head: str, options: CIOptions, settings: Settings, notes: list[str]
) -> tuple[EnergyRef | None, list[BudgetCheck] | None]:
    from ecolint.energy.ab import ABError, run_ab

    try:
        result = run_ab(
            base, head, rounds=options.rounds, pytest_args=options.pytest_args, folder=root
        )
    except (ABError, git.GitError) as error:
        notes.append(f"energy A/B failed: {error}")
        return None, None
    verdict = result.verdict
    base_side, head_side = result.base.to_dict(), result.head.to_dict()
    tests = tuple(
        PerTestChange(
            t.nodeid, t.base_cpu_s, t.head_cpu_s, _finite(t.effect), t.change, _finite(t.p_adjusted)
        )
        for t in verdict.tests
    )
    energy = EnergyRef(
        verdict=verdict.verdict,
        label=verdict.label,
        reason=verdict.reason,
        rounds=verdict.rounds,
        method=result.base.runs[0].method if result.base.runs else "",
        base_cpu_s=verdict.suite.base_cpu_s,
        head_cpu_s=verdict.suite.head_cpu_s,
        ratio=_finite(verdict.suite.ratio),
        low=_finite(verdict.suite.low),
        high=_finite(verdict.suite.high),
        base_energy_j=base_side["energy_j"],
        head_energy_j=head_side["energy_j"],
        base_gco2e=base_side["gco2e"],
        head_gco2e=head_side["gco2e"],
        tests=tests,
    )
    medians = {
        "cpu_s": verdict.suite.head_cpu_s,
        "energy_j": head_side["energy_j"],
        "gco2e": head_side["gco2e"],
    }
    checks = []
    for budget in settings.energy.budgets:
        if budget.scope == "suite" and budget.metric in medians:
            value = medians[budget.metric]
            what = f"suite {budget.metric} {value:.4g} (max {budget.limit:g})"
            checks.append(BudgetCheck(what, value > budget.limit, budget.level))
        else:
            notes.append(f"budget {budget.scope} {budget.metric} is not checked by the A/B run")
    return energy, checks


def _finite(value: float | None) -> float | None:
    if value is None or value != value or value in (float("inf"), float("-inf")):
        return None
    return float(value)


def _web(
    options: CIOptions, settings: Settings, notes: list[str]
) -> tuple[tuple[PageRef, ...], Any, list[BudgetCheck] | None]:
    if not options.urls:
        return (), None, None
    try:
        from ecolint.web.audit import AuditOptions, run_web_audit
    except ImportError as error:
        notes.append(f"web audit not available: {error}")
        return (), None, None
    report = run_web_audit(list(options.urls), AuditOptions.from_settings(settings.web))
    pages = []
    checks = []
    for page in report.pages:
        index = page.ecoindex
        detail = ", ".join(
            part
            for part in (
                f"{page.bytes / 1000:.0f} kB" if page.bytes is not None else "",
                f"{page.requests} requests" if page.requests is not None else "",
                f"{page.dom} DOM elements" if page.dom is not None else "",
                "; ".join(error.message for error in page.errors),
            )
            if part
        )
        pages.append(
            PageRef(
                page.url,
                float(index.score) if index else None,
                index.grade if index else None,
                detail,
            )
        )
        for budget in page.budgets:
            what = f"{page.url} {budget.metric} {budget.value}"
            checks.append(BudgetCheck(what, not budget.passed, budget.level))
    return tuple(pages), report, checks or None
