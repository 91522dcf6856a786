from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid
from ecolint.lint.bounds import repeats_boundedly
from ecolint_rules.network._http import CLIENT_CLASSES


class NoConnectionReuse(Rule):
    """## What it does
    Flags a `requests.Session()`, `httpx.Client()` / `AsyncClient()` or
    `aiohttp.ClientSession()` constructed inside a loop or comprehension body.

    A module-level request function in a loop (`requests.get/post/…()`, `httpx.get()`,
    `urllib.request.urlopen()`), which opens a connection of its own on every call, is
    the same waste; it is reported once, by ECO302 (http-request-in-loop), whose message
    names the connection cost and the pooled client, rather than twice on one call.
    A loop over a few constants (`for proxy in ("socks5://a", "socks5://b")`) makes a
    few clients, not worth a finding.

    ## Why is this wasteful?
    Every new connection costs a DNS lookup, a TCP handshake and, for HTTPS, a TLS
    handshake (public-key crypto on both ends) before the first byte of the request.
    A client created once outside the loop keeps its connections alive in a pool and
    reuses them.

    ## Example
    ```python
    import requests

    for url in urls:
        with requests.Session() as session:
            pages.append(session.get(url, timeout=5).text)
    ```

    Use instead:
    ```python
    import requests

    with requests.Session() as session:
        for url in urls:
            pages.append(session.get(url, timeout=5).text)
    ```

    ## Evidence
    `bench/rules/eco303_no_connection_reuse.py` on a 2-core x86-64 VM (CPython 3.11,
    median of 7 paired runs, a local `http.server`, no TLS): `urlopen()` per request vs
    one keep-alive `http.client.HTTPConnection`, 6.4× at n=10, 11× at n=100, 11× at
    n=1,000 requests; a new `HTTPConnection` per request (the connection cost alone),
    4.6×, 6.8×, 9.2×. The machine was shared and the figures moved between runs (2.4× to
    11× for `urlopen`, 2.5× to 9.2× for `HTTPConnection`, over six runs). The saving is
    per request; over HTTPS each new connection also pays a TLS handshake.

    ## References
    - requests documentation, "Session Objects" (connection pooling)
    """

    code = "ECO303"
    name = "no-connection-reuse"
    impact = "high"
    message = "`{client}()` in a loop opens new connections each time; create one before the loop"
    VALID = [
        Valid(
            """
            import httpx

            for proxy in ("socks5://localhost/", "socks5h://localhost/"):
                client = httpx.Client(proxy=proxy)
            """
        ),
        Valid(
            """
            import requests

            with requests.Session() as s:
                for url in urls:
                    s.get(url, timeout=5)
            """
        ),
        Valid("""
            import requests

            resp = requests.get(API, timeout=5)
            """),
        Valid(
            """
            import httpx

            for url in urls:
                def fetch():
                    return httpx.get(url)
                jobs.append(fetch)
            """
        ),
        Valid(
            """
            import aiohttp

            async def main(urls):
                async with aiohttp.ClientSession() as session:
                    for url in urls:
                        async with session.get(url) as resp:
                            await resp.read()
            """
        ),
        Valid("""
            import requests

            for url in urls:
                session.get(url)
            """),
        Valid(
            """
            import requests
            from urllib.request import urlopen

            for url in urls:
                pages.append(requests.get(url, timeout=5).text)
            bodies = [urlopen(u, timeout=5).read() for u in urls]
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import requests as rq

            for url in urls:
                pages.append(rq.Session().get(url, timeout=5).text)
            """,
            line=4,
        ),
        Invalid(
            """
            import aiohttp

            async def main(urls):
                for url in urls:
                    async with aiohttp.ClientSession() as session:
                        async with session.get(url) as resp:
                            await resp.read()
            """,
            line=5,
        ),
        Invalid(
            """
            from httpx import Client

            while pending:
                with Client(timeout=5) as client:
                    client.post(API, json=pending.pop())
            """,
            line=4,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        name = self.qualified_name(node)
        if name in CLIENT_CLASSES and self.in_loop(node) and not repeats_boundedly(self, node):
            self.report(node, client=name)
