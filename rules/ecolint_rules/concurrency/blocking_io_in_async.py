from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, dotted_name, names_bound, simple_assignments
from ecolint_rules.network._http import (
    CLIENT_METHODS,
    HTTPX_FUNCTIONS,
    REQUESTS_FUNCTIONS,
    URLOPEN,
)

_BLOCKING_FUNCTIONS = {
    **{name: "a blocking HTTP request" for name in (*REQUESTS_FUNCTIONS, *HTTPX_FUNCTIONS)},
    URLOPEN: "a blocking HTTP request",
    "urllib.request.urlretrieve": "a blocking HTTP request",
    "builtins.open": "blocking file I/O",
    "io.open": "blocking file I/O",
    "subprocess.run": "a blocking subprocess",
    "subprocess.call": "a blocking subprocess",
    "subprocess.check_call": "a blocking subprocess",
    "subprocess.check_output": "a blocking subprocess",
    "subprocess.getoutput": "a blocking subprocess",
    "subprocess.getstatusoutput": "a blocking subprocess",
    "os.system": "a blocking subprocess",
    "builtins.input": "blocking console input",
}
_SYNC_CLIENTS = frozenset(
    {"requests.Session", "requests.session", "requests.sessions.Session", "httpx.Client"}
)
_PATH_IO = frozenset({"read_text", "read_bytes", "write_text", "write_bytes"})
_PATH_CLASSES = frozenset({"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath"})


