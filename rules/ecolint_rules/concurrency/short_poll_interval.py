from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from ecolint import SCOPE_BOUNDARIES, Invalid, Rule, Valid, find_all
from ecolint_rules.concurrency._constants import number

_SLEEPS = frozenset({"time.sleep", "asyncio.sleep", "trio.sleep", "anyio.sleep"})
THRESHOLD_SECONDS = 0.1


class ShortPollInterval(Rule):
    """## What it does
    Flags `time.sleep(c)`, `asyncio.sleep(c)`, `trio.sleep(c)` or `anyio.sleep(c)` inside
    a `while` loop of the same function, when `c` is a constant below 0.1 s (`0`
    included): a number, arithmetic on numbers (`1 / 100`), or a module-level name bound
    once to one (`POLL = 0.01`). Only pure polls are reported: a loop whose body does
    nothing but test a condition (`if ...: break` / `return` / `raise`, or an `if` around
    the sleep), count (`waited += step`) and sleep. A loop that does other work in each
    iteration (a call, a binding from a call) and sleeps briefly between pieces of it, as
    a loop writing chunks with `await asyncio.sleep(0.001)`, is yielding to other tasks,
    not polling. A sleep in a `for` loop (a bounded number of pauses), a computed delay
    (`backoff * 2`) and a sleep of 0.1 s or more are not reported.

    ## Why opt-in
    Judged on the real-application corpus (`bench/precision.md`): 2 of 8 shown findings
    were worth a change. The others polled for a few milliseconds while a thread or a
    server started (in tests or at start-up), or waited on a condition that is met at
    once in practice: the wake-ups add up only when the wait is long, which the rule
    cannot see. Enable it (`extend-select = ["ECO602"]`) to review worker loops.

    ## Why is this wasteful?
    A loop that wakes up every few milliseconds to check whether something changed keeps
    the CPU out of its deep idle states, and does the check (and the interpreter's
    bookkeeping) hundreds of times per second even when nothing happens. `sleep(0)` in a
    loop is a busy wait that merely yields. An event, a condition, a blocking queue or a
    future wakes the waiter once, when there is something to do.

    ## Example
    ```python
    while not job.done():
        time.sleep(0.01)
    ```

    Use instead:
    ```python
    job.add_done_callback(lambda _: finished.set())
    finished.wait()  # or poll with a longer interval and backoff
    ```

    ## Evidence
    `bench/rules/eco602_short_poll_interval.py` on a 2-core x86-64 VM (CPython 3.11,
    shared with other jobs, so figures are noisy; median of 7 paired runs): one thread
    waits w for another to set a `threading.Event`, polling `is_set()` with
    `time.sleep(0.001)` or `time.sleep(0.01)`, against blocking in `Event.wait()`.
    Process CPU time of the wait, 1 ms poll / 10 ms poll / `Event.wait()`:
    w=100 ms: 1.04 / 0.66 / 0.31 ms (3x, 2x); w=1 s: 7.5 / 2.0 / 0.32 ms (25x, 5x);
    w=3 s: 21.5 / 11.3 / 0.31 ms (65x, 41x). The 1 ms poll woke up 29, 249 and 779
    times (the loaded machine stretched each 1 ms sleep to about 3.5 ms); the blocking
    wait once. The waste grows with the waiting time.

    Summary: CPU time of a wait, polling every 1 ms vs `Event.wait()`: 3x for a 100 ms
    wait, 25x for 1 s, 65x for 3 s (2 cores, CPython 3.11, loaded machine).

    ## References
    - greenlint GL002 (sub-100 ms poll); flake8-async ASYNC110 (sleep in a `while` loop),
      ASYNC115 (`sleep(0)`)
    - `threading.Event`, `asyncio.Event`, `queue.Queue.get`, `concurrent.futures.wait`
    """

    code = "ECO602"
    name = "short-poll-interval"
    message = (
        "`{call}({delay})` in a `while` loop wakes the CPU {rate}; wait on an event, "
        "condition or queue, or poll less often with backoff"
    )
    impact = "high"
    opt_in = True
    VALID = [
        Valid("""
            import time
            while not job.done():
                time.sleep(0.5)
            """),
        Valid("""
            import time
            for attempt in range(3):
                time.sleep(0.01)
            """),
        Valid("""
            import time
            while not ready():
                time.sleep(delay)
                delay *= 2
            """),
        Valid("""
            import time
            time.sleep(0.01)
            """),
        Valid(
            """
            import asyncio
            while True:
                async def tick():
                    await asyncio.sleep(0)
            """
        ),
        Valid("""
            def sleep(seconds): ...
            while busy():
                sleep(0.01)
            """),
        Valid("""
            import time
            POLL = 0.25
            while not done():
                time.sleep(POLL)
            """),
        Valid(
            """
            import asyncio

            async def send(chunks, writer):
                while chunks:
                    await writer.write(chunks.pop())
                    await asyncio.sleep(0)
            """
        ),
        Valid(
            """
            import asyncio

            async def pick(tracks):
                tries = len(tracks)
                while tries:
                    tries -= 1
                    query = resolve(random.choice(tracks))
                    await asyncio.sleep(0.001)
                    if query.valid:
                        return query
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import time

            while not job.done():
                time.sleep(0.01)
            """,
            line=4,
        ),
        Invalid(
            """
            import asyncio

            async def wait_for(flag):
                while not flag.is_set():
                    await asyncio.sleep(0)
            """,
            line=5,
        ),
        Invalid(
            """
            from time import sleep as nap

            POLL_SECONDS = 1 / 100

            def drain(q):
                while q:
                    if q.empty():
                        nap(POLL_SECONDS)
            """,
            line=8,
        ),
        Invalid(
            """
            import trio
            import anyio

            async def f():
                while True:
                    await trio.sleep(0.05)
                    await anyio.sleep(delay=0.001)
            """,
            line=6,
            count=2,
        ),
        Invalid(
            """
            import asyncio

            async def wait_started(server, timeout):
                waited = 0.0
                while True:
                    if server.started or waited > timeout:
                        break
                    await asyncio.sleep(0.01)
                    waited += 0.01
            """,
            line=8,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        name = self.qualified_name(node)
        if name not in _SLEEPS or not node.args:
            return
        delay = _delay_argument(node)
        if delay is None:
            return
        seconds = number(delay, self.module)
        if seconds is None or seconds >= THRESHOLD_SECONDS:
            return
        loop = self._enclosing_while(node)
        if loop is None:
            return
        sleeps = {
            id(call)
            for call in find_all(loop.body, cst.Call)
            if self.qualified_name(call) in _SLEEPS
        }
        if not _only_polls(loop.body.body, sleeps):
            return
        rate = "without pause" if seconds <= 0 else f"{1 / seconds:.0f} times a second"
        self.report(node, call=name, delay=self.module.code_for_node(delay).strip(), rate=rate)

    def _enclosing_while(self, node: cst.CSTNode) -> cst.While | None:
        child = node
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, SCOPE_BOUNDARIES):
                return None
            if isinstance(ancestor, cst.While) and child is ancestor.body:
                return ancestor
            child = ancestor
        return None


def _only_polls(
    statements: Sequence[cst.BaseStatement] | Sequence[cst.BaseSmallStatement], sleeps: set[int]
) -> bool:
    """Whether ``statements`` (a ``while`` body) only wait: sleeps, condition tests
    (``if ...: break`` / ``return`` / ``raise``, or an ``if`` around the sleep), ``pass``
    and counters (``waited += step``). Any other call, or a binding from a call, is work
    done per iteration: a short sleep between such pieces is a cooperative yield (a chunk
    written, a track resolved), not a poll."""
    return all(_waits(statement, sleeps) for statement in statements)


def _waits(statement: cst.BaseStatement | cst.BaseSmallStatement, sleeps: set[int]) -> bool:
    """Whether one statement of a poll loop only tests, exits, counts or sleeps (a
    one-line body's small statements are none of these: such a loop is not reported)."""
    if isinstance(statement, cst.If):
        orelse = statement.orelse
        return _only_polls(statement.body.body, sleeps) and (
            orelse is None
            or (isinstance(orelse, cst.If) and _waits(orelse, sleeps))
            or (isinstance(orelse, cst.Else) and _only_polls(orelse.body.body, sleeps))
        )
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if isinstance(small, (cst.Pass, cst.Break, cst.Continue, cst.Return, cst.Raise)):
            continue
        if isinstance(small, (cst.Assign, cst.AugAssign)) and not any(find_all(small, cst.Call)):
            continue  # a counter or a deadline: no work
        value = small.value if isinstance(small, cst.Expr) else None
        if isinstance(value, cst.Await):
            value = value.expression
        if id(value) not in sleeps:
            return False
    return True


def _delay_argument(call: cst.Call) -> cst.BaseExpression | None:
    """The ``seconds`` argument: the first positional one, or ``seconds=`` / ``delay=``."""
    for position, arg in enumerate(call.args):
        if arg.star:
            return None
        if arg.keyword is None and position == 0:
            return arg.value
        if arg.keyword is not None and arg.keyword.value in ("seconds", "secs", "delay"):
            return arg.value
    return None
