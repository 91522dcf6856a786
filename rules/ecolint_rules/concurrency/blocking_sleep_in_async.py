from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid

_TIME_SLEEP = "time.sleep"
# Loops with their own sleep: asyncio.sleep does not run under them.
_OTHER_LOOPS = ("trio", "anyio")
# Modules that only run on asyncio: importing one says which loop runs the coroutine.
_ASYNCIO_ONLY = (
    "asyncio",
    "aiohttp",
    "fastapi",
    "starlette",
    "sanic",
    "quart",
    "discord",
    "aiogram",
    "uvicorn",
    "aiofiles",
    "asyncpg",
    "motor",
)


class BlockingSleepInAsync(Rule):
    """## What it does
    Flags `time.sleep(...)` called directly in an `async def` (not in a nested `def` or
    `lambda`), however `sleep` was imported.

    ## Why is this wasteful?
    `time.sleep` blocks the whole event loop: every other task waits, throughput falls,
    and more workers (processes, machines) are needed to serve the same load.

    ## Example
    ```python
    import time

    async def poll():
        time.sleep(1)
    ```

    Use instead:
    ```python
    import asyncio

    async def poll():
        await asyncio.sleep(1)
    ```

    ## Fix safety
    The message names the loop's own sleep: `trio.sleep` or `anyio.sleep` when the module
    imports trio or anyio, and then no fix is offered. The fix (`await asyncio.sleep(...)`)
    is safe when the module imports asyncio or a framework that only runs on asyncio
    (aiohttp, FastAPI, Starlette, Sanic, Quart, discord.py...). Elsewhere it is unsafe: an
    `async def` in a module that imports none of them may run on another loop (trio's own
    test suite imports trio's core through relative imports), where `asyncio.sleep` fails.

    ## Evidence
    `bench/rules/eco603_blocking_sleep_in_async.py` on a 2-core x86-64 VM (CPython 3.11,
    median of 7 paired runs; n tasks gathered on one loop, each sleeping 10 ms): the batch
    takes 102 ms against 10.7 ms at n=10 (9.5x) and 1.02 s against 11.8 ms at n=100 (87x).
    The blocking form grows as n * 10 ms; the awaited sleeps overlap.

    ## References
    - flake8-async ASYNC251; Fixit `UseAsyncSleepInAsyncDef` (reports only, no fix)
    """

    code = "ECO603"
    name = "blocking-sleep-in-async"
    impact = "high"
    message = "`time.sleep()` in `async def` blocks the event loop; use `await {loop}.sleep()`"
    fix = "sometimes"
    fix_title = "Await `asyncio.sleep()` instead of blocking in `time.sleep()`"
    VALID = [
        Valid(
            """
            import asyncio
            async def f():
                await asyncio.sleep(1)
            """
        ),
        Valid(
            """
            import time
            def f():
                time.sleep(1)
            """
        ),
        Valid(
            """
            import time
            async def f():
                def g():
                    time.sleep(1)
                return g
            """
        ),
        Valid(
            """
            import time
            async def f():
                return lambda: time.sleep(1)
            """
        ),
        Valid(
            """
            def sleep(x): ...
            async def f():
                sleep(1)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import asyncio
            import time

            async def f():
                time.sleep(0.5)
            """,
            line=5,
            message="`time.sleep()` in `async def` blocks the event loop; "
            "use `await asyncio.sleep()`",
            fixed="""
            import asyncio
            import time

            async def f():
                await asyncio.sleep(0.5)
            """,
        ),
        Invalid(
            """
            from fastapi import FastAPI
            from time import sleep as nap

            async def f():
                x = nap(1)
            """,
            line=5,
            fixed="""
            import asyncio
            from fastapi import FastAPI
            from time import sleep as nap

            async def f():
                x = await asyncio.sleep(1)
            """,
        ),
        Invalid(
            """
            import time
            import trio

            async def f():
                time.sleep(1)
            """,
            line=5,
            message="`time.sleep()` in `async def` blocks the event loop; use `await trio.sleep()`",
        ),
        Invalid(
            """
            import time
            from anyio import create_task_group

            async def f():
                time.sleep(1)
            """,
            line=5,
            message="`time.sleep()` in `async def` blocks the event loop; "
            "use `await anyio.sleep()`",
        ),
        Invalid(
            """
            import time
            from .. import _core

            async def f():
                time.sleep(1)
            """,
            line=5,
            unsafe=True,
            fixed="""
            import asyncio
            import time
            from .. import _core

            async def f():
                await asyncio.sleep(1)
            """,
        ),
        Invalid(
            """
            import asyncio
            import time

            async def f():
                await time.sleep(1)
            """,
            line=5,
            fixed="""
            import asyncio
            import time

            async def f():
                await asyncio.sleep(1)
            """,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if self.qualified_name(node) != _TIME_SLEEP:
            return
        function = self.enclosing_function(node)
        if not isinstance(function, cst.FunctionDef) or function.asynchronous is None:
            return
        other_loop = next((m for m in _OTHER_LOOPS if self.imports.imports_module(m)), None)
        if other_loop is not None:
            self.report(node, loop=other_loop)
            return
        asyncio_name = self.imports.local_name_for("asyncio") or "asyncio"
        call = cst.Call(
            func=cst.Attribute(cst.Name(asyncio_name), cst.Name("sleep")),
            args=node.args,
            lpar=node.lpar,
            rpar=node.rpar,
        )
        parent = self.parent_of(node)
        if isinstance(parent, cst.Await) and parent.expression is node:
            # `await time.sleep(1)` (a TypeError at run time): swap the call, keep the await.
            replacement: cst.BaseExpression = call
        else:
            replacement = cst.Await(
                call.with_changes(lpar=(), rpar=()), lpar=node.lpar, rpar=node.rpar
            )
        self.report(
            node,
            replacement=replacement,
            unsafe=not self.imports.imports_module(*_ASYNCIO_ONLY),
            fix_imports=["asyncio"],
            loop="asyncio",
        )
