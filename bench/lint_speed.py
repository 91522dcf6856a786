"""ecolint against the parse floors and its peers, side by side, on the standard library.

Measures, as whole processes alternated pair by pair on the same files (the standard
library of the running Python without its test folders):

- ``ast.parse``: CPython's own parser on every file (the floor of any Python linter);
- ``libcst parse``: ``libcst.parse_module`` of every file and nothing else (the floor of a
  libcst linter);
- ``ecolint -j1 (cold)`` and ``ecolint -jN (cold)``: ``ecolint check --no-cache`` with
  every default rule, one process and all cores;
- ``ecolint warm``: a second run on the unchanged tree with the content cache (filled once,
  untimed, in a temporary ``--cache-dir``), and ``ecolint warm, 1 file edited``;
- ``ruff PERF`` and ``ruff PERF,C4,FURB,SIM``: the fast non-libcst reference;
- Fixit 2.2.1 (installed only for the benchmark, in ``bench/.peers-venv``) on an evenly
  spread subset of ``--fixit-files`` files, in a second table with its own ``libcst parse``
  and ``ecolint`` rows on that same subset.

Every row shows the median wall and CPU seconds, the peak RSS of the largest single process
and the median of the per-round ratios to ``libcst parse`` (absolute seconds drift by
±60 % on a shared machine; ratios taken pair by pair do not). ``--monorepo LINES`` lints a
synthetic monorepo of that many lines and of a quarter of it, one process, to show whether
memory stays flat. ``--crash-check`` lints the whole standard library, tests included, and
lists internal errors (there must be none) and the files that do not parse, with the reason;
``--site-packages`` does the same on every ``.py`` file of the packages installed in the
running environment. See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from measure import Measured, measure
from monorepo import build_monorepo
from peers import ensure_fixit, fixit_commands, ruff_commands

TEST_DIRS = (
    "test",
    "idlelib/idle_test",
    "tkinter/test",
    "ctypes/test",
    "unittest/test",
    "distutils/tests",
    "lib2to3/tests",
)
SKIPPED = ("site-packages", "__pycache__", "lib-dynload")
CORES = os.cpu_count() or 1
PARSE = "libcst parse"
COLD_1 = "ecolint -j1 (cold)"
COLD_N = f"ecolint -j{CORES} (cold)"
WARM = "ecolint warm"
WARM_EDITED = "ecolint warm, 1 file edited"

_PARSE_EVERY_FILE = """
import sys, pathlib, {module}
sys.setrecursionlimit(20000)
failed = 0
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.py")):
    try:
        {module}.{function}(path.read_bytes())
    except Exception:
        failed += 1
