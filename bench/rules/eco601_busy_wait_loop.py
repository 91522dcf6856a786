"""ECO601 busy-wait-loop: CPU time spent waiting for another thread, spinning vs Event.wait.

Another thread sets a `threading.Event` after `w` milliseconds; the main thread waits for
it either by spinning (`while not done.is_set(): pass`, the form ECO601 flags) or by
blocking in `done.wait()`. Both waits last the same wall-clock time, so this script does
not use the wall-time harness: it prints the process CPU seconds (`time.process_time`,
all threads) consumed during the wait, median of paired runs.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time


def spin_wait(done: threading.Event) -> None:
    while not done.is_set():  # the form ECO601 flags
        pass


def blocking_wait(done: threading.Event) -> None:
    done.wait()


def measure(wait, seconds: float) -> tuple[float, float]:
    """(CPU seconds, wall seconds) taken by ``wait`` until a timer sets the event."""
    done = threading.Event()
    timer = threading.Timer(seconds, done.set)
    cpu, wall = time.process_time(), time.perf_counter()
    timer.start()
    wait(done)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    timer.join()
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--waits-ms", type=int, nargs="*", default=[10, 100, 1000])
    parser.add_argument("--pairs", type=int, default=7)
    args = parser.parse_args()
    print(__doc__.strip().splitlines()[0])
    header = (
        f"{'wait':>8}  {'spin CPU':>10}  {'wait CPU':>10}  {'spin wall':>10}  {'wait wall':>10}"
    )
    print(header + f"  {'CPU ratio':>9}")
    for ms in args.waits_ms:
        spins, waits = [], []
        for _ in range(args.pairs):
            spins.append(measure(spin_wait, ms / 1000))
            waits.append(measure(blocking_wait, ms / 1000))
        spin_cpu = statistics.median(c for c, _ in spins)
        wait_cpu = statistics.median(c for c, _ in waits)
        spin_wall = statistics.median(w for _, w in spins)
        wait_wall = statistics.median(w for _, w in waits)
        ratio = spin_cpu / wait_cpu if wait_cpu else float("inf")
        print(
            f"{ms:>6}ms  {spin_cpu:>9.4f}s  {wait_cpu:>9.4f}s  {spin_wall:>9.4f}s  "
            f"{wait_wall:>9.4f}s  {ratio:>8.0f}x"
        )


if __name__ == "__main__":
    main()
