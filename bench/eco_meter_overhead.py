"""What the codecarbon meter costs a session: ``pytest --eco --eco-meter codecarbon`` against
``--eco-meter model``, as whole processes, paired and interleaved.

Each pair runs both variants on the same suite, the order alternating pair by pair (A B,
B A, …) after one untimed warm-up each. For each variant it prints the median wall and
CPU seconds (pytest and what it reaped: codecarbon's sidecar and its CPU-probing child)
and peak RSS (the largest of these processes); then, pair by pair, what codecarbon
adds: seconds (B − A) and ratios (B / A), with their quartiles. The added seconds are the
figure to quote: a ratio depends on the suite's length, the seconds a session pays do not.
Per test, from each run's report: the tests' CPU and wall seconds summed, codecarbon
against model pair by pair (the target is at most 1 % more per test).

Suites: ``examples`` (ecolint's example project, 26 tests; the default), ``cpu`` (200
tests burning ~5 ms of CPU each, as in ``eco_overhead.py``): the same added seconds on
both mean nothing is paid per test; ``collect`` (200 empty tests in 10 files that burn
100 ms of CPU each at import: 1 s of collection, which the tracker's start can overlap).
Other plugins are not auto-loaded and bytecode caches are written as on a normal
installation (``eco_overhead.environment``).

    .venv/bin/python bench/eco_meter_overhead.py --pairs 9
    .venv/bin/python bench/eco_meter_overhead.py --pairs 9 --suite cpu
    .venv/bin/python bench/eco_meter_overhead.py --pairs 9 \\
      --against /tmp/before/src:/tmp/before/pytest_plugin  # a copy of src/ and
      # pytest_plugin/ from before a change (repeatable: each is a variant)
    .venv/bin/python bench/eco_meter_overhead.py --pairs 9 --monitor  # per test, in process
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from eco_overhead import (
    BURN_SECONDS,
    CPU_TESTS,
    PLUGIN,
    PYTEST,
    _burn,
    calibrate,
    environment,
    generate,
)

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
    tests_cpu: float = 0.0  # the tests' own clocks, summed, from the report
    tests_wall: float = 0.0


def run(args: list[str], cwd: Path, env: dict[str, str], report: Path | None = None) -> Run:
    """One whole process: wall, CPU of it and its children, its peak RSS (``wait4``);
    with ``report``, the tests' CPU and wall seconds it holds."""
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
    result = Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)
    if report is not None:
        tests = json.loads(report.read_text())["tests"].values()
        result.tests_cpu = sum(seconds(test, "cpu") for test in tests)
        result.tests_wall = sum(seconds(test, "wall") for test in tests)
    return result


def seconds(test: dict[str, float], clock: str) -> float:
    """A test's clock in a report: nanoseconds from version 3, seconds before (a checkout
    run with ``--against`` may write either)."""
    return test[f"{clock}_ns"] / 1e9 if f"{clock}_ns" in test else test[f"{clock}_s"]


def quartiles(values: list[float], digits: int = 3) -> str:
    q1, median, q3 = statistics.quantiles(values, n=4)
    return f"{median:.{digits}f} ({q1:.{digits}f} to {q3:.{digits}f})"


def compare(
    suite: Path,
    pairs: int,
    env: dict[str, str],
    report: Path,
    against: list[str],
    extra: tuple[str, ...] = (),
) -> None:
    """Every variant once per round, the order reversed every other round; with
    ``against``, the codecarbon meter of other checkouts (each one's ``src`` and plugin on
    ``PYTHONPATH``) runs in the same rounds: a change measured before and after at once."""
    variants = {name: (options, env) for name, options in VARIANTS.items()}
    for path in against:
        variants[f"codecarbon@{Path(path.split(os.pathsep)[0]).parent.name}"] = (
            VARIANTS["codecarbon"],
            {**env, "PYTHONPATH": path},
        )
    commands = {
        name: ([*PYTEST, *PLUGIN, *extra, *options, "--eco-json", str(report)], variant_env)
        for name, (options, variant_env) in variants.items()
    }
    names = list(commands)
    for args, variant_env in commands.values():  # warm-up: bytecode and page caches
        run(args, suite, variant_env)
    runs: dict[str, list[Run]] = {name: [] for name in names}
    for pair in range(pairs):
        for name in names if pair % 2 == 0 else reversed(names):
            args, variant_env = commands[name]
            runs[name].append(run(args, suite, variant_env, report))
    print(f"\n{suite}: {pairs} rounds {' '.join(extra)}")
    print(f"  {'meter':<20} {'wall s':>8} {'CPU s':>8} {'peak RSS MiB':>13}")
    for name in names:
        rows = runs[name]
        print(
            f"  {name:<20} {statistics.median(r.wall for r in rows):8.3f}"
            f" {statistics.median(r.cpu for r in rows):8.3f}"
            f" {statistics.median(r.rss_mib for r in rows):13.1f}"
        )
    for name in names[1:]:
        summarise(name, runs[name], runs["model"])


