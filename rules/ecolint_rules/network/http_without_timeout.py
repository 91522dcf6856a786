from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid
from ecolint_rules.network._http import HTTPX_FUNCTIONS, REQUESTS_FUNCTIONS, URLOPEN

_FLAGGED = REQUESTS_FUNCTIONS | HTTPX_FUNCTIONS | {"httpx.Client", URLOPEN}
_URLOPEN_TIMEOUT_POSITION = 2  # urlopen(url, data=None, timeout=...)


class HttpWithoutTimeout(Rule):
    """## What it does
    Flags `requests.get/post/…/request(...)`, `httpx.get/…/request/stream(...)`,
    `httpx.Client(...)` and `urllib.request.urlopen(...)` called without a `timeout`
    (keyword, or the third positional argument of `urlopen`), or with `timeout=None`.
    Calls that pass `**kwargs` are left alone, since the timeout may be among them.

    ## Why is this wasteful?
    Without a timeout a request to a server that stalls waits forever: the thread or
    worker, its socket and its memory stay held, and callers pile up retries. `requests`
    and `urllib` never time out by default; `httpx` defaults to 5 s, which
    `timeout=None` removes.

    ## Example
    ```python
    import requests

    resp = requests.get(url)
    ```

    Use instead:
    ```python
    import requests

    resp = requests.get(url, timeout=(3.05, 30))
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
        Valid("import requests\n\nresp = requests.get(url, timeout=10)\n"),
        Valid("from urllib.request import urlopen\n\nbody = urlopen(url, None, 5).read()\n"),
        Valid("import httpx\n\nwith httpx.Client(timeout=5.0) as client:\n    client.get(url)\n"),
        Valid(
            "import requests\n\ndef fetch(url, **options):\n"
            "    return requests.get(url, **options)\n"
        ),
        Valid("session.get(url)\n"),
        Valid("import requests\n\nsession = requests.Session()\nsession.get(url)\n"),
    ]
    INVALID = [
        Invalid("import requests\n\nresp = requests.get('https://example.org/api')\n", line=3),
        Invalid(
            "import requests as rq\n\ndef push(data):\n"
            "    return rq.request('POST', URL, json=data, timeout=None)\n",
            line=4,
        ),
        Invalid(
            "from urllib.request import urlopen as fetch\n\n"
            "with fetch('http://127.0.0.1:8000/') as resp:\n    body = resp.read()\n",
            line=3,
        ),
        Invalid(
            "import httpx\n\nclient = httpx.Client(base_url=API)\n"
            "reply = httpx.post(API, json={})\n",
            line=3,
            count=2,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        name = self.qualified_name(node)
        if name not in _FLAGGED or any(arg.star == "**" for arg in node.args):
            return
        if _has_timeout(node, positional=_URLOPEN_TIMEOUT_POSITION if name == URLOPEN else None):
            return
        self.report(node, call=name)


def _has_timeout(call: cst.Call, positional: int | None) -> bool:
    """Whether ``call`` passes a timeout other than ``None``."""
    value: cst.BaseExpression | None = None
    for index, arg in enumerate(call.args):
        by_keyword = arg.keyword is not None and arg.keyword.value == "timeout"
        by_position = arg.keyword is None and not arg.star and index == positional
        if by_keyword or by_position:
            value = arg.value
    if value is None:
        return False
    return not (isinstance(value, cst.Name) and value.value == "None")
