from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from ecolint import Invalid, Rule, Valid, descendants, names_read
from ecolint.lint.analysis import bound_names

# Calls that only look at state and return at once: a loop made of these (and of plain
# reads) does nothing but spin. Any other call may block, sleep or do real work.
_QUERY_METHODS = frozenset(
    {
        "poll",
        "done",
        "running",
        "cancelled",
        "is_set",
        "isSet",
        "is_alive",
        "empty",
        "full",
        "qsize",
        "locked",
        "ready",
        "get_nowait",
        "exists",
        "is_file",
        "is_dir",
    }
)
_QUERY_FUNCTIONS = frozenset(
    {
        "time.time",
        "time.time_ns",
        "time.monotonic",
        "time.monotonic_ns",
        "time.perf_counter",
        "time.perf_counter_ns",
        "os.path.exists",
        "os.path.isfile",
        "os.path.isdir",
        "builtins.len",
        "builtins.bool",
    }
)
# Expression nodes that compute nothing beyond reading and comparing state.
_READ_NODES = (
    cst.Name,
    cst.Attribute,
    cst.Subscript,
    cst.SubscriptElement,
    cst.Index,
    cst.LeftSquareBracket,
    cst.RightSquareBracket,
    cst.Comparison,
    cst.ComparisonTarget,
    cst.BooleanOperation,
    cst.UnaryOperation,
    cst.BinaryOperation,
    cst.NamedExpr,
    cst.BaseNumber,
    cst.SimpleString,
    cst.Ellipsis,
    cst.Call,
    cst.Arg,
)


