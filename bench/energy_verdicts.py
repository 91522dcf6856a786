"""Does ``ecolint energy ab`` catch a real regression, and stay quiet on a no-op change?

Generates a git repository whose suite has ``--tests`` tests, each burning about
``--test-ms`` ms of CPU (SHA-256 in a loop, the iteration count calibrated on this machine
first). The ``head`` commit makes one test ``--slowdown`` slower (more iterations); the
``same`` commit changes only a comment. Then, as real subprocesses:

- ``ecolint energy ab --base base --head head`` ``--runs`` times: target, a regression
  verdict in at least 9 of 10, naming the slowed test;
- ``ecolint energy ab --base base --head same`` ``--runs`` times (a no-op change): target,
  never a regression (inconclusive is allowed).

Prints each run's load average, verdict, suite ratio with its interval, the calibrated
noise, the tests that moved and the seconds taken, then the counts against the targets.

15 rounds by default: on this shared 2-vCPU VM, co-tenant load inflates the CPU time of
stretches of tests by 1.3–1.9× in bursts, on both sides; with 10 rounds the slowed test's
runs then overlap too often for Holm's correction over 20 tests (5–7 regressions in 10,
inconclusive otherwise), with 15 it was caught 10 times in 10 (about 35 s per ab).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SLOW_TEST = "test_burn_07"
# The generated suite does not use hypothesis, whose pytest plugin (installed in ecolint's
# development environment) takes 1.5 s to import here: a third of each run, for nothing.
PYTEST_ARGS = ["-p", "no:hypothesispytest"]
SUITE = """\
import hashlib


def burn(n):
    for _ in range(n):
        hashlib.sha256(b"x" * 100).digest()

"""


def iterations_per_ms() -> float:
    """SHA-256 rounds per ms of CPU on this machine (best of three)."""
    best = 0.0
    for _ in range(3):
        start = time.process_time()
        for _ in range(50_000):
            hashlib.sha256(b"x" * 100).digest()
        best = max(best, 50_000 / ((time.process_time() - start) * 1000))
    return best


def suite(tests: int, iterations: int, slow: float = 1.0, comment: str = "") -> str:
    lines = [SUITE, comment]
    for number in range(tests):
        name = f"test_burn_{number:02d}"
        count = int(iterations * (slow if name == SLOW_TEST else 1.0))
        lines.append(f"def {name}():\n    burn({count})\n\n")
    return "\n".join(lines)


def git(repo: Path, *args: str) -> None:
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@ecolint.invalid",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@ecolint.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", *args], cwd=repo, env=environment, check=True, capture_output=True)


def build(repo: Path, tests: int, iterations: int, slowdown: float) -> None:
    git(repo, "init", "-q", "-b", "main")
    test_file = repo / "test_burn.py"
    commits = {
        "base": suite(tests, iterations),
        "same": suite(tests, iterations, comment="# a no-op change\n"),
        "head": suite(tests, iterations, slow=1 + slowdown),
    }
    for tag, text in commits.items():
        if tag != "base":
            git(repo, "checkout", "-q", "--detach", "base")
        test_file.write_text(text, encoding="utf-8")
        git(repo, "add", ".")
        git(repo, "commit", "-q", "-m", tag)
        git(repo, "tag", tag)


def ab(repo: Path, head: str, rounds: int, out: Path) -> dict:
    command = [sys.executable, "-m", "ecolint", "energy", "ab", "--base", "base"]
    command += ["--head", head, "--rounds", str(rounds), "--json", str(out), "--", *PYTEST_ARGS]
    start, load = time.perf_counter(), os.getloadavg()[0]
    completed = subprocess.run(command, cwd=repo, capture_output=True, text=True)
    if completed.returncode not in (0, 1):
        raise SystemExit(f"ecolint energy ab failed:\n{completed.stdout}{completed.stderr}")
    comparison = json.loads(out.read_text(encoding="utf-8"))["comparison"]
    comparison["seconds"] = time.perf_counter() - start
    comparison["load"] = load
    return comparison


def row(label: str, number: int, result: dict) -> str:
    suite, noise = result["suite"], result["noise"]
    moved = ", ".join(
        f"{test['change']} {test['nodeid'].split('::')[-1]} {100 * test['effect']:+.0f}%"
        f" Holm p={test['p_adjusted']:.1g}"
        for test in result["tests"]
        if test["change"] != "none"
    )
    return (
        f"{label} {number:2d}  load {result['load']:4.1f}  {result['label']:<28}"
        f" ×{suite['ratio']:.3f} [{suite['low']:.3f}, {suite['high']:.3f}]"
        f"  noise ±{noise['per_run_pct']:.1f} %/run ±{noise['halfwidth_pct']:.1f} %"
        f"  {result['seconds']:5.1f} s  {moved}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--tests", type=int, default=20)
    parser.add_argument("--test-ms", type=float, default=25.0)
    parser.add_argument("--slowdown", type=float, default=0.30)
    parser.add_argument("--json", type=Path, help="Write every comparison here.")
    options = parser.parse_args()
    rate = iterations_per_ms()
    iterations = int(rate * options.test_ms)
    print(
        f"{options.tests} tests of ~{options.test_ms:g} ms CPU ({iterations} SHA-256 rounds),"
        f" {SLOW_TEST} {100 * options.slowdown:+.0f} % in head; {options.rounds} rounds per ab"
    )
    results: dict[str, list[dict]] = {"head": [], "same": []}
    with tempfile.TemporaryDirectory(prefix="ecolint-verdicts-") as folder:
        repo = Path(folder) / "repo"
        repo.mkdir()
        build(repo, options.tests, iterations, options.slowdown)
        for head, label in (("head", "slowed"), ("same", "no-op ")):
            for number in range(1, options.runs + 1):
                result = ab(repo, head, options.rounds, Path(folder) / "ab.json")
                results[head].append(result)
                print(row(label, number, result), flush=True)
    caught = sum(1 for r in results["head"] if r["verdict"] == "regression")
    named = sum(
        1
        for r in results["head"]
        if any(test["nodeid"].endswith(SLOW_TEST) for test in r["regressions"])
    )
    false = sum(1 for r in results["same"] if r["verdict"] == "regression")
    every = results["head"] + results["same"]
    noise = [r["noise"]["per_run_pct"] for r in every if r["noise"]["per_run_pct"] is not None]
    width = [r["noise"]["halfwidth_pct"] for r in every if r["noise"]["halfwidth_pct"] is not None]
    seconds = [r["seconds"] for r in every]
    print(
        f"slowed: regression {caught}/{options.runs} (target >= 9/10), slowed test named"
        f" {named}/{options.runs}"
    )
    verdicts = [r["verdict"] for r in results["same"]]
    print(
        f"no-op: regression {false}/{options.runs} (target 0);"
        f" verdicts {', '.join(f'{v} {verdicts.count(v)}' for v in sorted(set(verdicts)))}"
    )
    print(
        f"noise: suite CPU ±{statistics.median(noise):.1f} % per run (median,"
        f" {min(noise):.1f}–{max(noise):.1f}), ±{statistics.median(width):.1f} % at"
        f" {options.rounds} rounds; one ab {statistics.median(seconds):.0f} s (median)"
    )
    if options.json:
        options.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