class BlockingIoInAsync(Rule):
    """## What it does
    Flags blocking I/O called directly in an `async def` (not in a nested `def` or
    `lambda`, which may well run in a thread): the `requests` and `httpx` request
    functions, `urllib.request.urlopen` / `urlretrieve`, a request method of a
    `requests.Session` or `httpx.Client` the rule can trace, `open()`, `Path.read_text` /
    `read_bytes` / `write_text` / `write_bytes` (and `Path(...).open()`),
    `subprocess.run` / `call` / `check_call` / `check_output` / `getoutput`, `os.system`
    and `input()`. An awaited call (`await path.read_text()` of anyio or aiofiles) is not
    blocking and is not reported.

    ## Why is this wasteful?
    While the call blocks, the event loop runs nothing else: every other task waits,
    throughput falls to one request at a time, and the service needs more processes or
    machines (each with its own memory and idle power) to serve the same load.

    ## Example
    ```python
    async def fetch_all(urls):
        return [requests.get(url, timeout=5).json() for url in urls]
    ```

    Use instead:
    ```python
    async def fetch_all(urls):
        async with httpx.AsyncClient(timeout=5) as client:
            responses = await asyncio.gather(*(client.get(url) for url in urls))
        return [r.json() for r in responses]
    ```

    Or move the blocking call to a thread: `await asyncio.to_thread(path.read_text)`;
    for processes, `asyncio.create_subprocess_exec`.

    ## Evidence
    `bench/rules/eco604_blocking_io_in_async.py` on this 2-core machine (CPython 3.11,
    shared with other jobs, so figures are noisy; median of 5 paired runs): n tasks on
    one event loop each fetch a URL from a local server (its own process, 10 ms per
    answer), with `requests.get` in the `async def` against `await` on one
    `aiohttp.ClientSession`. Wall time of the batch: n=10: 0.179 s against 0.037 s
    (4.1x); n=100: 1.56 s against 0.217 s (7.2x); n=1,000: 17.6 s against 0.655 s
    (29x). Client CPU time: 1.37 s against 0.20 s at n=1,000. The blocked loop serves
    one request at a time, so its cost grows with n.

    Summary: n concurrent 10 ms HTTP requests in one event loop, blocking `requests` vs
    aiohttp: 4.1x wall time at n=10, 7.2x at n=100, 29x at n=1,000 (2 cores, CPython
    3.11).

    ## References
    - flake8-async ASYNC210, ASYNC212, ASYNC220, ASYNC221, ASYNC222, ASYNC230, ASYNC240,
      ASYNC250
    """

    code = "ECO604"
    name = "blocking-io-in-async"
    message = "`{call}` is {what} in `async def`: it stalls the event loop; {alternative}"
    impact = "high"
    VALID = [
        Valid("import requests\n\ndef fetch(url):\n    return requests.get(url, timeout=5)\n"),
        Valid(
            "import requests\n\nasync def f(url):\n    def work():\n"
            "        return requests.get(url, timeout=5)\n    return await to_thread(work)\n"
        ),
        Valid(
            "import asyncio\n\nasync def f(path):\n"
            "    return await asyncio.to_thread(read_config, path)\n"
        ),
        Valid(
            "import anyio\n\nasync def f(path):\n    return await anyio.Path(path).read_text()\n"
        ),
        Valid(
            "import httpx\n\nasync def f(url):\n    async with httpx.AsyncClient() as client:\n"
            "        return await client.get(url)\n"
        ),
        Valid("async def f(cache, key):\n    return cache.get(key)\n"),
        Valid("import subprocess\n\nasync def f():\n    return lambda: subprocess.run(['ls'])\n"),
    ]
    INVALID = [
        Invalid(
            "import requests\n\nasync def fetch(url):\n    return requests.get(url, timeout=5)\n",
            line=4,
        ),
        Invalid(
            "async def load(path):\n    with open(path) as f:\n        return f.read()\n", line=2
        ),
        Invalid(
            "from pathlib import Path\nimport subprocess as sp\n\nasync def build(root):\n"
            "    text = Path(root, 'cfg').read_text()\n    sp.run(['make'], check=True)\n",
            line=5,
            count=2,
        ),
        Invalid(
            "import httpx\n\nclient = httpx.Client(timeout=5)\n\nasync def ping(url):\n"
            "    return client.get(url)\n",
            line=6,
        ),
        Invalid(
            "import os\n\nclass Shell:\n    async def run(self, cmd):\n"
            "        answer = input('go? ')\n        os.system(cmd)\n",
            line=5,
            count=2,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        self._bound: dict[int, set[str]] = {}

    def visit_Call(self, node: cst.Call) -> None:
        function = self.enclosing_function(node)
        if not isinstance(function, cst.FunctionDef) or function.asynchronous is None:
            return
        parent = self.parent_of(node)
        if isinstance(parent, cst.Await):
            return
        name = self.qualified_name(node)
        what = _BLOCKING_FUNCTIONS.get(name or "")
        if what is not None:
            self._report(node, f"{name}()", what)
            return
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        if method in _PATH_IO:
            if self._is_path(node, func.value) or _looks_like_path(func):
                self._report(node, f".{method}()", "blocking file I/O")
        elif method == "open":
            if self._is_path(node, func.value):
                self._report(node, ".open()", "blocking file I/O")
        elif method in CLIENT_METHODS and self._is_sync_client(node, func.value):
            self._report(node, f".{method}()", "a blocking HTTP request")

    def _report(self, node: cst.Call, call: str, what: str) -> None:
        alternative = {
            "a blocking HTTP request": "use httpx.AsyncClient or aiohttp",
            "blocking file I/O": "use `asyncio.to_thread` or aiofiles",
            "a blocking subprocess": "use `asyncio.create_subprocess_exec`",
            "blocking console input": "read stdin through `asyncio.to_thread`",
        }[what]
        self.report(node, call=call, what=what, alternative=alternative)

    def _is_path(self, node: cst.CSTNode, value: cst.BaseExpression) -> bool:
        """``Path(...)``, ``Path(...) / "x"``, or a name assigned only such values."""
        while isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Divide):
            value = value.left
        if isinstance(value, cst.Call):
            return self.qualified_name(value) in _PATH_CLASSES
        if isinstance(value, cst.Name):
            values = simple_assignments(self.enclosing_scope(node), value.value)
            return bool(values) and all(self._is_path(node, v) for v in values)
        return False

    def _binds(self, scope: cst.CSTNode, name: str) -> bool:
        """Whether ``scope`` binds ``name`` (cached per scope: ``.get`` calls are many)."""
        bound = self._bound.get(id(scope))
        if bound is None:
            bound = self._bound[id(scope)] = names_bound(scope)
        return name in bound

    def _is_sync_client(self, node: cst.CSTNode, value: cst.BaseExpression) -> bool:
        if isinstance(value, cst.Call):
            return self.qualified_name(value) in _SYNC_CLIENTS
        if isinstance(value, cst.Name):
            for ancestor in self.ancestors(node):
                if isinstance(ancestor, cst.With):
                    for item in ancestor.items:
                        target = item.asname.name if item.asname else None
                        if isinstance(target, cst.Name) and target.value == value.value:
                            return self._is_sync_client(ancestor, item.item)
            scope = self.enclosing_scope(node)
            values = simple_assignments(scope, value.value)
            if not values and scope is not self.module and not self._binds(scope, value.value):
                values = simple_assignments(self.module, value.value)
            return bool(values) and all(
                isinstance(v, cst.Call) and self.qualified_name(v) in _SYNC_CLIENTS for v in values
            )
        return False


def _looks_like_path(func: cst.Attribute) -> bool:
    """``read_text`` and friends on something named like a path (``path``, ``cfg_file``,
    ``self.root``): pathlib's method names, on a receiver the rule cannot type."""
    name = dotted_name(func.value)
    if name is None:
        return False
    last = name.rsplit(".", 1)[-1].lower()
    return any(word in last for word in ("path", "file", "dir", "root", "folder"))
