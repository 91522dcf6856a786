"""What ``pytest --eco`` costs: paired, interleaved whole-process runs against ``pytest``.

Two generated suites, each run as whole processes alternated pair by pair (A B, B A, A B, …
so that neither side always runs second, with its warmer caches):

- ``trivial``: 1000 tests that do nothing (the per-test hot path dominates);
- ``cpu``: 200 tests that each burn about 5 ms of CPU (a fixed amount of work, calibrated
  once on this machine before the runs).

A is ``pytest`` with ecolint's plugin loaded but inactive, B is ``pytest --eco``. For each
suite it prints the median of the per-pair wall ratios B/A (the targets of issue 5: ≤ 1.03
and ≤ 1.01) and of the CPU ratios, with the median seconds. Absolute seconds drift on a
shared machine; ratios taken pair by pair do not. ``--pairs`` sets the number of pairs
(≥ 7). ``--without-plugin`` adds a row without ecolint's plugin at all, to show what merely
having ecolint installed costs each pytest start. ``--instructions [K]`` also runs each
variant under callgrind in K copies of the suite (default 3): instruction counts do not
drift with the machine's load, so their ratio is the load-free figure of the same overhead
(a minute per copy of the trivial suite, five for the cpu suite). They still move with the
folder's path: its string hashes change dict collisions inside the interpreter (seen with
callgrind_annotate, function by function), and the same code measured 1.026 in one
folder and 1.030 in another; the median of the copies is the figure, with its range.

The runs are lean and reproducible: other pytest plugins are not auto-loaded
(``PYTEST_DISABLE_PLUGIN_AUTOLOAD``, ecolint's loaded with ``-p``), and Python writes its
bytecode caches as on a normal installation (into a temporary ``PYTHONPYCACHEPREFIX``, even
where ``PYTHONDONTWRITEBYTECODE`` is set), so neither side recompiles every module per run.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

TRIVIAL_TESTS = 1000
CPU_TESTS = 200
BURN_SECONDS = 0.005
FILES = 10
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
PLUGIN = ["-p", "pytest_ecolint.plugin"]


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def calibrate(seconds: float) -> int:
    """Loop iterations of ``_burn`` that take ``seconds`` of CPU here (best of 5)."""
    n = 20_000
    best = min(_timed(n) for _ in range(5))
    return max(1, round(n * seconds / best))


def _timed(n: int) -> float:
    start = time.process_time()
    _burn(n)
    return time.process_time() - start


def generate(root: Path, tests: int, body: str, header: str = "") -> Path:
    root.mkdir(parents=True)
    per_file = tests // FILES
    for f in range(FILES):
        lines = [header]
        lines += [f"def test_{f}_{i}():\n    {body}\n" for i in range(per_file)]
        (root / f"test_gen_{f}.py").write_text("\n".join(lines), encoding="utf-8")
    return root


@dataclass
class Run:
    wall: float
    cpu: float


def environment(pycache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {
        **env,
        "PYTHONPYCACHEPREFIX": str(pycache),
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "PYTHONHASHSEED": "0",
    }


def run(args: list[str], cwd: Path, env: dict[str, str]) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{completed.stdout}{completed.stderr}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Run(wall, cpu)


def spread(ratios: list[float]) -> str:
    """The median ratio and its interquartile range: how far one pair is from another."""
    q1, median, q3 = statistics.quantiles(ratios, n=4)
    return f"{median:.4f} ({q1:.3f}-{q3:.3f})"


def instructions(args: list[str], cwd: Path, env: dict[str, str], check: bool = True) -> int:
    """Instructions of the whole process under callgrind (load-independent, ~100x slower);
    ``check=False`` counts a run whatever its exit status (a real suite's failing test)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *args]
        subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=check)
        totals = [line for line in out.read_text().splitlines() if line.startswith("totals:")]
        return int(totals[-1].split()[1])


