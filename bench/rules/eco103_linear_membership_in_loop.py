"""ECO103 linear-membership-in-loop: `in` on a list/tuple inside a loop vs on a set.

Two tables: n words tested against an 8-item tuple display (vs a set display), and n
queries tested against a list of n items bound before the loop (vs `set(x)` hoisted).
"""

from __future__ import annotations

import random

from harness import main

STOP = ("a", "an", "the", "of", "to", "in", "on", "at")


def setup_words(n: int) -> list[str]:
    rng = random.Random(103)
    vocabulary = [*STOP, "energy", "python", "loop", "set", "list", "hash", "scan", "cost"]
    return [rng.choice(vocabulary) for _ in range(n)]


def bad_display(words: list[str]) -> int:
    kept = 0
    for word in words:
        if word not in ("a", "an", "the", "of", "to", "in", "on", "at"):
            kept += 1
    return kept


def good_display(words: list[str]) -> int:
    kept = 0
    for word in words:
        if word not in {"a", "an", "the", "of", "to", "in", "on", "at"}:
            kept += 1
    return kept


def setup_name(n: int) -> tuple[list[int], range]:
    return list(range(0, 2 * n, 2)), range(n)


def bad_name(state: tuple[list[int], range]) -> int:
    known, queries = state
    hits = 0
    for q in queries:
        if q in known:
            hits += 1
    return hits


def good_name(state: tuple[list[int], range]) -> int:
    known, queries = state
    hashed = set(known)
    hits = 0
    for q in queries:
        if q in hashed:
            hits += 1
    return hits


if __name__ == "__main__":
    main("8-item tuple display vs set display", setup_words, bad_display, good_display)
    main(
        "list of n items bound before the loop vs hoisted set(x)",
        setup_name,
        bad_name,
        good_name,
        sizes=(100, 1_000, 10_000),
    )
