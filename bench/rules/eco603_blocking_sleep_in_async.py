"""ECO603 blocking-sleep-in-async: n tasks each sleeping 10 ms, time.sleep vs asyncio.sleep.

`n` is the number of tasks gathered on one event loop; the figure is the wall time of the
whole batch. With `time.sleep` each task stalls the loop, so the batch takes n * 10 ms;
with `await asyncio.sleep` the sleeps overlap and the batch takes about 10 ms.
"""

from __future__ import annotations

import asyncio
import time

from harness import main

SLEEP_SECONDS = 0.010


async def _blocking_task(i: int) -> int:
    time.sleep(SLEEP_SECONDS)  # the form ECO603 flags
    return i


async def _async_task(i: int) -> int:
    await asyncio.sleep(SLEEP_SECONDS)
    return i


async def _gather(task, n: int) -> list[int]:
    return list(await asyncio.gather(*(task(i) for i in range(n))))


def setup(n: int) -> int:
    return n


def bad(n: int) -> list[int]:
    return asyncio.run(_gather(_blocking_task, n))


def good(n: int) -> list[int]:
    return asyncio.run(_gather(_async_task, n))


if __name__ == "__main__":
    main(__doc__, setup, bad, good, sizes=(10, 100))
