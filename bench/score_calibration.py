"""Calibrate the code part of the repository score on real applications.

A grade must mean the same in every repository, so the scale is set by real code, as
EcoIndex sets its scale by the quantiles of reference pages. This script lints every unit
of the real-application corpus of ``bench/precision/corpus.toml`` (each entry of an
application's ``paths``: a Django app, a FastAPI package, a training library…) with the
default configuration, exactly as ``ecolint score`` does (findings shown by default, in
application code only, weighted by rule impact, per thousand lines of application code),
then prints:

- the weighted density of each unit and the quantiles of the densities;
- ``CODE_DECAY``, the constant of ``100 · exp(-density / CODE_DECAY)`` that puts the median
  unit at 50 points (the middle of the scale), and the grades the units would get with it.

Run after ``bench/precision.py --extract`` has put the corpus in place:
``.venv/bin/python bench/score_calibration.py [--corpus /work/corpus/apps]``.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from collections import Counter
from pathlib import Path

from precision import CORPUS_LIST, load_corpus

from ecolint.config.settings import Settings
from ecolint.lint.runner import lint_paths
from ecolint.score import count_code_lines
from ecolint.scoring.repo_score import IMPACT_WEIGHTS, MIN_KLOC, grade_for

MIN_UNIT_LINES = 1000  # smaller units are too noisy to place on the scale


def unit_density(root: Path, unit: Path) -> tuple[float, int, int]:
    """Weighted findings per thousand lines of application code, lines, findings."""
    report = lint_paths([unit], Settings(root=root))
    impacts = {rule.code: rule.impact for rule in report.rules}
    findings = [f for f in report.findings if f.kind == "app" and f.code in impacts]
    lines = sum(count_code_lines(Path(r.path)) for r in report.files if r.kind == "app")
    weighted = sum(IMPACT_WEIGHTS[impacts[f.code]] for f in findings)
    return weighted / max(lines / 1000.0, MIN_KLOC), lines, len(findings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("/work/corpus/apps"))
    args = parser.parse_args()
    densities: list[float] = []
    print(f"{'unit':<45} {'lines':>7} {'findings':>8} {'density':>8}")
    for app in load_corpus(CORPUS_LIST):
        root = args.corpus / app.name
        if not root.is_dir():
            print(f"{app.name}: not extracted under {args.corpus}", file=sys.stderr)
            return 2
        for entry in app.paths:
            unit = root / entry
            density, lines, count = unit_density(root, unit)
            if lines < MIN_UNIT_LINES:
                continue
            densities.append(density)
            print(f"{app.name + '/' + entry:<45} {lines:>7} {count:>8} {density:>8.2f}")
    densities.sort()
    deciles = statistics.quantiles(densities, n=10, method="inclusive")
    median = statistics.median(densities)
    decay = median / math.log(2) if median > 0 else float("inf")
    print(f"\n{len(densities)} units; density deciles: " + ", ".join(f"{q:.2f}" for q in deciles))
    print(f"median {median:.2f} -> CODE_DECAY = {decay:.1f} (the median unit scores 50)")
    grades = Counter(grade_for(100 * math.exp(-d / decay)) for d in densities)
    print("grades of the units with it: " + ", ".join(f"{g} {grades[g]}" for g in "ABCDEFG"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
