from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid
from ecolint_rules.network._http import CLIENT_METHODS, ONE_SHOT_FUNCTIONS, is_client

_REQUEST_FUNCTIONS = ONE_SHOT_FUNCTIONS | {"urllib.request.urlretrieve", "aiohttp.request"}


class HttpRequestInLoop(Rule):
    """## What it does
    Flags an HTTP request sent inside a loop or comprehension: a `requests`, `httpx`,
    `urllib.request` (`urlopen`, `urlretrieve`) or `aiohttp.request` function, or a
    request method (`get`, `post`, …, `request`, `stream`, `send`) of a
    `requests.Session`, `httpx.Client` / `AsyncClient` or `aiohttp.ClientSession` that
    the rule can trace (`with … as s`, `s = …` in the scope or module, `self.s = …`).

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
    `bench/rules/eco302_http_request_in_loop.py` on this 2-core machine (CPython 3.11,
    median of 7 paired runs, a local `http.server`, both forms on one keep-alive
    connection): n one-item requests vs one request for n items, 2.2× at n=10, 14× at
    n=100, 64× at n=1,000, 63× at n=10⁴ (an earlier run: 3.4×, 17×, 55×, 67×).

    ## References
    - greenlint GL019 (HTTP call in a loop); creedengo GCI72 (queries in loops, by analogy)
    """

    code = "ECO302"
    name = "http-request-in-loop"
    impact = "high"
    message = (
        "`{call}` sends one HTTP request per iteration; use a batch endpoint, bigger pages "
        "or bounded concurrency on a pooled client"
    )
    VALID = [
        Valid("import requests\n\nusers = requests.get(API, timeout=5).json()\n"),
        Valid(
            "import requests\n\nfor url in urls:\n    def fetch():\n"
            "        return requests.get(url, timeout=5)\n    callbacks.append(fetch)\n"
        ),
        Valid("for key in keys:\n    print(cache.get(key))\n"),
        Valid(
            "import requests\n\nfor item in requests.get(API, timeout=5).json():\n    print(item)\n"
        ),
        Valid("def sync(session, urls):\n    for url in urls:\n        session.get(url)\n"),
    ]
    INVALID = [
        Invalid(
            "import requests\n\nfor user_id in ids:\n"
            "    r = requests.get(f'{API}/users/{user_id}', timeout=5)\n",
            line=4,
        ),
        Invalid(
            "import httpx\n\nwith httpx.Client(timeout=5) as client:\n"
            "    pages = [client.get(u) for u in urls]\n",
            line=4,
        ),
        Invalid(
            "import aiohttp\n\nasync def crawl(urls):\n"
            "    async with aiohttp.ClientSession() as session:\n        for url in urls:\n"
            "            async with session.get(url) as resp:\n"
            "                print(await resp.text())\n",
            line=6,
        ),
        Invalid(
            "from urllib.request import urlopen as get_url\n\nwhile queue:\n"
            "    body = get_url(queue.pop(), timeout=3).read()\n",
            line=4,
        ),
        Invalid(
            "import requests\n\nclass Api:\n    def __init__(self):\n"
            "        self.session = requests.Session()\n\n    def fetch_all(self, ids):\n"
            "        return [self.session.get(f'/items/{i}', timeout=5) for i in ids]\n",
            line=8,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if not self.in_loop(node):
            return
        name = self.qualified_name(node)
        if name in _REQUEST_FUNCTIONS:
            self.report(node, call=f"{name}()")
            return
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in CLIENT_METHODS
            and is_client(self, node, func.value)
        ):
            self.report(node, call=f".{func.attr.value}()")
