"""ECO205 eager-log-formatting: `log.debug(f"...")` vs `log.debug("...%s", ...)`, DEBUG off.

`n` is the number of `debug()` calls on a `logging.getLogger()` logger whose level is
WARNING (the usual production setting), each with an int and an object attribute. The
f-string is built on every call; the lazy form returns after the level check.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from harness import main

log = logging.getLogger("eco205-bench")
log.setLevel(logging.WARNING)
log.propagate = False


@dataclass
class Item:
    name: str
    price: float


def setup(n: int) -> list[Item]:
    return [Item(f"item-{i}", i * 0.25) for i in range(n)]


def bad(items: list[Item]) -> int:
    for i, item in enumerate(items):
        log.debug(f"processing {i}: {item.name} at {item.price}")  # the form ECO205 flags
    return len(items)


def good(items: list[Item]) -> int:
    for i, item in enumerate(items):
        log.debug("processing %s: %s at %s", i, item.name, item.price)
    return len(items)


if __name__ == "__main__":
    main(__doc__, setup, bad, good)
