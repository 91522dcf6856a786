"""Join profiles to a report whose paths are relative to a tree other than the working
folder: ``ecolint ci`` lints head in a temporary worktree, ``ecolint score PATH`` lints
``PATH`` from anywhere.

``measure_report`` reads each linted file (``result.path``) for its finding ranges, so the
join is made on absolute paths in ``tree`` (a path the profile recorded elsewhere matches
by its tail, see ``ecolint.profiles.paths``), then the costs are put back on the report's
findings, which keep their relative paths and fingerprints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ecolint.profiles import DEFAULT_RATE_HZ, measure_report
from ecolint.results import LintReport


def measure_tree(
    report: LintReport,
    tree: Path,
    files: Sequence[Path],
    recorded_roots: Sequence[str] = (),
    rate_hz: float = DEFAULT_RATE_HZ,
    watts_per_thread: float | None = None,
) -> LintReport:
    """``report`` (paths relative to ``tree``) with the cost the profiles in ``files``
    measured on each finding, and their summaries; raises ``ProfileError``."""
    absolute = replace(
        report,
        root=str(tree),
        files=tuple(replace(result, path=str(tree / result.path)) for result in report.files),
    )
    measured = measure_report(absolute, files, recorded_roots, rate_hz, watts_per_thread)
    joined = tuple(
        replace(
            result,
            findings=tuple(
                replace(finding, measured=cost.measured)
                for finding, cost in zip(result.findings, costs.findings, strict=True)
            ),
        )
        for result, costs in zip(report.files, measured.files, strict=True)
    )
    return replace(report, files=joined, profiles=measured.profiles)