def summarise(name: str, meter: list[Run], base: list[Run]) -> None:
    paired = list(zip(meter, base, strict=True))
    print(f"  {name} against model, pair by pair: median (quartiles)")
    print(f"    added wall s  {quartiles([m.wall - b.wall for m, b in paired])}")
    print(f"    added CPU s   {quartiles([m.cpu - b.cpu for m, b in paired])}")
    print(f"    wall ratio    {quartiles([m.wall / b.wall for m, b in paired])}")
    print(f"    CPU ratio     {quartiles([m.cpu / b.cpu for m, b in paired])}")
    print(f"    added RSS MiB {quartiles([m.rss_mib - b.rss_mib for m, b in paired], 1)}")
    print("    per test (the tests' own clocks summed), ratio to model:")
    print(f"      CPU         {quartiles([m.tests_cpu / b.tests_cpu for m, b in paired])}")
    print(f"      wall        {quartiles([m.tests_wall / b.tests_wall for m, b in paired])}")


def monitor_cost(rounds: int, tests: int = 100) -> None:
    """What a started tracker costs the tests themselves, in this process: its 1-s power
    monitor thread's CPU time lands in the clocks of whichever test is running. Each round
    runs ``tests`` calibrated 20 ms bursts without a tracker, with the meter's tracker in
    this process (``CodecarbonMeter``, the fallback) and in its sidecar (``SidecarMeter``,
    the default: only a thread blocked on the pipe is left here), each started and ready,
    and compares the process's CPU time with the main thread's: what the other threads
    took, per wall second and as a share of the tests' CPU time."""
    from ecolint.energy.codecarbon_meter import CodecarbonMeter
    from ecolint.energy.codecarbon_sidecar import SidecarMeter

    n = calibrate(0.02)
    starts = {"no tracker": None, "in process": CodecarbonMeter.start}
    starts["sidecar"] = SidecarMeter.launch
    shares: dict[str, list[float]] = {variant: [] for variant in starts}
    per_second: dict[str, list[float]] = {variant: [] for variant in starts}
    for _ in range(rounds):
        for variant, start in starts.items():
            meter = start("FRA", None, 56.0) if start is not None else None
            if meter is not None:
                meter.ready()
            wall, process, main_thread = (
                time.perf_counter(),
                time.process_time(),
                time.thread_time(),
            )
            for _ in range(tests):
                _burn(n)
            wall = time.perf_counter() - wall
            main_thread = time.thread_time() - main_thread
            others = time.process_time() - process - main_thread
            shares[variant].append(others / main_thread)
            per_second[variant].append(others / wall * 1000)
            if meter is not None:
                meter.stop(0.0)
    print(f"\nper test, in process: {rounds} rounds of {tests} tests of 20 ms of CPU")
    for variant in starts:
        print(f"  {variant}: other threads' CPU / tests' CPU {quartiles(shares[variant], 4)},")
        print(f"    ms of CPU per wall second {quartiles(per_second[variant], 2)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=9, help="pairs (at least 5)")
    parser.add_argument("--suite", choices=["examples", "cpu", "collect"], default="examples")
    parser.add_argument(
        "--xdist", action="store_true", help="every variant under -n 2 (pytest-xdist)"
    )
    parser.add_argument(
        "--monitor",
        action="store_true",
        help="instead: what a started tracker costs the tests, measured in this process",
    )
    parser.add_argument(
        "--against",
        metavar="PYTHONPATH",
        action="append",
        default=[],
        help="also run the codecarbon meter of another checkout (before/after a change);"
        " repeatable",
    )
    options = parser.parse_args()
    if options.pairs < 5:
        parser.error("--pairs must be at least 5")
    if options.monitor:
        monitor_cost(options.pairs)
        return
    with tempfile.TemporaryDirectory(prefix="eco-meter-") as folder:
        root = Path(folder)
        env = environment(root / "pycache")
        suite = EXAMPLES
        if options.suite == "cpu":
            n = calibrate(BURN_SECONDS)
            header = f"N = {n}\n\n\ndef burn():\n    total = 0\n    for i in range(N):\n"
            header += "        total += i * i\n    return total\n"
            suite = generate(root / "cpu", CPU_TESTS, "burn()", header)
        elif options.suite == "collect":  # 1 s of CPU at import, as a big project's
            n = calibrate(0.1)
            header = f"total = 0\nfor i in range({n}):\n    total += i * i\n"
            suite = generate(root / "collect", CPU_TESTS, "pass", header)
        extra = ("-p", "xdist", "-n", "2") if options.xdist else ()
        compare(suite, options.pairs, env, root / "energy.json", options.against, extra)


if __name__ == "__main__":
    main()
