from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, simple_assignments
from ecolint_rules.network._http import (
    HTTPX_FUNCTIONS,
    REQUESTS_FUNCTIONS,
    URLOPEN,
    Aliases,
)

# No timeout unless one is passed: requests, urllib and urllib3 wait forever by default.
_NO_DEFAULT = REQUESTS_FUNCTIONS | {URLOPEN, "urllib3.request"}
# A default timeout that only an explicit `timeout=None` removes (httpx: 5 s).
_DEFAULT_BOUNDED = HTTPX_FUNCTIONS | {"httpx.Client", "httpx.AsyncClient"}
_URLOPEN_TIMEOUT_POSITION = 2  # urlopen(url, data=None, timeout=...)
# A server on this machine (in a test, the one the test itself started).
_LOCAL_URLS = ("http://localhost", "http://127.0.0.1", "http://0.0.0.0", "http://[::1]")


class HttpWithoutTimeout(Rule):
    """## What it does
    Flags an HTTP call that can wait forever on a server that stops answering:
    - `requests.get/post/…/request(...)`, `urllib.request.urlopen(...)` and
      `urllib3.request(...)` without a `timeout` (keyword, or the third positional
      argument of `urlopen`) or with `timeout=None`: these libraries have no default;
    - `httpx.get/…/request/stream(...)`, `httpx.Client(...)` and `httpx.AsyncClient(...)`
      only with an explicit `timeout=None`: httpx times out after 5 s of network
      inactivity by default, so leaving the timeout out is fine;
    - a timeout object that bounds nothing, passed as `timeout=` (directly, or through a
      name bound to it): `httpx.Timeout(None)` (its `read`, else its default, is `None`)
      or `aiohttp.ClientTimeout()` without `total` nor `sock_read`.

    A timeout left out is an oversight, reported with high confidence, except at module
    level (outside any function): that call runs once per process, when a script starts
    (a data-preparation script downloading its dataset) or a module is imported, where a
    hang is seen by whoever started it; it is graded `low`. A timeout turned
    off explicitly (`timeout=None`, an unbounded timeout object) is a decision, right for
    a stream, a server-sent-events feed or a long poll: that finding is graded `low` and
    its message says so.

    The function may be called through a local alias (`post = requests.post`, in the
    function or the module, then `post(url)`). Calls that pass `**kwargs` are left alone,
    since the timeout may be among them. An `aiohttp.ClientSession` (or its request
    methods) without a timeout is not reported: aiohttp bounds every request to 5 minutes
    (`ClientTimeout(total=300, sock_connect=30)`) unless a timeout object says otherwise,
    and a stalled request holds a coroutine, not a thread. A `requests.Session` method is
    not reported either: the session may carry a timeout through its adapter. Nor is a
    request whose URL is a literal (or an f-string starting with one) on this machine:
    `http://localhost`, `http://127.0.0.1`, `http://0.0.0.0` or `http://[::1]` (in a test,
    the server the test itself started).

    ## Why is this wasteful?
    Without a timeout a request to a server that stalls waits forever: the thread or
    worker, its socket and its memory stay held, and callers pile up retries. `requests`,
    `urllib` and `urllib3` never time out by default; `httpx` defaults to 5 s, which
    `timeout=None` removes.

    ## Example
    ```python
    import requests

    def fetch(url):
        return requests.get(url)
    ```

    Use instead:
    ```python
    import requests

    def fetch(url):
        return requests.get(url, timeout=(3.05, 30))
    ```

    ## Evidence
    `bench/rules/eco301_http_without_timeout.py` on this 2-core machine (CPython 3.11,
    a local `http.server`): against a healthy server a timeout costs nothing (1.02× at
    n=10, 0.95× at n=100, 1.05× at n=1,000 `urlopen` calls: noise). Against a server
    that never answers, 10 of 10 and 100 of 100 worker threads without a timeout were
    still blocked after 1 s, each holding a thread and a socket, against 0 with
    `timeout=0.2`. The saving is held resources, not CPU time.

    Summary: against a server that never answers, 100 of 100 threads without a timeout were
    still blocked after 1 s, 0 with `timeout=0.2`; against a healthy server a timeout costs
    nothing (0.95–1.05×).

    ## References
    - ruff S113 (request-without-timeout)
    """

    code = "ECO301"
    name = "http-without-timeout"
    impact = "medium"
    message = "`{call}()` without a timeout can hang and hold its worker; pass `timeout=`"
    VALID = [
        Valid("""
            import requests

            resp = requests.get(url, timeout=10)
            """),
        Valid("""
            from urllib.request import urlopen

            body = urlopen(url, None, 5).read()
            """),
        Valid("""
            import httpx

            with httpx.Client(timeout=5.0) as client:
                client.get(url)
            """),
        Valid(
            """
            import requests

            def fetch(url, **options):
                return requests.get(url, **options)
            """
        ),
        Valid("session.get(url)\n"),
        Valid("""
            import requests

            session = requests.Session()
            session.get(url)
            """),
        Valid(
            """
            import httpx

            reply = httpx.get(url)
            with httpx.AsyncClient(base_url=API) as client:
                pass
            """
        ),
        Valid(
            """
            import aiohttp

            async def fetch(url):
                timeout = aiohttp.ClientTimeout(total=30)
                async with aiohttp.ClientSession(timeout=timeout) as session:
                    return await session.get(url)
            """
        ),
        Valid(
            """
            import httpx
            import requests

            get = requests.get

            def fetch(url, get=httpx.get):
                return get(url)
            """
        ),
        Valid(
            """
            import httpx

            client = httpx.Client(timeout=httpx.Timeout(None, read=30.0))
            assert httpx.Timeout(None) == httpx.Timeout(timeout=None)
            """
        ),
        Valid(
            """
            import requests

            def test_health(server):
                assert requests.get("http://127.0.0.1:8000/health").ok
                requests.request("POST", f"http://localhost:{server.port}/v1", json={})
                requests.get(url=f"http://[::1]:{server.port}/")
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import requests

            def fetch():
                return requests.get('https://example.org/api')
            """,
            line=4,
        ),
        Invalid(
            """
            import requests as rq

            def push(data):
                return rq.request('POST', URL, json=data, timeout=None)
            """,
            line=4,
            confidence="low",
        ),
        Invalid(
            """
            from urllib.request import urlopen as fetch

            def status():
                with fetch('http://10.0.0.7:8000/') as resp:
                    return resp.read()
            """,
            line=4,
        ),
        Invalid(
            """
            import httpx

            client = httpx.AsyncClient(base_url=API, timeout=None)
            reply = httpx.post(API, json={}, timeout=None)
            """,
            line=3,
            count=2,
            confidence="low",
        ),
        Invalid(
            """
            import requests

            post = requests.post

            def push(data):
                return post(URL, json=data)
            """,
            line=6,
        ),
        Invalid(
            """
            from requests import get

            def poll(url):
                fetch = get
                return fetch(url).json()
            """,
            line=5,
        ),
        Invalid(
            """
            import aiohttp
            import httpx

            forever = aiohttp.ClientTimeout(connect=5)

            async def fetch(url):
                async with aiohttp.ClientSession(timeout=forever) as session:
                    return await session.get(url)

            client = httpx.Client(timeout=httpx.Timeout(10.0, read=None))
            """,
            line=7,
            count=2,
            confidence="low",
        ),
        Invalid(
            """
            import urllib3

            def fetch():
                return urllib3.request('GET', URL)
            """,
            line=4,
        ),
        Invalid(
            """
            import requests

            def status():
                return requests.get("http://localhost.example.org/status")
            """,
            line=4,
        ),
        Invalid(
            """
            import os
            import requests

            if not os.path.exists("input.txt"):
                with open("input.txt", "w") as f:
                    f.write(requests.get(DATA_URL).text)
            """,
            line=6,
            confidence="low",
            message="`requests.get()` without a timeout can hang; at module level it runs once, "
            "when the script starts or the module is imported, in front of whoever started it: "
            "pass `timeout=` if it also runs unattended",
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        self._aliases = Aliases()

    def visit_Assign(self, node: cst.Assign) -> None:
        self._aliases.record(self, node)

    def visit_Call(self, node: cst.Call) -> None:
        if any(arg.star == "**" for arg in node.args):
            return  # the timeout may be among the keyword arguments
        name = self._aliases.called_function(self, node)
        if name is not None and _local_url(name, node):
            return  # a local server: no network to stall
        position = _URLOPEN_TIMEOUT_POSITION if name == URLOPEN else None
        timeout = _argument(node, "timeout", position)
        if name in _NO_DEFAULT and timeout is None:
            if self.enclosing_function(node) is None:
                self.report(node, _AT_MODULE_LEVEL.format(call=name), confidence="low")
            else:
                self.report(node, call=name)
        elif name in _NO_DEFAULT | _DEFAULT_BOUNDED and timeout is not None and _is_none(timeout):
            self.report(node, _EXPLICIT_NONE.format(call=name), confidence="low")
        elif timeout is not None:
            unbounded = self._unbounded_object(node, timeout)
            if unbounded is not None:
                self.report(node, _UNBOUNDED_OBJECT.format(call=unbounded), confidence="low")

    def _unbounded_object(self, call: cst.Call, value: cst.BaseExpression) -> str | None:
        """The timeout class when ``value`` (a ``timeout=`` argument) is a timeout object
        that bounds nothing, or a name the scope (else the module) binds only to such
        objects; ``None`` otherwise. A timeout object not passed anywhere (a test of the
        class, a comparison) is not a request that can hang."""
        if isinstance(value, cst.Name):
            scope = self.enclosing_scope(call)
            values = simple_assignments(scope, value.value)
            if not values and scope is not self.module:
                values = simple_assignments(self.module, value.value)
        else:
            values = [value]
        names = {self.qualified_name(v) if isinstance(v, cst.Call) else None for v in values}
        if len(names) != 1 or not names <= _TIMEOUT_OBJECTS:
            return None
        name = names.pop()
        assert name is not None
        if all(_reads_unbounded(name, v) for v in values if isinstance(v, cst.Call)):
            return name
        return None


_EXPLICIT_NONE = (
    "`{call}(timeout=None)` turns the timeout off on purpose: right for a stream or a long "
    "poll, which the rule cannot tell; otherwise a stalled server holds the worker for good, "
    "so pass a finite timeout"
)
_AT_MODULE_LEVEL = (
    "`{call}()` without a timeout can hang; at module level it runs once, when the script "
    "starts or the module is imported, in front of whoever started it: pass `timeout=` if "
    "it also runs unattended"
)
_UNBOUNDED_OBJECT = (
    "the `{call}(...)` passed as `timeout=` bounds no read (nor the total) on purpose: right "
    "for a stream or a long poll, which the rule cannot tell; otherwise a stalled server "
    "holds the worker for good, so give it a finite read (or total) timeout"
)
# Timeout objects, and the arguments (keyword, position) that bound a stalled response.
_TIMEOUT_OBJECTS = frozenset({"httpx.Timeout", "aiohttp.ClientTimeout"})


def _reads_unbounded(name: str, call: cst.Call) -> bool:
    """Whether a timeout object leaves a stalled response unbounded: httpx's `read`
    (else its default, the first argument) is `None`; aiohttp's `total` and
    `sock_read` are both missing or `None`. A call passing `**kwargs` may set them."""
    if any(arg.star == "**" for arg in call.args):
        return False
    if name == "httpx.Timeout":
        read = _argument(call, "read", None) or _argument(call, "timeout", 0)
        return read is not None and _is_none(read)
    bounds = (_argument(call, "total", 0), _argument(call, "sock_read", 2))
    return all(bound is None or _is_none(bound) for bound in bounds)


def _local_url(name: str, call: cst.Call) -> bool:
    """Whether the URL of the request ``call`` to ``name`` is a literal (or an f-string
    starting with one) addressed to this machine: ``http://localhost``, ``127.0.0.1``,
    ``0.0.0.0`` or ``[::1]``. Such a server is the program's own (a test's server, a
    sidecar), not a remote one that can stall behind a network."""
    position = 1 if name.endswith(".request") else 0  # request(method, url)
    url = _argument(call, "url", position)
    if isinstance(url, cst.FormattedString):
        head = url.parts[0] if url.parts else None
        text = head.value if isinstance(head, cst.FormattedStringText) else ""
    elif isinstance(url, cst.SimpleString):
        text = str(url.evaluated_value)
    elif isinstance(url, cst.ConcatenatedString):
        text = str(url.evaluated_value or "")
    else:
        return False
    return any(
        text.lower() == local or text.lower().startswith((local + ":", local + "/"))
        for local in _LOCAL_URLS
    )


def _argument(call: cst.Call, keyword: str, position: int | None) -> cst.BaseExpression | None:
    """The value passed to ``keyword`` (or at ``position``), else ``None``."""
    for index, arg in enumerate(call.args):
        by_keyword = arg.keyword is not None and arg.keyword.value == keyword
        by_position = arg.keyword is None and not arg.star and index == position
        if by_keyword or by_position:
            return arg.value
    return None


def _is_none(value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Name) and value.value == "None"
