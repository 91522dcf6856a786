"""What ``pytest --eco`` costs: paired, interleaved whole-process runs against ``pytest``.

Two generated suites, each run as whole processes alternated pair by pair (A B, B A, A B, …
so that neither side always runs second, with its warmer caches):

- ``trivial``: 1000 tests that do nothing (the per-test hot path dominates);
- ``cpu``: 200 tests that each burn about 5 ms of CPU (a fixed amount of work, calibrated
  once on this machine before the runs).

A is ``pytest`` with ecolint installed but inactive, B is ``pytest --eco``. For each suite it
prints the median of the per-pair wall ratios B/A (the targets of issue 5: ≤ 1.03 and
≤ 1.01) and of the CPU ratios, with the median seconds. Absolute seconds drift on a shared
machine; ratios taken pair by pair do not. ``--pairs`` sets the number of pairs (≥ 7).
``--without-plugin`` adds a third row per suite, ``pytest -p no:ecolint``, to show what
merely having ecolint installed costs each pytest start.
"""

from __future__ import annotations

import argparse
import resource
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


def run(args: list[str], cwd: Path) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{completed.stdout}{completed.stderr}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Run(wall, cpu)


def compare(name: str, suite: Path, pairs: int, without_plugin: bool) -> None:
    variants = {"pytest": PYTEST, "pytest --eco": [*PYTEST, "--eco"]}
    if without_plugin:
        variants["pytest -p no:ecolint"] = [*PYTEST, "-p", "no:ecolint"]
    names = list(variants)
    runs: dict[str, list[Run]] = {v: [] for v in names}
    for v in names:  # one untimed warm-up each (bytecode caches, page cache)
        run(variants[v], suite)
    for pair in range(pairs):
        order = names if pair % 2 == 0 else names[::-1]
        for v in order:
            runs[v].append(run(variants[v], suite))
    base = runs["pytest"]
    print(f"\n{name}: {pairs} pairs")
    print(f"  {'variant':<22} {'wall s':>8} {'CPU s':>8} {'wall ratio':>11} {'CPU ratio':>10}")
    for v in names:
        wall_ratio = statistics.median(r.wall / b.wall for r, b in zip(runs[v], base, strict=True))
        cpu_ratio = statistics.median(r.cpu / b.cpu for r, b in zip(runs[v], base, strict=True))
        print(
            f"  {v:<22} {statistics.median(r.wall for r in runs[v]):8.3f}"
            f" {statistics.median(r.cpu for r in runs[v]):8.3f}"
            f" {wall_ratio:11.4f} {cpu_ratio:10.4f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=11, help="pairs per suite (≥ 7)")
    parser.add_argument("--without-plugin", action="store_true", help="add -p no:ecolint")
    parser.add_argument("--suite", choices=["trivial", "cpu", "both"], default="both")
    options = parser.parse_args()
    if options.pairs < 7:
        parser.error("--pairs must be at least 7")
    with tempfile.TemporaryDirectory(prefix="eco-overhead-") as folder:
        root = Path(folder)
        if options.suite in ("trivial", "both"):
            trivial = generate(root / "trivial", TRIVIAL_TESTS, "pass")
            compare("trivial (1000 empty tests)", trivial, options.pairs, options.without_plugin)
        if options.suite in ("cpu", "both"):
            n = calibrate(BURN_SECONDS)
            header = f"N = {n}\n\n\ndef burn():\n    total = 0\n    for i in range(N):\n"
            header += "        total += i * i\n    return total\n"
            cpu = generate(root / "cpu", CPU_TESTS, "burn()", header)
            compare(
                f"cpu (200 tests x ~{BURN_SECONDS * 1000:g} ms, {n} iterations)",
                cpu,
                options.pairs,
                options.without_plugin,
            )


if __name__ == "__main__":
    main()
