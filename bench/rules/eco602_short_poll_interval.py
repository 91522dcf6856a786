"""ECO602 short-poll-interval: CPU time of a wait, polling with a short sleep vs Event.wait.

Another thread sets a `threading.Event` after `w` milliseconds; the main thread waits for
it by polling `is_set()` with `time.sleep(interval)` (the form ECO602 flags, for intervals
of 1 ms and 10 ms) or by blocking in `done.wait()`. All waits last about the same wall
time, so the figure is the process CPU time (`time.process_time`, all threads) spent
during the wait, median of paired runs, and the number of wake-ups of the polling loop.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time

INTERVALS = (0.001, 0.01)


def polling_wait(done: threading.Event, interval: float) -> int:
    wakeups = 0
    while not done.is_set():
        time.sleep(interval)  # the form ECO602 flags
        wakeups += 1
    return wakeups


def blocking_wait(done: threading.Event, interval: float) -> int:
    done.wait()
    return 1


def measure(wait, seconds: float, interval: float) -> tuple[float, int]:
    """(CPU seconds, wake-ups) of ``wait`` until a timer sets the event."""
    done = threading.Event()
    timer = threading.Timer(seconds, done.set)
    cpu = time.process_time()
    timer.start()
    wakeups = wait(done, interval)
    cpu = time.process_time() - cpu
    timer.join()
    return cpu, wakeups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--waits-ms", type=int, nargs="*", default=[100, 1000, 3000])
    parser.add_argument("--pairs", type=int, default=7)
    args = parser.parse_args()
    print(__doc__.strip().splitlines()[0])
    print(f"{'wait':>7}  {'poll every':>10}  {'poll CPU':>9}  {'wakeups':>7}  {'wait CPU':>9}  x")
    for ms in args.waits_ms:
        for interval in INTERVALS:
            polls, waits, ratios = [], [], []
            for _ in range(args.pairs):
                polls.append(measure(polling_wait, ms / 1000, interval))
                waits.append(measure(blocking_wait, ms / 1000, interval))
                ratios.append(polls[-1][0] / max(waits[-1][0], 1e-6))
            poll_cpu = statistics.median(c for c, _ in polls)
            wait_cpu = statistics.median(c for c, _ in waits)
            wakeups = statistics.median(w for _, w in polls)
            print(
                f"{ms:>5}ms  {interval * 1000:>8.0f}ms  {poll_cpu * 1000:>7.2f}ms  {wakeups:>7.0f} "
                f"{wait_cpu * 1000:>7.2f}ms  {statistics.median(ratios):>5.0f}x"
            )


if __name__ == "__main__":
    main()