print(failed)
"""
PARSE_ONLY = _PARSE_EVERY_FILE.format(module="libcst", function="parse_module")
AST_PARSE_ONLY = _PARSE_EVERY_FILE.format(module="ast", function="parse")


@dataclass(frozen=True)
class Step:
    """One row: the command, and what to do just before each timed run of it."""

    command: list[str]
    before: Callable[[], None] | None = None
    accepted: tuple[int, ...] = (0, 1)


@dataclass(frozen=True)
class Target:
    """A ratio the issue asks for, checked pair by pair: ``numerator / denominator``."""

    numerator: str
    denominator: str
    goal: str = ""
    met: Callable[[float], bool] | None = None


def build_corpus(target: Path, with_tests: bool, subset: int | None) -> int:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = []
    for path in sorted(stdlib.rglob("*.py")):
        relative = path.relative_to(stdlib)
        parts = relative.parts
        if any(part in SKIPPED or part.startswith("config-") for part in parts):
            continue
        if not with_tests and any(relative.as_posix().startswith(d + "/") for d in TEST_DIRS):
            continue
        files.append(relative)
    if subset:
        files = spread(files, subset)
    for relative in files:
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(stdlib / relative, destination)
    return len(files)


def spread(files: list[Path], count: int) -> list[Path]:
    """``count`` files taken at even steps, so small and large modules are both in."""
    return files[:: max(1, len(files) // count)][:count]


def copy_subset(corpus: Path, target: Path, count: int) -> int:
    chosen = spread(sorted(p.relative_to(corpus) for p in corpus.rglob("*.py")), count)
    for relative in chosen:
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus / relative, destination)
    return len(chosen)


def line_count(corpus: Path) -> int:
    return sum(path.read_bytes().count(b"\n") for path in corpus.rglob("*.py"))


def ecolint(corpus: Path, jobs: int | None, cache_dir: Path | None = None) -> list[str]:
    """``ecolint check`` with every default rule; cold (``--no-cache``) unless ``cache_dir``."""
    command = [
        sys.executable,
        "-m",
        "ecolint",
        "check",
        str(corpus),
        "--exit-zero",
        "--quiet",
        "--format",
        "json",
        "--isolated",
        "--exclude",  # replaces the default excludes, which would skip the stdlib's venv/
        ".git",
    ]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    if cache_dir is None:
        return [*command, "--no-cache"] if cache_supported() else command
    return [*command, "--cache-dir", str(cache_dir)]


@functools.cache
def cache_supported() -> bool:
    """Whether this ecolint has the content cache (``--no-cache`` and ``--cache-dir``)."""
    completed = subprocess.run(
        [sys.executable, "-m", "ecolint", "check", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    return "--no-cache" in completed.stdout and "--cache-dir" in completed.stdout


def appender(path: Path) -> Callable[[], None]:
    """Edits ``path`` before each run (one more comment line), so exactly one file is new."""
    counter = iter(range(1, 1_000_000))

    def edit() -> None:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"# edited by the benchmark, run {next(counter)}\n")

    return edit


def main_rows(corpus: Path, cache_dir: Path, peers: bool) -> tuple[dict[str, Step], list[str]]:
    """The rows on the whole corpus, and why any expected row is missing."""
    notes = []
    rows = {
        "ast.parse": Step([sys.executable, "-c", AST_PARSE_ONLY, str(corpus)]),
        PARSE: Step([sys.executable, "-c", PARSE_ONLY, str(corpus)]),
        COLD_1: Step(ecolint(corpus, 1)),
        COLD_N: Step(ecolint(corpus, CORES)),
    }
    if cache_supported():
        by_size = sorted(corpus.rglob("*.py"), key=lambda p: (p.stat().st_size, p.name))
        edited = by_size[len(by_size) // 2]  # a typical file: the median size
        rows[WARM] = Step(ecolint(corpus, None, cache_dir))
        rows[WARM_EDITED] = Step(ecolint(corpus, None, cache_dir), before=appender(edited))
        lines = edited.read_bytes().count(b"\n")
        notes.append(f"warm rows: cache in a temp folder; edited {edited.name} ({lines} lines)")
    else:
        notes.append("warm rows skipped: this ecolint has no --no-cache/--cache-dir (no cache)")
    if peers:
        found = ruff_commands(corpus)
        rows.update({name: Step(command) for name, command in found.items()})
        if not found:
            notes.append("ruff rows skipped: no ruff beside this Python nor on PATH")
    return rows, notes


def fixit_rows(subset: Path) -> tuple[dict[str, Step], list[str]]:
    python, how = ensure_fixit()
    if python is None:
        return {}, [f"Fixit table skipped: {how}"]
    rows = {
        PARSE: Step([sys.executable, "-c", PARSE_ONLY, str(subset)]),
        COLD_1: Step(ecolint(subset, 1)),
        COLD_N: Step(ecolint(subset, CORES)),
    }
    # Fixit exits 1 on findings, 2 on a file it could not lint, 3 on both.
    rows.update(
        {name: Step(c, accepted=(0, 1, 2, 3)) for name, c in fixit_commands(python, subset).items()}
    )
    return rows, [f"Fixit: {how}"]


class Group:
    """Rows measured together, one run of each per round, with their paired ratios."""

    def __init__(self, title: str, rows: dict[str, Step], targets: list[Target]) -> None:
        self.title = title
        self.rows = rows
        self.targets = [t for t in targets if t.numerator in rows and t.denominator in rows]
        self.runs: dict[str, list[Measured]] = {name: [] for name in rows}

    def run_round(self) -> None:
        for name, step in self.rows.items():  # A B C A B C …: each round is one pairing
            if step.before:
                step.before()
            self.runs[name].append(measure(step.command, accepted=step.accepted))

    def paired(self, numerator: str, denominator: str) -> float:
        pairs = zip(self.runs[numerator], self.runs[denominator], strict=True)
        return statistics.median(a.wall / b.wall for a, b in pairs)

    def report(self) -> None:
        print(f"\n{self.title}")
        header = f"{'measurement':<30} {'wall s':>8} {'cpu s':>8} {'peak RSS MB':>12}"
        print(f"{header} {'× libcst parse':>15}")
        for name, runs in self.runs.items():
            wall = statistics.median(r.wall for r in runs)
            cpu = statistics.median(r.cpu for r in runs)
            rss = max(r.peak_rss_mb for r in runs)
            print(
                f"{name:<30} {wall:>8.2f} {cpu:>8.2f} {rss:>12.0f} "
                f"{self.paired(name, PARSE):>14.2f}×"
            )
        print("paired ratios (median over rounds of one run divided by the other):")
        for target in self.targets:
            ratio = self.paired(target.numerator, target.denominator)
            verdict = ""
            if target.met is not None:
                verdict = f"   target {target.goal}: {'met' if target.met(ratio) else 'NOT met'}"
            print(f"  {target.numerator} / {target.denominator} = {ratio:.3f}{verdict}")


MAIN_TARGETS = [
    Target(PARSE, "ast.parse"),
    Target(COLD_1, PARSE, "≤ 2.0", lambda r: r <= 2.0),
    Target(COLD_N, COLD_1, "≤ 0.6 on 2 cores", lambda r: r <= 0.6),
    Target(WARM, COLD_1, "≤ 0.05", lambda r: r <= 0.05),
    Target(WARM_EDITED, COLD_1),
    Target(COLD_1, "ruff PERF"),
    Target(COLD_1, "ruff PERF,C4,FURB,SIM"),
]
FIXIT_TARGETS = [
    Target(COLD_1, PARSE, "≤ 2.0", lambda r: r <= 2.0),
    Target("fixit -j1", PARSE),
    Target("fixit -j1", COLD_1, "≥ 10", lambda r: r >= 10),
    Target(f"fixit (its CLI, {CORES} cores)", COLD_N),
]


def benchmark(corpus: Path, work: Path, rounds: int, peers: bool, fixit_files: int) -> None:
    rows, notes = main_rows(corpus, work / "cache", peers)
    groups = [Group(f"whole corpus ({rounds} rounds)", rows, MAIN_TARGETS)]
    if peers and fixit_files:
        subset = work / "subset"
        count = copy_subset(corpus, subset, fixit_files)
        fixit, fixit_notes = fixit_rows(subset)
        notes += fixit_notes
        if fixit:
            title = f"Fixit subset: {count} files, {line_count(subset)} lines ({rounds} rounds)"
            groups.append(Group(title, fixit, FIXIT_TARGETS))
    if WARM in rows:
        filled = measure(rows[WARM].command)
        notes.append(f"cache filled once before the rounds in {filled.wall:.2f} s (untimed)")
    for round_number in range(rounds):
        for group in groups:
            group.run_round()
        print(f"round {round_number + 1}/{rounds} done", file=sys.stderr)
    for group in groups:
        group.report()
    print(
        "\npeak RSS: the largest single process (os.wait4); for -jN rows and Fixit's CLI the"
        "\nlargest of the parent and its worker processes, not their sum."
    )
    whole = groups[0].runs
    summary = json.loads(whole[COLD_1][-1].stdout)["summary"]
    print(
        f"ecolint: {summary['findings']} findings in {summary['files']} files, "
        f"{summary['internal_errors']} internal errors; "
        f"libcst could not parse {whole[PARSE][-1].stdout.strip()} files, "
        f"ast.parse {whole['ast.parse'][-1].stdout.strip()}"
    )
    if len(groups) > 1 and "fixit -j1" in groups[1].runs:
        violations, errors = groups[1].runs["fixit -j1"][-1].stdout.split()
        print(f"Fixit on the subset: {violations} violations, {errors} files it could not lint")
    for note in notes:
        print(note)


def monorepo(corpus: Path, work: Path, lines: int) -> None:
    """Lint a monorepo of ``lines`` lines and one of a quarter of that, one process each."""
    print(f"\nsynthetic monorepo, ecolint -j1 --no-cache, one run each (copies of {corpus.name})")
    header = f"{'lines':>10} {'files':>7} {'wall s':>8} {'cpu s':>8} {'peak RSS MB':>12}"
    print(f"{header} {'µs/line':>8}")
    sizes = (max(1, lines // 4), lines)
    measured = []
    for size in sizes:
        tree = work / f"monorepo-{size}"
        files, written = build_monorepo(corpus, tree, size)
        run = measure(ecolint(tree, 1))
        measured.append(run)
        shutil.rmtree(tree)
        print(
            f"{written:>10} {files:>7} {run.wall:>8.2f} {run.cpu:>8.2f} "
            f"{run.peak_rss_mb:>12.0f} {run.wall / written * 1e6:>8.1f}"
        )
    small, large = measured
    print(
        f"4× the lines: peak RSS × {large.peak_rss_mb / small.peak_rss_mb:.2f} "
        f"({large.peak_rss_mb - small.peak_rss_mb:+.0f} MB), wall × {large.wall / small.wall:.2f}"
    )


def build_site_packages(target: Path) -> int:
    """Every ``.py`` file of the installed packages (purelib and platlib of this Python)."""
    paths = sysconfig.get_paths()
    count = 0
    for index, root in enumerate(sorted({Path(paths["purelib"]), Path(paths["platlib"])})):
        for path in sorted(root.rglob("*.py")):
            relative = path.relative_to(root)
            if "__pycache__" in relative.parts or not path.is_file():
                continue
            destination = target / str(index) / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
            count += 1
    return count


def crash_check(corpus: Path, expected: int) -> int:
    """Lint every file of ``corpus`` (no excludes, no .gitignore, no cache), print the
    figures, and return the number of internal errors."""
    config = corpus.parent / f"{corpus.name}.ecolint.toml"
    config.write_text("exclude = []\nrespect-gitignore = false\n", encoding="utf-8")
    command = [sys.executable, "-m", "ecolint", "check", str(corpus), "--exit-zero", "--quiet"]
    command += ["--format", "json", "--jobs", str(CORES), "--config", str(config), "--no-cache"]
    run = measure(command, accepted=(0, 2))  # 2: internal errors, listed below
    document = json.loads(run.stdout)
    summary = document["summary"]
    unparsable = [f for f in document["findings"] if f["code"] in ("ECO001", "ECO002")]
    print(
        f"linted {summary['files']} of {expected} files in {run.wall:.1f} s: "
        f"{summary['findings']} findings"
    )
    print(f"internal errors: {len(document['errors'])}")
    for error in document["errors"]:
        where = Path(error["path"]).relative_to(corpus)
        print(f"  {where} [{error.get('rule') or 'engine'}]: {error['message'].splitlines()[-1]}")
    print(f"reported as not parseable or not readable: {len(unparsable)}")
    for finding in unparsable:
        where = Path(finding["path"]).relative_to(corpus)
        print(f"  {where}:{finding['line']}: {finding['code']} {finding['message']}")
    return len(document["errors"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--subset", type=int, help="Only this many files (spread evenly).")
    parser.add_argument(
        "--fixit-files",
        type=int,
        default=100,
        help="Time Fixit on this many files, spread evenly (0: no Fixit). Default: 100.",
    )
    parser.add_argument("--no-peers", action="store_true", help="Neither ruff nor Fixit.")
    parser.add_argument("--crash-check", action="store_true", help="Whole stdlib, tests too.")
    parser.add_argument(
        "--site-packages",
        action="store_true",
        help="Crash check on every .py file of the installed packages too.",
    )
    parser.add_argument(
        "--monorepo",
        type=int,
        metavar="LINES",
        help="Lint a synthetic monorepo of LINES lines (and of a quarter of it), one process.",
    )
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    args.crash_check = args.crash_check or args.site_packages
    with tempfile.TemporaryDirectory(prefix="ecolint-bench-") as folder:
        work = Path(folder)
        corpus = work / "stdlib"
        count = build_corpus(corpus, with_tests=args.crash_check, subset=args.subset)
        print(
            f"corpus: {count} files, {line_count(corpus)} lines from "
            f"{sysconfig.get_paths()['stdlib']}; Python {sys.version.split()[0]}, {CORES} cores"
        )
        if args.crash_check:
            errors = crash_check(corpus, count)
            if args.site_packages:
                count = build_site_packages(work / "site-packages")
                print(f"\ncorpus: {count} files from {sysconfig.get_paths()['purelib']}")
                errors += crash_check(work / "site-packages", count)
            if errors:
                raise SystemExit(f"{errors} internal error(s)")
        elif args.monorepo:
            monorepo(corpus, work, args.monorepo)
        else:
            benchmark(corpus, work, args.rounds, not args.no_peers, args.fixit_files)


if __name__ == "__main__":
    main()
