from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, dotted_name, find_all, names_read
from ecolint.lint.analysis import COMPREHENSIONS, bound_names, enclosing_loops, target_names
from ecolint.lint.bounds import loop_is_bounded
from ecolint_rules._syntax import keyword_is
from ecolint_rules.network._http import (
    CLIENT_METHODS,
    ONE_SHOT_FUNCTIONS,
    Aliases,
    is_client,
)

_REQUEST_FUNCTIONS = ONE_SHOT_FUNCTIONS | {"urllib.request.urlretrieve", "aiohttp.request"}
# Functions and methods whose URL comes second: `request("GET", url)`.
_METHOD_FIRST = frozenset({"request"})
_ONE_SHOT_MESSAGE = (
    "`{call}` sends one HTTP request per iteration, each on a new connection; use a batch "
    "endpoint or bigger pages, else one pooled client (`requests.Session`, `httpx.Client`) "
    "created before the loop"
)
_STREAM_MESSAGE = (
    "`{call}` sends one HTTP request per item of an `async for`: if the items arrive one "
    "at a time (a stream, a queue), there is nothing to batch, which the rule cannot tell; "
    "otherwise use a batch endpoint or bigger pages"
)
_CHAINED_MESSAGE = (
    "`{call}` sends one HTTP request per iteration, each to a URL the previous response "
    "gives (a redirect chain, a next-page link): nothing to batch; if these are pages, "
    "ask for bigger ones"
)
_ITEM_URL_MESSAGE = (
    "`{call}` sends one HTTP request per item, to a URL the item gives: batching is "
    "possible only if they share a server with a batch endpoint, which the rule cannot "
    "know; reuse one pooled client at least"
)


