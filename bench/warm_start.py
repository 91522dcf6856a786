"""A warm ``ecolint check`` (every file answered from the cache) against a baseline commit.

Both sides run from a frozen copy of their sources (``git archive`` of ``--baseline``, and
a copy of this working tree, so that edits made meanwhile change neither), put first on
``PYTHONPATH`` before the installed ``ecolint`` and ``ecolint_rules``. Each side lints the
same ``--files`` files (spread over the standard library, or over ``--source``) with its
own cache folder, filled by one cold run; then the rounds alternate the two sides (A B A
B …, pair by pair, as the machine is shared) on the unchanged tree; with ``--edited``,
also with one file edited before each run, and with ``--cold``, also without the cache
(``--no-cache``, the cold figures of ``lint_speed.py``, which must not move). Prints the
median and IQR of the wall and CPU seconds, the median of the paired ratios, and what
each warm side imports (``-X importtime``, self time summed per package): the run fails
if this tree's warm run imports libcst or a rule pack, or if a side's warm report differs
from its cold one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lint_speed import appender, build_corpus, copy_subset
from measure import Measured, measure

REPO = Path(__file__).resolve().parent.parent
SOURCES = ("src", "rules")
FORBIDDEN = ("libcst", "ecolint_rules")
TARGET_SECONDS = 0.15
# What no ecolint change can go under: the interpreter starting (with site, then without).
FLOORS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "python -S -c pass": [sys.executable, "-S", "-c", "pass"],
}


@dataclass
class Side:
    """One ecolint: its frozen sources and its cache folder."""

    label: str
    sources: Path
    cache: Path
    runs: dict[str, list[Measured]] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        path = os.pathsep.join(str(self.sources / name) for name in SOURCES)
        return {**os.environ, "PYTHONPATH": path, "PYTHONDONTWRITEBYTECODE": ""}

    def command(self, tree: Path, *extra: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "ecolint",
            "check",
            str(tree),
            "--isolated",
            "--exclude",
            ".git",
            "--format",
            "json",
            "--exit-zero",
            "--cache-dir",
            str(self.cache),
            *extra,
        ]

    def run(self, tree: Path, *extra: str) -> Measured:
        return measure(self.command(tree, *extra), env=self.env())


@dataclass(frozen=True)
class Scenario:
    """A row: what to do before each run, and the options added to the command."""

    before: Callable[[], None] | None = None
    options: tuple[str, ...] = ()


def freeze_baseline(revision: str, target: Path) -> None:
    """``src`` and ``rules`` of ``revision``, as committed."""
    target.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", revision, *SOURCES],
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)


def freeze_working_tree(target: Path) -> None:
    """``src`` and ``rules`` of this working tree, as they are now."""
    for name in SOURCES:
        shutil.copytree(REPO / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))


def imported(side: Side, tree: Path) -> dict[str, int]:
    """The modules a warm run of ``side`` imports, with their own import time (µs)."""
    command = [sys.executable, "-X", "importtime", *side.command(tree)[1:]]
    done = subprocess.run(command, env=side.env(), capture_output=True, text=True, check=False)
    modules = {}
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "cumulative" not in line:
            own, _, name = line.split(":", 1)[1].split("|")
            modules[name.strip()] = int(own)
    return modules


def by_package(modules: dict[str, int]) -> list[tuple[str, int]]:
    """Import time per top-level package (``ecolint`` per subpackage), largest first."""
    totals: dict[str, int] = {}
    for name, own in modules.items():
        parts = name.split(".")
        package = ".".join(parts[:2]) if parts[0] == "ecolint" else parts[0]
        totals[package] = totals.get(package, 0) + own
    return sorted(totals.items(), key=lambda item: -item[1])


def quartiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        return values[0], values[0], values[0]
    low, middle, high = statistics.quantiles(values, n=4, method="inclusive")
    return low, middle, high


def row(label: str, runs: list[Measured]) -> str:
    low, wall, high = quartiles([r.wall for r in runs])
    cpu = statistics.median(r.cpu for r in runs)
    return f"  {label:<34} {wall:>7.3f} {high - low:>7.3f} {cpu:>7.3f}"


def findings(measured: Measured) -> object:
    report = json.loads(measured.stdout)
    return report["findings"], report["summary"]


def benchmark(tree: Path, work: Path, baseline: str, rounds: int, edited: bool, cold: bool) -> int:
    old = Side(f"baseline {baseline}", work / "old", work / "old-cache")
    new = Side("this tree", work / "new", work / "new-cache")
    freeze_baseline(baseline, old.sources)
    freeze_working_tree(new.sources)
    scenarios = {"warm, unchanged tree": Scenario()}
    if edited:
        by_size = sorted(tree.rglob("*.py"), key=lambda p: (p.stat().st_size, p.name))
        scenarios["warm, 1 file edited"] = Scenario(appender(by_size[len(by_size) // 2]))
    if cold:
        scenarios["cold (--no-cache)"] = Scenario(options=("--no-cache",))
    failures = []
    reports = []
    for side in (old, new):
        cold = side.run(tree)  # fills the cache (and the rule index)
        warm = side.run(tree)
        if findings(cold) != findings(warm):
            failures.append(f"{side.label}: the warm report differs from the cold one")
        reports.append(findings(warm))
        side.runs = {name: [] for name in scenarios}
    floors: dict[str, list[Measured]] = {label: [] for label in FLOORS}
    for number in range(rounds):
        for name, scenario in scenarios.items():
            # Once per pair, not per side: both lint the same edit, and the next round's
            # unchanged tree is one that both sides have cached.
            if scenario.before is not None:
                scenario.before()
            for side in (old, new):  # A B A B …: each pair under the same load
                side.runs[name].append(side.run(tree, *scenario.options))
        for label, command in FLOORS.items():  # the same rounds: read the figures against it
            floors[label].append(measure(command, env=new.env()))
        print(f"round {number + 1}/{rounds}", file=sys.stderr)
    print(f"{sum(1 for _ in tree.rglob('*.py'))} files, {rounds} rounds, sides alternated")
    same = "identical" if reports[0] == reports[1] else "different (the rules changed since)"
    print(f"findings and summary of the two sides: {same}")
    print(f"  {'':<34} {'wall s':>7} {'IQR':>7} {'cpu s':>7}")
    for name in scenarios:
        print(name)
        for side in (old, new):
            print(row(side.label, side.runs[name]))
        pairs = zip(new.runs[name], old.runs[name], strict=True)
        ratio = statistics.median(a.wall / b.wall for a, b in pairs)
        print(f"  this tree / baseline (median of paired ratios): {ratio:.2f}")
    print("floor: Python's own start-up, in the same rounds")
    for label, runs in floors.items():
        print(row(label, runs))
    warm = statistics.median(r.wall for r in new.runs["warm, unchanged tree"])
    verdict = "met" if warm <= TARGET_SECONDS else "NOT met"
    print(f"target: warm run ≤ {TARGET_SECONDS} s: {verdict} ({warm:.3f} s)")
    for side in (old, new):
        modules = imported(side, tree)
        heavy = [name for name in FORBIDDEN if name in modules]
        packages = by_package(modules)
        listed = ", ".join(f"{name} {own / 1000:.1f}" for name, own in packages[:12])
        total = sum(modules.values()) / 1000
        print(
            f"{side.label}: {len(modules)} modules imported warm in {total:.0f} ms "
            f"(-X importtime); heavy: {', '.join(heavy) or 'none'}"
        )
        print(f"  ms per package: {listed}")
        if side is new and heavy:
            failures.append(f"this tree's warm run imports {', '.join(heavy)}")
    for failure in failures:
        print(f"FAILED: {failure}")
    return 1 if failures else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100, help="files in the tree")
    parser.add_argument("--rounds", type=int, default=10, help="alternated pairs per row")
    parser.add_argument("--baseline", default="HEAD", help="git revision to compare with")
    parser.add_argument("--source", type=Path, help="take the files from this project")
    parser.add_argument("--edited", action="store_true", help="also time one edited file")
    parser.add_argument("--cold", action="store_true", help="also time --no-cache runs")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ecolint-warm-") as folder:
        work = Path(folder)
        tree = work / "tree"
        if options.source:
            copy_subset(options.source, tree, options.files)
        else:
            build_corpus(tree, with_tests=False, subset=options.files)
        # as in a real project: discovery reads it (and imports pathspec) on every run
        (tree / ".gitignore").write_text("__pycache__/\n*.egg-info/\n", encoding="utf-8")
        code = benchmark(tree, work, options.baseline, options.rounds, options.edited, options.cold)
    raise SystemExit(code)


if __name__ == "__main__":
    main()