class BusyWaitLoop(Rule):
    """## What it does
    Flags a `while` loop that only re-reads state until it changes: its body holds nothing
    but `pass`, `...`, `continue`, `if <state>: break` and re-reads such as
    `status = proc.poll()`, and neither its test nor its body calls anything that blocks or
    yields (sleep, wait, join, get, recv, select, `await`). Calls other than known state
    queries (`poll()`, `done()`, `is_set()`, `empty()`, `time.monotonic()`, `len()`…) are
    taken as real work, so `while step(): pass` and `while node: node = node.next` are
    not reported.

    ## Why opt-in
    Judged on the real-application corpus (`bench/precision.md`): 0 of 2 shown findings
    were worth a change: both spun for the few milliseconds a thread it had just started
    needs to create its event loop, once per test. A busy wait costs in proportion to how
    long it waits, which the rule cannot see. Enable it (`extend-select = ["ECO601"]`) to
    review worker loops and waits on other processes.

    ## Why is this wasteful?
    The loop spins a CPU core at 100 % for as long as it waits, keeps the core out of its
    idle states, and in CPython also competes for the GIL with the very thread it waits
    for. A blocking wait costs no CPU until the OS wakes the thread.

    ## Example
    ```python
    while not job.done():
        pass
    ```

    Use instead:
    ```python
    finished = threading.Event()  # set() by the worker when it is done
    finished.wait()
    ```

    ## Evidence
    `bench/rules/eco601_busy_wait_loop.py` on a 2-core x86-64 VM (CPython 3.11, median of 7
    paired runs; process CPU time while another thread sets a `threading.Event` after w):
    spinning on `is_set()` burns 0.016 s of CPU for w=10 ms, 0.106 s for w=100 ms and
    1.006 s for w=1 s (one core busy the whole wait), against 0.0002-0.0004 s for
    `Event.wait()` at every w. The spin also delayed the wake-up it waited for: 15.5 ms of
    wall time for w=10 ms against 10.4 ms, as the setter thread waits for the GIL.

    ## References
    - greenlint GL001 (busy loop)
    - `threading.Event.wait`, `threading.Condition`, blocking `queue.Queue.get`, `selectors`
    """

    code = "ECO601"
    name = "busy-wait-loop"
    impact = "high"
    opt_in = True
    message = "busy-wait loop spins a CPU core; block on an Event, Condition or queue instead"
    VALID = [
        Valid("""
            import threading
            done = threading.Event()
            while not done.wait(0.5):
                pass
            """),
        Valid("""
            import time
            while not job.done():
                time.sleep(0.5)
            """),
        Valid("""
            from time import sleep as nap
            while proc.poll() is None:
                nap(1)
            """),
        Valid("""
            while node is not None:
                node = node.next
            """),
        Valid("""
            while i < n and a[i] == 0:
                i += 1
            """),
        Valid("""
            while worker.step():
                pass
            """),
        Valid("""
            while True:
                item = q.get()
                if item is None:
                    break
            """),
        Valid("""
            async def f(job):
                while not job.done():
                    await job.wait()
            """),
        Valid("""
            while not ready:
                ready = check_remote(host)
            """),
        Valid(
            """
            while lo < hi:
                mid = (lo + hi) // 2
                if x < a[mid]:
                    hi = mid
                else:
                    lo = mid + 1
            """
        ),
        Valid(
            """
            while 1:
                context = exc.__context__
                if context is None:
                    return
                exc = context
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            while not job.done():
                pass
            """,
            line=1,
        ),
        Invalid(
            """
            import subprocess

            proc = subprocess.Popen(['make'])
            while (status := proc.poll()) is None:
                continue
            print(status)
            """,
            line=4,
        ),
        Invalid(
            """
            import time as t

            def wait_until(deadline):
                while t.monotonic() < deadline:
                    ...
            """,
            line=4,
        ),
        Invalid(
            """
            class Worker:
                def join(self):
                    while True:
                        if self.finished:
                            break
            """,
            line=3,
        ),
        Invalid(
            """
            import queue

            def take(q):
                while True:
                    try:
                        return q.get_nowait()
                    except queue.Empty:
                        continue
            """,
            line=4,
        ),
        Invalid(
            """
            async def f(flags):
                while not flags['ready']:
                    pass
                while True:
                    pass
            """,
            line=2,
            count=2,
        ),
    ]

    def visit_While(self, node: cst.While) -> None:
        if not self._is_read(node.test):
            return
        self._loop_body = node.body
        if all(self._spins(statement, nested=False) for statement in node.body.body):
            self.report(node)

    def _is_read(self, expression: cst.CSTNode) -> bool:
        """Whether ``expression`` only reads state (no call that might block or work)."""
        for part in (expression, *descendants(expression)):
            if not isinstance(part, _READ_NODES):
                return False
            if isinstance(part, cst.Call) and not self._is_query(part):
                return False
        return True

    def _is_query(self, call: cst.Call) -> bool:
        if isinstance(call.func, cst.Attribute) and call.func.attr.value in _QUERY_METHODS:
            return True
        return self.qualified_name(call) in _QUERY_FUNCTIONS

    def _spins(self, statement: cst.CSTNode, *, nested: bool) -> bool:
        """Whether ``statement`` is a spin step; ``break``/``return`` count inside an
        ``if``/``try`` (``nested``), where they end the wait."""
        if isinstance(statement, cst.SimpleStatementLine):
            return all(self._spins(small, nested=nested) for small in statement.body)
        if isinstance(statement, (cst.Pass, cst.Continue)):
            return True
        if isinstance(statement, cst.Break):
            return nested
        if isinstance(statement, cst.Return):
            return nested and (statement.value is None or self._is_read(statement.value))
        if isinstance(statement, cst.Expr):
            return isinstance(statement.value, cst.Ellipsis)
        if isinstance(statement, cst.Assign):
            targets = [t.target for t in statement.targets]
            return self._is_reread(targets, statement.value)
        if isinstance(statement, cst.AnnAssign) and statement.value is not None:
            return self._is_reread([statement.target], statement.value)
        if isinstance(statement, cst.If):
            return self._is_read(statement.test) and self._block_spins(statement)
        if isinstance(statement, cst.Try):
            return statement.finalbody is None and self._block_spins(statement)
        return False

    def _is_reread(self, targets: Sequence[cst.BaseExpression], value: cst.BaseExpression) -> bool:
        """``name = <read>`` whose value depends on no name the loop assigns: a loop that
        carries values from one iteration to the next (``hi = mid``, ``node = node.next``)
        makes progress and is not waiting."""
        if not all(isinstance(target, cst.Name) for target in targets):
            return False
        if not self._is_read(value):
            return False
        # The body's bindings are looked up only here: most loops hold a statement that
        # is no spin step, and a walk of their body would be wasted.
        return not bound_names(self, self._loop_body) & names_read(value)

    def _block_spins(self, statement: cst.If | cst.Try) -> bool:
        blocks: list[cst.BaseSuite | cst.If | cst.Else] = [statement.body]
        if isinstance(statement, cst.Try):
            blocks.extend(handler.body for handler in statement.handlers)
        if statement.orelse is not None:
            blocks.append(statement.orelse)
        for block in blocks:
            if isinstance(block, cst.If):  # an `elif`
                if not self._spins(block, nested=True):
                    return False
            else:
                suite = block.body if isinstance(block, cst.Else) else block
                if not all(self._spins(s, nested=True) for s in suite.body):
                    return False
        return True
