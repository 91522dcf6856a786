"""ecolint against the floor of any libcst linter, side by side, on the standard library.

Measures, as whole processes alternated pair by pair on the same files (the standard
library of the running Python without its test folders):

- ``parse``: ``libcst.parse_module`` of every file and nothing else (the floor);
- ``ecolint -j1``: ``ecolint check`` with every default rule, one process;
- ``ecolint -jN``: the same with all cores;
- optionally ``fixit`` and ``ruff`` when installed (``--peers``).

It prints medians and the median of the per-pair ratios to ``parse`` (absolute seconds
drift by ±60 % on a shared machine; ratios taken pair by pair do not). ``--crash-check``
lints the whole standard library, tests included, and counts internal errors and files
that do not parse. Usage: ``python bench/lint_speed.py [--rounds 3] [--subset 200]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

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

PARSE_ONLY = """
import sys, pathlib, libcst
sys.setrecursionlimit(20000)
failed = 0
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.py")):
    try:
        libcst.parse_module(path.read_bytes())
    except Exception:
        failed += 1
print(failed)
"""


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
        files = files[:: max(1, len(files) // subset)][:subset]
    for relative in files:
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(stdlib / relative, destination)
    return len(files)


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall and CPU seconds (children included) of one whole process, and its stdout."""
    before = os.times()
    start = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    if completed.returncode not in (0, 1):
        raise SystemExit(f"{command} failed ({completed.returncode}):\n{completed.stderr}")
    return wall, cpu, completed.stdout


def ecolint(corpus: Path, jobs: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "ecolint",
        "check",
        str(corpus),
        "--exit-zero",
        "--quiet",
        "--jobs",
        str(jobs),
        "--format",
        "json",
        "--isolated",
        "--exclude",  # replaces the default excludes, which would skip the stdlib's venv/
        ".git",
    ]


def commands(corpus: Path, peers: bool) -> dict[str, list[str]]:
    cores = os.cpu_count() or 1
    found = {
        "parse": [sys.executable, "-c", PARSE_ONLY, str(corpus)],
        "ecolint -j1": ecolint(corpus, 1),
        f"ecolint -j{cores}": ecolint(corpus, cores),
    }
    if peers and shutil.which("ruff"):
        found["ruff PERF,C4,FURB,SIM"] = [
            "ruff",
            "check",
            "--select",
            "PERF,C4,FURB,SIM",
            "--no-cache",
            "--exit-zero",
            "--isolated",
            str(corpus),
        ]
    if peers and shutil.which("fixit"):
        found["fixit"] = ["fixit", "lint", str(corpus)]
    return found


def benchmark(corpus: Path, rounds: int, peers: bool) -> None:
    runs = commands(corpus, peers)
    walls: dict[str, list[float]] = {name: [] for name in runs}
    cpus: dict[str, list[float]] = {name: [] for name in runs}
    ratios: dict[str, list[float]] = {name: [] for name in runs}
    findings = None
    for round_number in range(rounds):
        for name, command in runs.items():  # A B C A B C …: each round is one pairing
            wall, cpu, stdout = timed(command)
            walls[name].append(wall)
            cpus[name].append(cpu)
            if name.startswith("ecolint") and stdout.strip():
                findings = json.loads(stdout)["summary"]
        for name in runs:
            ratios[name].append(walls[name][-1] / walls["parse"][-1])
        print(f"round {round_number + 1}/{rounds} done", file=sys.stderr)
    print(f"{'measurement':<24} {'wall s':>8} {'cpu s':>8} {'× parse (paired)':>17}")
    for name in runs:
        print(
            f"{name:<24} {statistics.median(walls[name]):>8.2f} "
            f"{statistics.median(cpus[name]):>8.2f} {statistics.median(ratios[name]):>16.2f}×"
        )
    if findings:
        print(
            f"ecolint: {findings['findings']} findings in {findings['files']} files, "
            f"{findings['internal_errors']} internal errors"
        )


def crash_check(corpus: Path) -> None:
    _, _, stdout = timed(ecolint(corpus, os.cpu_count() or 1))
    document = json.loads(stdout)
    unparsable = [f["path"] for f in document["findings"] if f["code"] in ("ECO001", "ECO002")]
    print(f"files: {document['summary']['files']}, findings: {document['summary']['findings']}")
    print(f"internal errors: {len(document['errors'])}")
    for error in document["errors"]:
        print(f"  {error['path']}: {error['message'].splitlines()[-1]}")
    print(f"reported as not parseable or not readable: {len(unparsable)}")
    for path in unparsable:
        print(f"  {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--subset", type=int, help="Only this many files (spread evenly).")
    parser.add_argument("--peers", action="store_true", help="Also time ruff and fixit.")
    parser.add_argument("--crash-check", action="store_true", help="Whole stdlib, tests too.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ecolint-bench-") as folder:
        corpus = Path(folder) / "stdlib"
        count = build_corpus(corpus, with_tests=args.crash_check, subset=args.subset)
        print(f"corpus: {count} files from {sysconfig.get_paths()['stdlib']}")
        if args.crash_check:
            crash_check(corpus)
        else:
            benchmark(corpus, args.rounds, args.peers)


if __name__ == "__main__":
    main()
