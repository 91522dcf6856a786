"""ECO605 worker-spawned-in-loop: a thread or a subprocess per item vs one pool or one batch.

Threads: n small jobs (summing 100 integers), each in its own `threading.Thread` started
and joined in the loop (the form ECO605 flags), against `ThreadPoolExecutor(8).map` over
the same jobs (the pool is created inside the timed call, so its start-up is counted).
Subprocesses: `wc -c` run once per file on n temporary files (the flagged form) against
one `wc -c` given all n paths. Paired runs, medians; wall time of the timed call and the
CPU time of this process plus its children.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

JOB = list(range(100))


def job(offset: int) -> int:
    return sum(JOB) + offset


def thread_per_item(n: int) -> int:
    results = [0] * n

    def run(i: int) -> None:
        results[i] = job(i)

    for i in range(n):
        worker = threading.Thread(target=run, args=(i,))  # the form ECO605 flags
        worker.start()
        worker.join()
    return sum(results)


def one_pool(n: int) -> int:
    with ThreadPoolExecutor(max_workers=8) as pool:
        return sum(pool.map(job, range(n)))


def process_per_file(paths: list[str]) -> int:
    total = 0
    for path in paths:
        output = subprocess.run(["wc", "-c", path], capture_output=True, check=True).stdout
        total += int(output.split()[0])
    return total


def one_process(paths: list[str]) -> int:
    output = subprocess.run(["wc", "-c", *paths], capture_output=True, check=True).stdout
    lines = output.decode().splitlines()
    return sum(int(line.split()[0]) for line in (lines[:-1] if len(paths) > 1 else lines))


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def timed(function, argument) -> tuple[float, float, object]:
    cpu, wall = _cpu(), time.perf_counter()
    result = function(argument)
    return time.perf_counter() - wall, _cpu() - cpu, result


def compare(label: str, bad, good, argument, size: int, pairs: int) -> None:
    assert bad(argument) == good(argument)
    bads, goods, ratios = [], [], []
    for _ in range(pairs):
        bads.append(timed(bad, argument))
        goods.append(timed(good, argument))
        ratios.append(bads[-1][0] / goods[-1][0])
    b_wall = statistics.median(b[0] for b in bads)
    g_wall = statistics.median(g[0] for g in goods)
    b_cpu = statistics.median(b[1] for b in bads)
    g_cpu = statistics.median(g[1] for g in goods)
    print(
        f"{label:<12} {size:>6}  {b_wall * 1000:>9.1f}ms  {g_wall * 1000:>9.1f}ms  "
        f"{statistics.median(ratios):>7.1f}x  {b_cpu * 1000:>8.0f}/{g_cpu * 1000:.0f}ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--threads", type=int, nargs="*", default=[100, 1000, 10_000])
    parser.add_argument("--files", type=int, nargs="*", default=[10, 100, 1000])
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    print(__doc__.strip().splitlines()[0])
    print(f"{'form':<12} {'n':>6}  {'bad wall':>11}  {'good wall':>11}  {'ratio':>8}  CPU bad/good")
    for n in args.threads:
        compare("threads", thread_per_item, one_pool, n, n, args.pairs)
    with tempfile.TemporaryDirectory() as folder:
        for n in args.files:
            paths = []
            for i in range(n):
                path = Path(folder, f"file-{n}-{i}.txt")
                path.write_text("x" * (i % 97 + 1))
                paths.append(str(path))
            compare("subprocesses", process_per_file, one_process, paths, n, args.pairs)


if __name__ == "__main__":
    main()
