from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid

_TIME_SLEEP = "time.sleep"


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
    The fix (`await asyncio.sleep(...)`) is safe when the module uses asyncio. It is not
    offered when the module imports trio or anyio, whose loops need their own `sleep`.

    ## Evidence
    `bench/rules/eco603_blocking_sleep_in_async.py` on this 2-core machine (CPython 3.11,
    median of 7 paired runs; n tasks gathered on one loop, each sleeping 10 ms): the batch
    takes 102 ms against 10.7 ms at n=10 (9.5x) and 1.02 s against 11.8 ms at n=100 (87x).
    The blocking form grows as n * 10 ms; the awaited sleeps overlap.

    ## References
    - flake8-async ASYNC251; Fixit `UseAsyncSleepInAsyncDef` (reports only, no fix)
    """

    code = "ECO603"
    name = "blocking-sleep-in-async"
    impact = "high"
    message = "`time.sleep()` in `async def` blocks the event loop; use `await asyncio.sleep()`"
    fix = "sometimes"
    VALID = [
        Valid("import asyncio\nasync def f():\n    await asyncio.sleep(1)\n"),
        Valid("import time\ndef f():\n    time.sleep(1)\n"),
        Valid("import time\nasync def f():\n    def g():\n        time.sleep(1)\n    return g\n"),
        Valid("import time\nasync def f():\n    return lambda: time.sleep(1)\n"),
        Valid("def sleep(x): ...\nasync def f():\n    sleep(1)\n"),
    ]
    INVALID = [
        Invalid(
            "import asyncio\nimport time\n\nasync def f():\n    time.sleep(0.5)\n",
            line=5,
            fixed="import asyncio\nimport time\n\nasync def f():\n    await asyncio.sleep(0.5)\n",
        ),
        Invalid(
            "from time import sleep as nap\n\nasync def f():\n    x = nap(1)\n",
            line=4,
            fixed="import asyncio\nfrom time import sleep as nap\n\n"
            "async def f():\n    x = await asyncio.sleep(1)\n",
        ),
        Invalid("import time\nimport trio\n\nasync def f():\n    time.sleep(1)\n", line=5),
        Invalid(
            "import asyncio\nimport time\n\nasync def f():\n    await time.sleep(1)\n",
            line=5,
            fixed="import asyncio\nimport time\n\nasync def f():\n    await asyncio.sleep(1)\n",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if self.qualified_name(node) != _TIME_SLEEP:
            return
        function = self.enclosing_function(node)
        if not isinstance(function, cst.FunctionDef) or function.asynchronous is None:
            return
        if self.imports.imports_module("trio", "anyio"):
            self.report(node)
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
        self.report(node, replacement=replacement, imports=["asyncio"])
