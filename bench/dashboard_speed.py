"""``ecolint dashboard`` at scale: 200 repositories × 365 daily records (issue 7).

Fills a real SQLite history store with ``history_seed.seed_store`` (the history
benchmark's synthetic history; ``--store FILE`` keeps it for the next run), then measures,
for ``--rounds`` rounds:

- the whole command as a process, ``ecolint dashboard --db sqlite:///… -o site``
  (interpreter start, store read, build and write: what a CI job pays);
- its phases in this process: reading the store, computing the pages' figures, rendering
  the HTML, writing the files;

and prints wall and CPU medians (wall min–max) with each phase's share of the command's
CPU, against the targets:
the command in ≤ 10 s, the overview page under 1 MB. The machine is shared: run times
drift between rounds, so the medians are the figures to quote, never a single round.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from history_seed import seed_store  # bench/ is the script's folder, so first on sys.path

from ecolint.dashboard.model import build_dashboard
from ecolint.dashboard.site import render_site, write_file
from ecolint.history.store import open_store
from ecolint.records import HistoryRecord

TARGET_SECONDS = 10.0
TARGET_OVERVIEW_BYTES = 1_000_000


def fill_store(path: Path, repositories: int, days: int) -> None:
    """The history benchmark's synthetic history (``history_seed.py``), in batches."""
    store = open_store(f"sqlite:///{path}", path.parent)
    try:
        seed_store(store, repositories, days)
    finally:
        store.close()


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def timed(action: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action(*args)
    return time.perf_counter() - started, result


def measured(
    phase: str,
    samples: dict[str, list[tuple[float, float]]],
    action: Callable[..., Any],
    *args: Any,
) -> Any:
    """Run ``action``, keeping its wall and CPU seconds (a subprocess's CPU for "process")."""
    who = resource.RUSAGE_CHILDREN if phase == "process" else resource.RUSAGE_SELF
    cpu_before = cpu_seconds(who)
    wall, result = timed(action, *args)
    samples.setdefault(phase, []).append((wall, cpu_seconds(who) - cpu_before))
    return result


def run_command(command: list[str]) -> None:
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"ecolint dashboard failed:\n{completed.stderr}")


def read_all(url: str, root: Path) -> list[HistoryRecord]:
    store = open_store(url, root)
    try:
        return list(store.records())
    finally:
        store.close()


def write_all(files: dict[str, str], output: Path) -> int:
    return sum(write_file(output / name, text) for name, text in files.items())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repositories", type=int, default=200)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--store", type=Path, help="SQLite file to fill once and reuse")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ecolint-dashboard-bench-"))
    try:
        run_benchmark(options, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)  # the sites, and the store unless --store


def run_benchmark(options: argparse.Namespace, work: Path) -> None:
    store_path = (options.store or work / "history.sqlite").resolve()
    if not store_path.exists():
        print(
            f"filling {store_path} with {options.repositories} × {options.days} runs …", flush=True
        )
        elapsed, _ = timed(lambda: fill_store(store_path, options.repositories, options.days))
        runs = options.repositories * options.days
        print(f"  {runs} runs recorded in {elapsed:.0f} s ({elapsed / runs * 1000:.2f} ms a run)")
    url = f"sqlite:///{store_path}"

    samples: dict[str, list[tuple[float, float]]] = {}
    overview_bytes = site_bytes = pages = runs = 0
    for round_number in range(options.rounds):
        output = work / f"site-{round_number}"
        command = [sys.executable, "-m", "ecolint", "dashboard", "--db", url, "-o", str(output)]
        measured("process", samples, run_command, command)
        gc.disable()  # as the command does while it reads and builds
        records = measured("read", samples, read_all, url, store_path.parent)
        dashboard = measured("figures", samples, build_dashboard, records)
        files = measured("render", samples, render_site, dashboard)
        site_bytes = measured("write", samples, write_all, files, work / "in-process")
        gc.enable()
        overview_bytes = (output / "index.html").stat().st_size
        pages = sum(1 for name in files if name.endswith(".html"))
        runs = len(records)
        del records, dashboard, files
        gc.collect()
        wall, cpu = samples["process"][-1]
        print(f"  round {round_number + 1}: process {wall:.2f} s wall, {cpu:.2f} s CPU", flush=True)
    print_table(samples, runs, options)
    kilobytes, ratio = overview_bytes / 1000, overview_bytes / TARGET_OVERVIEW_BYTES
    print(f"overview {kilobytes:.0f} kB / 1 MB target: {ratio:.2f}")
    print(f"site: {pages} pages, {site_bytes / 1e6:.1f} MB in all (indicators CSV and JSON too)")
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")


def print_table(
    samples: dict[str, list[tuple[float, float]]], runs: int, options: argparse.Namespace
) -> None:
    process_wall = statistics.median(w for w, _ in samples["process"])
    process_cpu = statistics.median(c for _, c in samples["process"])
    print(f"\n{runs} runs of {options.repositories} repositories, {options.rounds} rounds.")
    print("Shared machine: wall time includes waiting for the CPU; CPU time much less so.")
    print(f"{'phase':<9}{'wall s':>8}{'min':>7}{'max':>7}{'CPU s':>8}{'CPU of process':>16}")
    for name in ("process", "read", "figures", "render", "write"):
        walls = [w for w, _ in samples[name]]
        cpu = statistics.median(c for _, c in samples[name])
        print(
            f"{name:<9}{statistics.median(walls):>8.2f}{min(walls):>7.2f}{max(walls):>7.2f}"
            f"{cpu:>8.2f}{cpu / process_cpu:>15.0%}"
        )
    print(
        f"\nprocess / 10 s target: wall {process_wall / TARGET_SECONDS:.2f}, "
        f"CPU {process_cpu / TARGET_SECONDS:.2f}"
    )


if __name__ == "__main__":
    main()
