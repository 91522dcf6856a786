from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, dotted_name, names_bound, simple_assignments
from ecolint_rules._syntax import open_mode
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
_TEXT_FILE_MESSAGE = (
    "`{call}` is blocking file I/O in `async def`: it stalls the event loop as long as it "
    "reads or writes, microseconds for a small text file, which the rule cannot tell from a "
    "large one; if the file can be large, use `asyncio.to_thread` or aiofiles"
)
_PATH_CLASSES = frozenset(
    {"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.WindowsPath"}
)
_PATH_CONSTRUCTORS = _PATH_CLASSES | {
    f"{cls}.{method}" for cls in _PATH_CLASSES for method in ("home", "cwd")
}
# What a path derives other paths with: `p.parent`, `p.with_suffix(".bak")`, ...
_PATH_ATTRIBUTES = frozenset({"parent"})
_PATH_METHODS = frozenset(
    {"with_name", "with_stem", "with_suffix", "resolve", "absolute", "expanduser", "relative_to"}
)


class BlockingIoInAsync(Rule):
    """## What it does
    Flags blocking I/O called directly in an `async def` (not in a nested `def` or
    `lambda`, which may well run in a thread): the `requests` and `httpx` request
    functions, `urllib.request.urlopen` / `urlretrieve`, a request method of a
    `requests.Session` or `httpx.Client` the rule can trace, `open()`, `Path.read_text` /
    `read_bytes` / `write_text` / `write_bytes` / `open`, `subprocess.run` / `call` /
    `check_call` / `check_output` / `getoutput`, `os.system` and `input()`. An awaited
    call (`await path.read_text()` of anyio or aiofiles) is not blocking and is not
    reported.

    A path is `pathlib.Path(...)` (however imported; also `Path.home()` / `cwd()`), a
    path `/ "x"`, its `.parent`, `.with_suffix(...)`, `.resolve()` and the like, any
    `.joinpath(...)` (only path objects have it), or a name of the `async def` annotated
    `Path` or assigned only such values there. `read_text` and friends are also reported
    on a receiver named like a path (`cfg_file`, `self.root`): pathlib's method names.

    Blocking file I/O on a text file (`open(p)`, mode `"r"`, `"w"`, `"a"`…, `read_text`,
    `write_text`) is graded `low`: such files (configuration, templates, JSON) are
    usually small and in the OS cache, so the loop stalls for microseconds, and the rule
    cannot see the size; the message says so. Binary files (`"rb"`, `"wb"`,
    `read_bytes`: uploads, images, archives) keep high confidence.

    ## Why is this wasteful?
    While the call blocks, the event loop runs nothing else: every other task waits,
    throughput falls to one request at a time, and the service needs more processes or
    machines (each with its own memory and idle power) to serve the same load.

    ## Why opt-in
    Judged on 12 real applications (`bench/precision.md`): 0 of 16 shown findings were worth a
    change: blocking I/O in `async def` costs only when other tasks wait on the loop, and the
    findings were start-up prompts, one-off file writes and test fixtures. Enable it
    (`extend-select = ["ECO604"]`) for servers where many requests share one event loop.

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
    `bench/rules/eco604_blocking_io_in_async.py` on a 2-core x86-64 VM (CPython 3.11,
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
    opt_in = True
    name = "blocking-io-in-async"
    message = "`{call}` is {what} in `async def`: it stalls the event loop; {alternative}"
    impact = "high"
    VALID = [
        Valid("""
            import requests

            def fetch(url):
                return requests.get(url, timeout=5)
            """),
        Valid(
            """
            import requests

            async def f(url):
                def work():
                    return requests.get(url, timeout=5)
                return await to_thread(work)
            """
        ),
        Valid(
            """
            import asyncio

            async def f(path):
                return await asyncio.to_thread(read_config, path)
            """
        ),
        Valid(
            """
            import anyio

            async def f(path):
                return await anyio.Path(path).read_text()
            """
        ),
        Valid(
            """
            import httpx

            async def f(url):
                async with httpx.AsyncClient() as client:
                    return await client.get(url)
            """
        ),
        Valid("""
            async def f(cache, key):
                return cache.get(key)
            """),
        Valid("""
            import subprocess

            async def f():
                return lambda: subprocess.run(['ls'])
            """),
        Valid(
            """
            import anyio

            async def save(folder, name, data, handle):
                await anyio.Path(folder).joinpath(name).write_bytes(data)
                target = folder / name
                with target.open("wb") as out:
                    out.write(data)
                handle.open()
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import requests

            async def fetch(url):
                return requests.get(url, timeout=5)
            """,
            line=4,
        ),
        Invalid(
            """
            import shutil
            from pathlib import Path

            async def upload(temp_path, upload, root: Path):
                with temp_path.joinpath(upload.filename).open("wb") as buffer:
                    shutil.copyfileobj(upload.file, buffer)
                target = Path(root) / "images"
                target = target / upload.filename
                with target.with_suffix(".webp").open("wb") as out:
                    out.write(upload.data)
                (root.parent / "log").write_text("done")
            """,
            line=5,
            count=3,
        ),
        Invalid(
            """
            async def load(path):
                with open(path) as f:
                    return f.read()
            """,
            line=2,
            confidence="low",
        ),
        Invalid(
            """
            import io

            async def store(path, data):
                with io.open(path, 'wb') as f:
                    f.write(data)
            """,
            line=4,
        ),
        Invalid(
            """
            from pathlib import Path
            import subprocess as sp

            async def build(root):
                text = Path(root, 'cfg').read_text()
                sp.run(['make'], check=True)
            """,
            line=5,
            count=2,
            confidence="low",
        ),
        Invalid(
            """
            import httpx

            client = httpx.Client(timeout=5)

            async def ping(url):
                return client.get(url)
            """,
            line=6,
        ),
        Invalid(
            """
            import os

            class Shell:
                async def run(self, cmd):
                    answer = input('go? ')
                    os.system(cmd)
            """,
            line=5,
            count=2,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        self._bound: dict[int, set[str]] = {}
        self._async_seen = False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.asynchronous is not None:
            self._async_seen = True

    def visit_Call(self, node: cst.Call) -> None:
        if not self._async_seen:
            return  # no `async def` walked yet: no call so far can be inside one
        function = self.enclosing_function(node)
        if not isinstance(function, cst.FunctionDef) or function.asynchronous is None:
            return
        parent = self.parent_of(node)
        if isinstance(parent, cst.Await):
            return
        name = self.qualified_name(node)
        what = _BLOCKING_FUNCTIONS.get(name) if name is not None else None
        if name is not None and what is not None:
            text = what == "blocking file I/O" and _text_mode(node, mode_position=1)
            self._report(node, f"{name.removeprefix('builtins.')}()", what, text_file=text)
            return
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        if method in _PATH_IO:
            if self._is_path(node, func.value) or _looks_like_path(func):
                text = method.endswith("_text")
                self._report(node, f".{method}()", "blocking file I/O", text_file=text)
        elif method == "open":
            if self._is_path(node, func.value):
                text = _text_mode(node, mode_position=0)
                self._report(node, ".open()", "blocking file I/O", text_file=text)
        elif method in CLIENT_METHODS and self._is_sync_client(node, func.value):
            self._report(node, f".{method}()", "a blocking HTTP request")

    def _report(self, node: cst.Call, call: str, what: str, text_file: bool = False) -> None:
        """Report ``call``; a text file (config, template, JSON) is usually small and
        cached by the OS, so it stalls the loop for microseconds: that finding is graded
        ``low``, and its message says the cost depends on the file's size."""
        if text_file:
            self.report(node, _TEXT_FILE_MESSAGE.format(call=call), confidence="low")
            return
        alternative = {
            "a blocking HTTP request": "use httpx.AsyncClient or aiohttp",
            "blocking file I/O": "use `asyncio.to_thread` or aiofiles",
            "a blocking subprocess": "use `asyncio.create_subprocess_exec`",
            "blocking console input": "read stdin through `asyncio.to_thread`",
        }[what]
        self.report(node, call=call, what=what, alternative=alternative)

    def _is_path(
        self, node: cst.CSTNode, value: cst.BaseExpression, seen: frozenset[str] = frozenset()
    ) -> bool:
        """A ``pathlib`` path: ``Path(...)`` (``Path.home()``, ``Path.cwd()``), a path
        ``/ "x"``, ``.parent``, ``.with_suffix(...)`` and the like of one, anything's
        ``.joinpath(...)`` (only path objects have it: pathlib's, ``zipfile.Path``,
        ``importlib.resources``), or a name of the enclosing function annotated
        ``Path`` or assigned only such values there."""
        while True:
            if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Divide):
                value = value.left
            elif isinstance(value, cst.Attribute) and value.attr.value in _PATH_ATTRIBUTES:
                value = value.value
            elif isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute):
                method = value.func.attr.value
                if method == "joinpath":
                    return True
                if method not in _PATH_METHODS:
                    break
                value = value.func.value
            else:
                break
        if isinstance(value, cst.Call):
            return self.qualified_name(value) in _PATH_CONSTRUCTORS
        if isinstance(value, cst.Name):
            scope = self.enclosing_scope(node)
            if self._annotated_path(scope, value.value):
                return True
            # `p = p / "x"` refers back to `p`: the other assignments decide.
            values = [
                v
                for v in simple_assignments(scope, value.value)
                if not (seen | {value.value}) & _path_roots(v)
            ]
            seen = seen | {value.value}
            return bool(values) and all(self._is_path(node, v, seen) for v in values)
        return False

    def _annotated_path(self, scope: cst.CSTNode, name: str) -> bool:
        """Whether ``name`` is a parameter of the function ``scope`` annotated as a path."""
        if not isinstance(scope, cst.FunctionDef):
            return False
        params = scope.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if param.name.value == name and param.annotation is not None:
                return self.qualified_name(param.annotation.annotation) in _PATH_CLASSES
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


def _text_mode(call: cst.Call, mode_position: int) -> bool:
    """Whether ``open(...)`` / ``path.open(...)`` opens a text file: its mode (keyword, or
    the argument at ``mode_position``) is a literal without ``b``, or left out ("r")."""
    mode = open_mode(call, mode_position)
    return mode is not None and "b" not in mode


def _path_roots(value: cst.BaseExpression) -> set[str]:
    """The name a path expression derives from: ``p`` in ``p / "x"``, ``p.parent``."""
    while True:
        if isinstance(value, cst.BinaryOperation):
            value = value.left
        elif isinstance(value, cst.Attribute):
            value = value.value
        elif isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute):
            value = value.func.value
        else:
            return {value.value} if isinstance(value, cst.Name) else set()


def _looks_like_path(func: cst.Attribute) -> bool:
    """``read_text`` and friends on something named like a path (``path``, ``cfg_file``,
    ``self.root``): pathlib's method names, on a receiver the rule cannot type."""
    name = dotted_name(func.value)
    if name is None:
        return False
    last = name.rsplit(".", 1)[-1].lower()
    return any(word in last for word in ("path", "file", "dir", "root", "folder"))
