"""How fast the SQL history store records and reads, at the scale of issue 7.

Side by side, in one run, for ``--rounds`` rounds (medians, min–max):

1. ``record()`` of one run into an empty SQLite store, and into the same store once it holds
   200 repositories × 365 daily runs (the target: ≤ 100 ms);
2. the whole cost in a fresh process — interpreter, imports, open (schema check), one
   ``record()``, close — against a bare ``python -c pass`` (ratio printed);
3. seeding: one transaction per run (``record``) against batches (``record_many``), per run;
4. reading: every run of the 73,000 (what the dashboard does), and one repository's runs.

``--postgres URL`` adds the same ``record()`` figures for a PostgreSQL database. The machine
is shared with other work: single timings drift, so quote medians, never one round.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

from history_seed import seed_store, synthetic_history

from ecolint.history.store import HistoryStore, open_store

TARGET_RECORD_MS = 100.0
FRESH_PROCESS = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[2])
    from history_seed import synthetic_history
    from ecolint.history.store import open_store
    rec = next(synthetic_history(1, 1, seed=int(sys.argv[3])))
    store = open_store(sys.argv[1], Path.cwd())
    store.record(rec)
    store.close()
    """
)


def timed_ms(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def summary(samples: list[float], unit: str = "ms") -> str:
    return (
        f"median {statistics.median(samples):8.2f} {unit}  "
        f"(min {min(samples):.2f}, max {max(samples):.2f}, n={len(samples)})"
    )


def record_samples(store: HistoryStore, count: int, seed: int) -> list[float]:
    runs = list(synthetic_history(1, count, seed=seed))
    return [timed_ms(lambda rec=rec: store.record(rec)) for rec in runs]


def fresh_process_samples(url: str, rounds: int) -> tuple[list[float], list[float]]:
    bench = str(Path(__file__).parent)
    bare, full = [], []
    for number in range(rounds):
        bare.append(timed_ms(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True)))
        command = [sys.executable, "-c", FRESH_PROCESS, url, bench, str(1000 + number)]
        full.append(timed_ms(lambda command=command: subprocess.run(command, check=True)))
    return bare, full


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="records timed per figure")
    parser.add_argument("--repositories", type=int, default=200)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--postgres", metavar="URL", help="also time record() on PostgreSQL")
    parser.add_argument("--keep", action="store_true", help="keep the seeded SQLite store")
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ecolint-history-bench."))
    url = f"sqlite:///{folder / 'history.sqlite'}"
    total = arguments.repositories * arguments.days
    print(f"SQLite store in {folder}; the machine is shared, so figures drift between runs\n")

    store = open_store(url, folder)
    empty = record_samples(store, arguments.rounds, seed=1)
    print(f"record() one run, empty store      {summary(empty)}")

    one_by_one_url = f"sqlite:///{folder / 'one-by-one.sqlite'}"
    single = open_store(one_by_one_url, folder)
    sample = list(synthetic_history(2, 100, seed=2))
    per_run_single = timed_ms(lambda: [single.record(rec) for rec in sample]) / len(sample)
    single.close()
    started = time.perf_counter()
    seed_store(store, arguments.repositories, arguments.days)
    seconds = time.perf_counter() - started
    per_run_batched = seconds * 1000 / total
    print(f"seed {total} runs with record_many  {seconds:8.1f} s  ({per_run_batched:.3f} ms/run)")
    print(
        f"seed with record(), per run        {per_run_single:8.3f} ms/run "
        f"(measured on {len(sample)} runs) -> batches are "
        f"{per_run_single / per_run_batched:.0f}x faster"
    )

    full = record_samples(store, arguments.rounds, seed=3)
    print(f"record() one run, {total} in store {summary(full)}")
    every = [timed_ms(lambda: sum(1 for _ in store.records())) for _ in range(3)]
    print(f"read all {total + 2 * arguments.rounds} runs             {summary(every)}")
    one = [timed_ms(lambda: list(store.records("org0/service-000"))) for _ in range(5)]
    print(f"read one repository's runs         {summary(one)}")
    store.close()

    bare, fresh = fresh_process_samples(url, max(5, arguments.rounds // 3))
    print(f"python -c pass                     {summary(bare)}")
    print(
        f"fresh process: open+record+close   {summary(fresh)}  "
        f"({statistics.median(fresh) / statistics.median(bare):.1f}x a bare interpreter)"
    )
    if arguments.postgres:
        pg = open_store(arguments.postgres, folder)
        print(
            f"PostgreSQL record() one run        {summary(record_samples(pg, arguments.rounds, 4))}"
        )
        pg.close()
    verdict = "meets" if statistics.median(full) <= TARGET_RECORD_MS else "MISSES"
    print(f"\nrecord() median on the full store {verdict} the {TARGET_RECORD_MS:.0f} ms target")
    if not arguments.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
