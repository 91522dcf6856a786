"""What the codecarbon meter costs a session: ``pytest --eco --eco-meter codecarbon`` against
``--eco-meter model``, as whole processes, paired and interleaved.

Each pair runs both variants on the same suite, the order alternating pair by pair (A B,
B A, …) after one untimed warm-up each. For each variant it prints the median wall and
CPU seconds (this process's children: pytest and codecarbon's CPU-probing child) and peak
RSS; then, pair by pair, what codecarbon adds: seconds (B − A) and ratios (B / A), with
their quartiles. The added seconds are the figure to quote: a ratio depends on the
suite's length, the seconds a session pays do not.

Suites: ``examples`` (ecolint's example project, 26 tests; the default) or ``cpu`` (200
tests burning ~5 ms of CPU each, as in ``eco_overhead.py``): the same added seconds on
both mean nothing is paid per test. Other plugins are not auto-loaded and bytecode
caches are written as on a normal installation (``eco_overhead.environment``).

    .venv/bin/python bench/eco_meter_overhead.py --pairs 9
    .venv/bin/python bench/eco_meter_overhead.py --pairs 9 --suite cpu
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from eco_overhead import BURN_SECONDS, CPU_TESTS, PLUGIN, PYTEST, calibrate, environment, generate

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
VARIANTS = {
    "model": ["--eco", "--eco-meter", "model"],
    "codecarbon": ["--eco", "--eco-meter", "codecarbon"],
}


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mib: float


def run(args: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """One whole process: wall, CPU of it and its children, its peak RSS (``wait4``)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    output = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{output.decode(errors='replace')}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def quartiles(values: list[float], digits: int = 3) -> str:
    q1, median, q3 = statistics.quantiles(values, n=4)
    return f"{median:.{digits}f} ({q1:.{digits}f} to {q3:.{digits}f})"


def compare(suite: Path, pairs: int, env: dict[str, str], report: Path) -> None:
    commands = {
        name: [*PYTEST, *PLUGIN, *options, "--eco-json", str(report)]
        for name, options in VARIANTS.items()
    }
    names = list(commands)
    for name in names:  # warm-up: bytecode and page caches
        run(commands[name], suite, env)
    runs: dict[str, list[Run]] = {name: [] for name in names}
    for pair in range(pairs):
        for name in names if pair % 2 == 0 else reversed(names):
            runs[name].append(run(commands[name], suite, env))
    print(f"\n{suite}: {pairs} pairs")
    print(f"  {'meter':<12} {'wall s':>8} {'CPU s':>8} {'peak RSS MiB':>13}")
    for name in names:
        rows = runs[name]
        print(
            f"  {name:<12} {statistics.median(r.wall for r in rows):8.3f}"
            f" {statistics.median(r.cpu for r in rows):8.3f}"
            f" {statistics.median(r.rss_mib for r in rows):13.1f}"
        )
    base, meter = runs["model"], runs["codecarbon"]
    paired = list(zip(meter, base, strict=True))
    print("  codecarbon against model, pair by pair: median (quartiles)")
    print(f"    added wall s  {quartiles([m.wall - b.wall for m, b in paired])}")
    print(f"    added CPU s   {quartiles([m.cpu - b.cpu for m, b in paired])}")
    print(f"    wall ratio    {quartiles([m.wall / b.wall for m, b in paired])}")
    print(f"    CPU ratio     {quartiles([m.cpu / b.cpu for m, b in paired])}")
    print(f"    added RSS MiB {quartiles([m.rss_mib - b.rss_mib for m, b in paired], 1)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=9, help="pairs (at least 5)")
    parser.add_argument("--suite", choices=["examples", "cpu"], default="examples")
    options = parser.parse_args()
    if options.pairs < 5:
        parser.error("--pairs must be at least 5")
    with tempfile.TemporaryDirectory(prefix="eco-meter-") as folder:
        root = Path(folder)
        env = environment(root / "pycache")
        suite = EXAMPLES
        if options.suite == "cpu":
            n = calibrate(BURN_SECONDS)
            header = f"N = {n}\n\n\ndef burn():\n    total = 0\n    for i in range(N):\n"
            header += "        total += i * i\n    return total\n"
            suite = generate(root / "cpu", CPU_TESTS, "burn()", header)
        compare(suite, options.pairs, env, root / "energy.json")


if __name__ == "__main__":
    main()