def compare(name: str, suite: Path, options: argparse.Namespace, env: dict[str, str]) -> None:
    variants = {"pytest": [*PYTEST, *PLUGIN], "pytest --eco": [*PYTEST, *PLUGIN, "--eco"]}
    if options.without_plugin:
        variants["pytest (no ecolint)"] = PYTEST
    names = list(variants)
    runs: dict[str, list[Run]] = {v: [] for v in names}
    for v in names:  # one untimed warm-up each (bytecode caches, page cache)
        run(variants[v], suite, env)
    pairs = options.pairs
    for pair in range(pairs):
        order = names[pair % len(names) :] + names[: pair % len(names)]  # each slot in turn
        for v in order:
            runs[v].append(run(variants[v], suite, env))
    base = runs["pytest"]
    print(f"\n{name}: {pairs} pairs")
    print(
        f"  {'variant':<22} {'wall s':>8} {'CPU s':>8}"
        f" {'wall ratio (quartiles)':>27} {'CPU ratio (quartiles)':>27}"
    )
    for v in names:
        wall = spread([r.wall / b.wall for r, b in zip(runs[v], base, strict=True)])
        cpu = spread([r.cpu / b.cpu for r, b in zip(runs[v], base, strict=True)])
        print(
            f"  {v:<22} {statistics.median(r.wall for r in runs[v]):8.3f}"
            f" {statistics.median(r.cpu for r in runs[v]):8.3f} {wall:>27} {cpu:>27}"
        )
    if options.instructions:
        counts = counted_in_copies(variants, suite, env, options.instructions)
        for v in names:
            ratios = [c / b for c, b in zip(counts[v], counts["pytest"], strict=True)]
            print(
                f"  {v:<22} {statistics.median(counts[v]):>15,.0f} instructions  ratio"
                f" {statistics.median(ratios):.4f} ({min(ratios):.4f}-{max(ratios):.4f},"
                f" {len(ratios)} folders)"
            )


def counted_in_copies(
    variants: dict[str, list[str]], suite: Path, env: dict[str, str], copies: int
) -> dict[str, list[int]]:
    """Each variant's instructions in ``copies`` copies of the suite, each with its own
    bytecode cache (written by one untimed run of each variant first)."""
    counts: dict[str, list[int]] = {v: [] for v in variants}
    for copy in range(copies):
        folder = suite.parent / f"{suite.name}-{copy}"
        shutil.copytree(suite, folder, ignore=shutil.ignore_patterns(".eco"))
        copy_env = {**env, "PYTHONPYCACHEPREFIX": str(suite.parent / f"pycache-{copy}")}
        for v, args in variants.items():
            run(args, folder, copy_env)
            counts[v].append(instructions(args, folder, copy_env))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=11, help="pairs per suite (≥ 7)")
    parser.add_argument("--without-plugin", action="store_true", help="add -p no:ecolint")
    parser.add_argument("--suite", choices=["trivial", "cpu", "both"], default="both")
    parser.add_argument(
        "--instructions",
        type=int,
        nargs="?",
        const=3,
        default=0,
        metavar="K",
        help="also count instructions, in K copies of each suite (default 3)",
    )
    options = parser.parse_args()
    if options.pairs < 7:
        parser.error("--pairs must be at least 7")
    if options.instructions and shutil.which("valgrind") is None:
        parser.error("--instructions needs valgrind (apt-get install valgrind)")
    with tempfile.TemporaryDirectory(prefix="eco-overhead-") as folder:
        root = Path(folder)
        env = environment(root / "pycache")
        if options.suite in ("trivial", "both"):
            trivial = generate(root / "trivial", TRIVIAL_TESTS, "pass")
            compare("trivial (1000 empty tests)", trivial, options, env)
        if options.suite in ("cpu", "both"):
            n = calibrate(BURN_SECONDS)
            header = f"N = {n}\n\n\ndef burn():\n    total = 0\n    for i in range(N):\n"
            header += "        total += i * i\n    return total\n"
            cpu = generate(root / "cpu", CPU_TESTS, "burn()", header)
            compare(
                f"cpu (200 tests x ~{BURN_SECONDS * 1000:g} ms, {n} iterations)",
                cpu,
                options,
                env,
            )


if __name__ == "__main__":
    main()
