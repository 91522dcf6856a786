"""Seed a history store with a realistic synthetic history (benchmarks, dashboard demos).

``seed_store(store, repositories=200, days=365)`` writes one run per repository per day: a
random walk of the score, findings of eight rules, energy and carbon, the EcoIndex of two
pages, repositories spread over 12 teams. The same ``seed`` gives the same history.

SQL stores are filled through ``record_many`` in batches (one transaction each: seeding
73,000 runs takes seconds, not the minutes of one commit per run); other stores through
``record``. As a script::

    .venv/bin/python bench/history_seed.py sqlite:///big.sqlite --repositories 200 --days 365
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ecolint.history.store import HistoryStore, open_store
from ecolint.records import HistoryRecord, ScorePart
from ecolint.scoring.repo_score import combine, grade_for

RULES = ("ECO102", "ECO103", "ECO201", "ECO301", "ECO401", "ECO501", "ECO603", "ECO701")
PAGES = ("https://example.org/", "https://example.org/cart")
TEAMS = 12
BATCH = 2000


def synthetic_history(
    repositories: int = 200, days: int = 365, seed: int = 7, start: datetime | None = None
) -> Iterator[HistoryRecord]:
    """Runs in time order within each repository, repository after repository."""
    rng = random.Random(seed)
    start = start or datetime(2025, 1, 1, 6, tzinfo=UTC)
    for number in range(repositories):
        code, energy = rng.uniform(30, 95), rng.uniform(0.0005, 0.02)
        tests_score = rng.uniform(50, 100)
        for day in range(days):
            code = min(100.0, max(0.0, code + rng.gauss(0, 1.2)))
            energy *= rng.uniform(0.96, 1.05)
            pages = {url: round(rng.uniform(30, 85), 1) for url in PAGES}
            parts = [
                ScorePart("code", round(code, 1), grade_for(round(code, 1)), "synthetic"),
                ScorePart("tests", round(tests_score, 1), grade_for(round(tests_score, 1)), ""),
            ]
            web = round(sum(pages.values()) / len(pages), 1)
            parts.append(ScorePart("web", web, grade_for(web), "synthetic"))
            yield HistoryRecord(
                repository=f"org{number % 9}/service-{number:03d}",
                commit=f"{rng.getrandbits(160):040x}",
                recorded_at=(start + timedelta(days=day, minutes=rng.randint(0, 600))).isoformat(),
                score=combine(parts),
                team=f"team-{number % TEAMS:02d}",
                branch="main",
                findings={rule: rng.randint(0, 6) for rule in RULES},
                energy_kwh=energy,
                carbon_g=energy * 56.0,
                ecoindex=pages,
                lines_of_code=20_000 + number * 50,
                tool_version="bench",
            )


def seed_store(store: HistoryStore, repositories: int = 200, days: int = 365, seed: int = 7) -> int:
    """Write the synthetic history into ``store``; returns the number of runs written."""
    record_many = getattr(store, "record_many", None)
    written = 0
    batch: list[HistoryRecord] = []
    for rec in synthetic_history(repositories, days, seed):
        if record_many is None:
            store.record(rec)
            written += 1
            continue
        batch.append(rec)
        if len(batch) == BATCH:
            record_many(batch)
            written += len(batch)
            batch = []
    if batch and record_many is not None:
        record_many(batch)
        written += len(batch)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="store URL (sqlite:///file, postgresql+psycopg://…, git)")
    parser.add_argument("--repositories", type=int, default=200)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    store = open_store(arguments.url, Path.cwd())
    started = time.perf_counter()
    try:
        written = seed_store(store, arguments.repositories, arguments.days, arguments.seed)
    finally:
        store.close()
    print(f"seeded {written} runs in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