class HttpRequestInLoop(Rule):
    """## What it does
    Flags an HTTP request sent inside a loop or comprehension: a `requests`, `httpx`,
    `urllib.request` (`urlopen`, `urlretrieve`) or `aiohttp.request` function, or a
    request method (`get`, `post`, …, `request`, `stream`, `send`) of a
    `requests.Session`, `httpx.Client` / `AsyncClient` or `aiohttp.ClientSession` that
    the rule can trace (`with … as s`, `s = …` in the scope or module, `self.s = …`).
    A function called through a local alias (`post = requests.post`) counts too.

    A module-level function (`requests.get`, `urlopen`) also opens a new connection on
    every call: the message says so, and ECO303 (no-connection-reuse), which is the same
    problem then, does not report the call again.

    Nothing is reported when every loop around the request is bounded (a loop over a
    few constants, `range(3)`): a few requests, nothing worth batching. When the URL is
    the loop's item or read from it (`for url in urls`, `hook.url`), each iteration may
    call another server, and batching is possible only if they share one with a batch
    endpoint: the finding is graded `low` and says so; likewise inside an `async for`,
    whose items may arrive one at a time (a stream, a queue).

    Not reported either: a request that every iteration sends unchanged (it reads no name
    the loop binds, nor what a `while` test checks): a retry, a poll or a reconnect loop,
    which no batch endpoint replaces; and a request with `timeout=None`, a long poll or a
    stream that waits for the next event on purpose.

    ## Why opt-in
    Judged on the real-application corpus (`bench/precision.md`): 1 of 3 shown findings
    was worth a change, 1 of 5 with the earlier rounds. Most loops sent one request per
    configured webhook, page of a listing or hop of a redirect chain: requests to
    different servers, or each one needing the answer to the one before, with no batch
    endpoint to call instead. A missing timeout in such a loop is still reported by
    ECO301. Enable it (`extend-select = ["ECO302"]`) to review loops over your own data
    that call one API.

    ## Why is this wasteful?
    Each iteration pays a network round trip, headers, serialisation and the server's
    per-request work (routing, authentication, a query). N small requests cost far more,
    on both ends, than one request for N items.

    ## Example
    ```python
    for user_id in ids:
        users.append(session.get(f"{API}/users/{user_id}", timeout=5).json())
    ```

    Use instead:
    ```python
    users = session.get(f"{API}/users", params={"ids": ",".join(ids)}, timeout=5).json()
    ```

    ## Evidence
    `bench/rules/eco302_http_request_in_loop.py` on a 2-core x86-64 VM (CPython 3.11,
    median of 7 paired runs, a local `http.server`, both forms on one keep-alive
    connection): n one-item requests vs one request for n items, 2.2× at n=10, 14× at
    n=100, 64× at n=1,000, 63× at n=10⁴ (an earlier run: 3.4×, 17×, 55×, 67×).

    ## References
    - greenlint GL019 (HTTP call in a loop); creedengo GCI72 (queries in loops, by analogy)
    """

    code = "ECO302"
    name = "http-request-in-loop"
    impact = "high"
    opt_in = True
    message = (
        "`{call}` sends one HTTP request per iteration; use a batch endpoint, bigger pages "
        "or bounded concurrency on a pooled client"
    )
    VALID = [
        Valid("""
            import requests

            users = requests.get(API, timeout=5).json()
            """),
        Valid(
            """
            import requests

            for url in urls:
                def fetch():
                    return requests.get(url, timeout=5)
                callbacks.append(fetch)
            """
        ),
        Valid("""
            for key in keys:
                print(cache.get(key))
            """),
        Valid(
            """
            import requests

            for item in requests.get(API, timeout=5).json():
                print(item)
            """
        ),
        Valid("""
            def sync(session, urls):
                for url in urls:
                    session.get(url)
            """),
        Valid(
            """
            import requests

            for name in ("users", "groups"):
                requests.get(f"{API}/{name}", timeout=5)
            """
        ),
        Valid(
            """
            import time

            import httpx
            from requests import post

            def send(url, payload, retries):
                for attempt in range(retries):
                    try:
                        return post(url, json=payload, timeout=5)
                    except OSError:
                        time.sleep(2**attempt)

            class Feed:
                async def listen(self):
                    async with httpx.AsyncClient() as client:
                        while self.running:
                            async with client.stream("GET", self.url, timeout=None) as r:
                                async for line in r.aiter_lines():
                                    self.handle(line)

                async def invoices(self):
                    async with httpx.AsyncClient() as client:
                        while True:
                            url = f"{self.url}/invoices/wait/{self.last_index}"
                            async with client.stream("GET", url, timeout=None) as r:
                                async for line in r.aiter_lines():
                                    self.last_index += 1
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import requests
            from urllib.parse import urljoin

            def follow(url, max_redirects=5):
                session = requests.Session()
                for _ in range(max_redirects + 1):
                    response = session.get(url, allow_redirects=False, timeout=10)
                    if not response.is_redirect:
                        return response
                    url = urljoin(response.url, response.headers["location"])
            """,
            line=7,
            confidence="low",
            message="`.get()` sends one HTTP request per iteration, each to a URL the previous "
            "response gives (a redirect chain, a next-page link): nothing to batch; if these "
            "are pages, ask for bigger ones",
        ),
        Invalid(
            """
            import requests

            for user_id in ids:
                r = requests.get(f'{API}/users/{user_id}', timeout=5)
            """,
            line=4,
        ),
        Invalid(
            """
            import httpx

            with httpx.Client(timeout=5) as client:
                pages = [client.get(f'{API}/items/{i}') for i in ids]
            """,
            line=4,
        ),
        Invalid(
            """
            import aiohttp

            async def crawl(names):
                async with aiohttp.ClientSession() as session:
                    for name in names:
                        async with session.get(API + name) as resp:
                            print(await resp.text())
            """,
            line=6,
        ),
        Invalid(
            """
            import requests

            post = requests.post

            def notify(hooks, event):
                with requests.Session() as session:
                    for hook in hooks:
                        session.post(hook.url, json=event, timeout=15)
                for url in MIRRORS:
                    post(url, json=event, timeout=15)
            """,
            line=8,
            count=2,
            confidence="low",
        ),
        Invalid(
            """
            import httpx

            async def on_events(source):
                async with httpx.AsyncClient() as client:
                    async for event in source:
                        await client.post(f"{API}/events/{event.id}", json=event.data)
            """,
            line=6,
            confidence="low",
        ),
        Invalid(
            """
            import requests

            def all_pages(url):
                while url:
                    page = requests.get(url, timeout=5).json()
                    url = page["next"]
            """,
            line=5,
        ),
        Invalid(
            """
            from urllib.request import urlopen as get_url

            while queue:
                body = get_url(queue.pop(), timeout=3).read()
            """,
            line=4,
        ),
        Invalid(
            """
            import requests

            class Api:
                def __init__(self):
                    self.session = requests.Session()

                def fetch_all(self, ids):
                    return [self.session.get(f'/items/{i}', timeout=5) for i in ids]
            """,
            line=8,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        self._aliases = Aliases()

    def visit_Assign(self, node: cst.Assign) -> None:
        self._aliases.record(self, node)

    def visit_Call(self, node: cst.Call) -> None:
        name = self._aliases.called_function(self, node)
        func = node.func
        receiver: cst.BaseExpression | None = None  # what a request method is called on
        if name in _REQUEST_FUNCTIONS:
            call, method = f"{name}()", name.rsplit(".", 1)[-1]
        elif isinstance(func, cst.Attribute) and func.attr.value in CLIENT_METHODS:
            call, method = f".{func.attr.value}()", func.attr.value
            receiver = func.value
        else:
            return
        if self.enclosing_loop(node) is None:
            return
        if receiver is not None and not is_client(self, node, receiver):
            return
        if _waits_for_events(node):
            return
        loop = self._varying_loop(node)
        if loop is None or loop_is_bounded(self, loop):
            return  # a retry, poll or reconnect loop; or a few constants: nothing to batch
        url = _url(node, method)
        if _url_from_item(url, loop):
            self.report(node, _ITEM_URL_MESSAGE.format(call=call), confidence="low")
        elif self._url_from_response(node, url, loop):
            self.report(node, _CHAINED_MESSAGE.format(call=call), confidence="low")
        elif isinstance(loop, cst.For) and loop.asynchronous is not None:
            self.report(node, _STREAM_MESSAGE.format(call=call), confidence="low")
        elif name in ONE_SHOT_FUNCTIONS:
            self.report(node, _ONE_SHOT_MESSAGE.format(call=call))
        else:
            self.report(node, call=call)

    def _url_from_response(
        self, call: cst.Call, url: cst.BaseExpression | None, loop: cst.CSTNode
    ) -> bool:
        """Whether the loop rebinds the URL name from the response of ``call`` (``resp =
        session.get(url)`` then ``url = resp.headers["location"]``): each request waits
        for the one before it, as in a redirect chain or a next-page link."""
        statement = self.parent_of(call)
        if not isinstance(url, cst.Name) or not isinstance(statement, cst.Assign):
            return False
        responses = {name for t in statement.targets for name in target_names(t.target)}
        for assign in find_all(loop, cst.Assign):
            assert isinstance(assign, cst.Assign)
            binds_url = any(url.value in target_names(t.target) for t in assign.targets)
            if binds_url and names_read(assign.value) & responses:
                return True
        return False

    def _varying_loop(self, call: cst.Call) -> cst.CSTNode | None:
        """The innermost loop around ``call`` that changes what it sends: one that binds
        a name the call reads (its item, a page cursor), or a ``while`` whose test reads
        one (``while queue: get(queue.pop())``). ``None`` when every iteration sends the
        same request: a retry, a poll or a reconnect loop, which no batch endpoint
        replaces (ECO602 judges a poll's interval)."""
        read = names_read(call)
        for loop in enclosing_loops(call, self.ancestors(call)):
            if read & bound_names(self, loop):
                return loop
            if isinstance(loop, cst.While) and _dotted_reads(loop.test) & _dotted_reads(call):
                return loop
        return None


def _waits_for_events(call: cst.Call) -> bool:
    """``timeout=None``: a long poll or a stream (server-sent events), which waits for
    the next event on purpose; one such request at a time is the design, not a batch
    missed."""
    return keyword_is(call, "timeout", "None")


def _dotted_reads(node: cst.CSTNode) -> set[str]:
    """The names and attribute chains read in ``node`` (``queue``, ``self.queue``), but
    not a bare ``self`` / ``cls``: `while self.running:` and `self.session.get(...)`
    share only ``self``, which does not make the request vary."""
    found = {dotted_name(n) for n in (node, *find_all(node, (cst.Name, cst.Attribute)))}
    return {name for name in found if name is not None} - {"self", "cls"}


def _url(call: cst.Call, method: str) -> cst.BaseExpression | None:
    """The URL argument of a request call: ``url=``, else the first positional (the
    second for ``request(method, url)``)."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "url":
            return arg.value
    positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
    index = 1 if method in _METHOD_FIRST else 0
    return positional[index] if len(positional) > index else None


def _url_from_item(url: cst.BaseExpression | None, loop: cst.CSTNode) -> bool:
    """Whether ``url`` is the loop's item, or read from it (``hook.url``, ``row["url"]``):
    each iteration may then call a different server."""
    while isinstance(url, (cst.Attribute, cst.Subscript)):
        url = url.value
    if not isinstance(url, cst.Name):
        return False
    if isinstance(loop, COMPREHENSIONS):
        loop = loop.for_in
    if not isinstance(loop, (cst.For, cst.CompFor)):
        return False
    return url.value in target_names(loop.target)
