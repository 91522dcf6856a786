from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, dotted_name, find_all, simple_assignments
from ecolint.lint.analysis import assignments
from ecolint_rules._syntax import open_mode
from ecolint_rules.network._http import (
    HTTPX_FUNCTIONS,
    REQUESTS_FUNCTIONS,
    URLOPEN,
    VERBS,
    Aliases,
)

# No timeout unless one is passed: requests, urllib and urllib3 wait forever by default.
_NO_DEFAULT = REQUESTS_FUNCTIONS | {URLOPEN, "urllib3.request"}
# A default timeout that only an explicit `timeout=None` removes (httpx: 5 s).
_DEFAULT_BOUNDED = HTTPX_FUNCTIONS | {"httpx.Client", "httpx.AsyncClient"}
_URLOPEN_TIMEOUT_POSITION = 2  # urlopen(url, data=None, timeout=...)
# A server on the local host (in a test, the one the test itself started).
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
    hang is seen by whoever started it; it is graded `low`. So is a call in a function that
    checks whether a file exists and writes that same file (`os.path.isfile(target)` or
    `target.exists()`, and `open(target, "wb")` or `target.write_bytes(...)`): a download
    into a cache (a model checkpoint, a dataset) runs once per machine. And so is a call in
    a function whose result is cached or memoised (a decorator named like `cache` or
    `memoize`: `@lru_cache`, `@memoize_redis(30)`), in a connection test (a function
    named `test_connection` or ending in `test`, outside test files: run by hand while
    configuring a service), in an `except` handler (a retry after an error), or to a URL
    written out to GitHub's releases API or PyPI (`https://api.github.com/repos/...`: a
    release check, daily or on an admin page). A timeout turned
    off explicitly (`timeout=None`, an unbounded timeout object) is a decision, right for
    a stream, a server-sent-events feed or a long poll: that finding is graded `low` and
    its message says so.

    The function may be called through a local alias (`post = requests.post`, in the
    function or the module, then `post(url)`). Calls that pass `**kwargs` are left alone,
    since the timeout may be among them. An `aiohttp.ClientSession` (or its request
    methods) without a timeout is not reported: aiohttp bounds every request to 5 minutes
    (`ClientTimeout(total=300, sock_connect=30)`) unless a timeout object says otherwise,
    and a stalled request holds a coroutine, not a thread. A `requests.Session` method is
    reported only when the function itself creates the session (`requests.Session()`,
    assigned or in a `with`) and mounts no adapter on it: a session made elsewhere may
    carry a timeout through its adapter. Nor is a
    request whose URL is a literal (or an f-string starting with one) on the local host:
    `http://localhost`, `http://127.0.0.1`, `http://0.0.0.0` or `http://[::1]` (in a test,
    the server the test itself started). In a test file, only a request whose URL is
    written out with a remote host (`https://huggingface.co/...`) is reported: a URL from
    a variable or a fixture is nearly always the suite's own server or container.

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
    `bench/rules/eco301_http_without_timeout.py` on a 2-core x86-64 VM (CPython 3.11,
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
        Valid(
            """
            import urllib3

            def test_upload_is_refused(base_url):
                assert urllib3.request("POST", base_url + "/api/files").status == 403
            """,
            path="tests/test_upload.py",
        ),
        Valid(
            """
            import requests

            from flexget.utils.requests import Session as RequestSession

            requests = RequestSession(max_retries=3)

            def notify(message):
                requests.post(PUSHOVER_URL, data=message)
            """
        ),
        Valid(
            """
            import requests

            def parse_download_page(url, requests):
                return requests.get(url, headers=HEADERS)
            """
        ),
        Valid(
            """
            import requests
            from requests.adapters import HTTPAdapter

            def fetch(url):
                session = requests.Session()
                session.mount("https://", TimeoutAdapter(timeout=10))
                return session.get(url)
            """
        ),
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

            def fetch(url, params):
                try:
                    return requests.get(url, params=params, timeout=30)
                except requests.exceptions.SSLError:
                    return requests.get(url, params=params, verify=False)
            """,
            line=7,
            confidence="low",
        ),
        Invalid(
            """
            import requests

            def latest_commit(branch, token):
                url = "https://api.github.com/repos/mylar3/mylar3/commits/%s" % branch
                return requests.get(url, verify=True, auth=token).json()
            """,
            line=5,
            confidence="low",
        ),
        Invalid(
            """
            import requests

            class WebInterface:
                def SABtest(self, host, apikey):
                    return requests.get(host + "/api", params={"mode": "version"}).ok
            """,
            line=5,
            confidence="low",
        ),
        Invalid(
            """
            import requests

            def test_the_model_card_downloads():
                assert requests.get("https://huggingface.co/timm/resnet50/raw/main/README.md").ok
            """,
            line=4,
            path="tests/test_hub.py",
        ),
        Invalid(
            """
            try:
                import requests
            except ImportError:
                requests = None

            def fetch(url):
                return requests.get(url)
            """,
            line=7,
        ),
        Invalid(
            """
            import requests
            from indico.core.cache import memoize_redis

            @memoize_redis(30)
            def check_service_url(url):
                return requests.get(url + "/info", allow_redirects=False).json()
            """,
            line=6,
            confidence="low",
            message="`requests.get()` without a timeout can hang; the function's result is "
            "cached (`@memoize_redis`), so it runs once per key and period: pass `timeout=` "
            "all the same if a worker waits on it",
        ),
        Invalid(
            """
            import requests

            class Graphite(BaseQueryRunner):
                def test_connection(self):
                    requests.get(f"{self.base_url}/render", auth=self.auth)
            """,
            line=5,
            confidence="low",
        ),
        Invalid(
            """
            import os
            import requests

            def export_image(url, dirpath, filename):
                if not os.path.exists(dirpath):
                    os.makedirs(dirpath)
                r = requests.get(url, stream=True)
                with open(os.path.join(dirpath, filename), "wb") as f:
                    f.write(r.content)
            """,
            line=7,
        ),
        Invalid(
            """
            import requests

            def fetch_image(url):
                session = requests.Session()
                response = session.get(url, stream=True, allow_redirects=False)
                return response.raw
            """,
            line=5,
            message="`requests.Session.get()` without a timeout can hang and hold its worker; "
            "pass `timeout=`",
        ),
        Invalid(
            """
            import requests

            def fetch(urls):
                with requests.Session() as http:
                    return [http.post(url, json={}) for url in urls]
            """,
            line=5,
        ),
        Invalid(
            """
            import os
            import urllib.request

            def download(url, root):
                target = os.path.join(root, os.path.basename(url))
                if os.path.isfile(target):
                    return target
                with urllib.request.urlopen(url) as source, open(target, "wb") as output:
                    output.write(source.read())
                return target
            """,
            line=8,
            confidence="low",
        ),
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
        if name not in _NO_DEFAULT | _DEFAULT_BOUNDED:
            name = self._own_requests_session(node) or name
        if name is not None and _local_url(name, node):
            return  # a local server: no network to stall
        position = _URLOPEN_TIMEOUT_POSITION if name == URLOPEN else None
        timeout = _argument(node, "timeout", position)
        if (name in _NO_DEFAULT or name in _SESSION_METHODS) and timeout is None:
            if self.kind == "test" and not _names_a_remote_host(name, node):
                return  # the suite's own server (a fixture, a container), not the network
            function = self.enclosing_function(node)
            if function is None:
                self.report(node, _AT_MODULE_LEVEL.format(call=name), confidence="low")
            elif self._fills_a_file_cache(function):
                self.report(node, _CACHE_FILL.format(call=name), confidence="low")
            elif (seldom := _seldom_run(function)) is not None:
                self.report(node, seldom.format(call=name), confidence="low")
            elif self._in_error_handler(node, function):
                self.report(node, _ERROR_PATH.format(call=name), confidence="low")
            elif _release_lookup(name, node, function):
                self.report(node, _RELEASE_CHECK.format(call=name), confidence="low")
            else:
                self.report(node, call=name)
        elif name in _NO_DEFAULT | _DEFAULT_BOUNDED and timeout is not None and _is_none(timeout):
            self.report(node, _EXPLICIT_NONE.format(call=name), confidence="low")
        elif timeout is not None:
            unbounded = self._unbounded_object(node, timeout)
            if unbounded is not None:
                self.report(node, _UNBOUNDED_OBJECT.format(call=unbounded), confidence="low")

    def _own_requests_session(self, call: cst.Call) -> str | None:
        """``requests.Session.get`` when ``call`` is ``s.get(...)`` (a verb) on a
        ``requests.Session`` that the enclosing function creates (every assignment of
        ``s`` there, or the ``with`` around the call) and on which it mounts no adapter:
        nothing can then give the session a default timeout."""
        func = call.func
        if not (isinstance(func, cst.Attribute) and func.attr.value in VERBS):
            return None
        if not isinstance(func.value, cst.Name):
            return None
        function = self.enclosing_function(call)
        if not isinstance(function, cst.FunctionDef):
            return None
        session = func.value.value
        made = assignments(self, function, session) + [
            item.item
            for ancestor in self.ancestors(call)
            if isinstance(ancestor, cst.With)
            for item in ancestor.items
            if item.asname is not None and dotted_name(item.asname.name) == session
        ]
        if not made or not all(
            isinstance(v, cst.Call) and self.qualified_name(v) in _REQUESTS_SESSIONS for v in made
        ):
            return None
        mounted = any(
            isinstance(c.func, cst.Attribute)
            and c.func.attr.value == "mount"
            and dotted_name(c.func.value) == session
            for c in find_all(function, cst.Call)
        )
        return None if mounted else f"requests.Session.{func.attr.value}"

    def _in_error_handler(self, call: cst.Call, function: cst.CSTNode) -> bool:
        """Whether ``call`` runs only after an error: in an ``except`` handler of its
        function (a retry after a timeout or an SSL error)."""
        for ancestor in self.ancestors(call):
            if ancestor is function:
                return False
            if isinstance(ancestor, (cst.ExceptHandler, cst.ExceptStarHandler)):
                return True
        return False

    def _fills_a_file_cache(self, function: cst.FunctionDef | cst.Lambda) -> bool:
        """Whether ``function`` checks that a file exists and writes that same file (the
        same path expression): a download into a cache (a model checkpoint, a dataset),
        which runs once per machine. A check on another path (the folder the file goes
        to) says nothing about how often the download runs."""
        checked: set[str] = set()
        written: set[str] = set()
        code = self.module.code_for_node
        for call in find_all(function, cst.Call):
            name = self.qualified_name(call)
            func = call.func
            method = func.attr.value if isinstance(func, cst.Attribute) else None
            if name in _EXISTENCE_CHECKS and call.args:
                checked.add(code(call.args[0].value))
            elif isinstance(func, cst.Attribute) and method in ("exists", "is_file"):
                checked.add(code(func.value))
            elif isinstance(func, cst.Attribute) and method in ("write_bytes", "write_text"):
                written.add(code(func.value))
            elif name in ("builtins.open", "io.open") and _writes(call) and call.args:
                written.add(code(call.args[0].value))
        return bool(checked & written)

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
_REQUESTS_SESSIONS = frozenset(
    {"requests.Session", "requests.session", "requests.sessions.Session"}
)
_SESSION_METHODS = frozenset(f"requests.Session.{verb}" for verb in VERBS)
_EXISTENCE_CHECKS = frozenset({"os.path.exists", "os.path.isfile", "os.path.getsize"})
_ERROR_PATH = (
    "`{call}()` without a timeout can hang; it runs in an `except` handler, after an error "
    "(a retry): pass `timeout=` there too if the first call has one"
)
_RELEASE_CHECK = (
    "`{call}()` without a timeout can hang; it asks a package index or GitHub for releases, "
    "which an application does once a day or on an admin page: pass `timeout=` all the same"
)
# Where an application looks up its own new releases: a daily or on-demand check.
_RELEASE_HOSTS = ("https://api.github.com/repos/", "https://pypi.org/pypi/")
_CONNECTION_TESTS = frozenset({"test_connection", "check_connection", "verify_connection"})
_CONNECTION_TEST = (
    "`{call}()` without a timeout can hang; this connection test runs when someone "
    "configures the service, in front of them: pass `timeout=` if it also runs unattended"
)
_MEMOISED = (
    "`{call}()` without a timeout can hang; the function's result is cached "
    "(`@{decorator}`), so it runs once per key and period: pass `timeout=` all the same if "
    "a worker waits on it"
)
_CACHE_FILL = (
    "`{call}()` without a timeout can hang; it fills a file cache (the function checks "
    "whether the file exists, then writes it), so it runs once per machine, in front of "
    "whoever started it: pass `timeout=` if it also runs unattended"
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


def _url_text(name: str, call: cst.Call) -> str | None:
    """The literal start of the URL of the request ``call`` to ``name`` (a string, or
    the text an f-string starts with); ``None`` when the URL is not written there."""
    position = 1 if name.endswith(".request") else 0  # request(method, url)
    url = _argument(call, "url", position)
    if isinstance(url, cst.FormattedString):
        head = url.parts[0] if url.parts else None
        return head.value if isinstance(head, cst.FormattedStringText) else ""
    if isinstance(url, cst.SimpleString):
        return str(url.evaluated_value)
    if isinstance(url, cst.ConcatenatedString):
        return str(url.evaluated_value or "")
    return None


def _local_url(name: str, call: cst.Call) -> bool:
    """Whether the URL of the request ``call`` to ``name`` is a literal (or an f-string
    starting with one) addressed to the local host: ``http://localhost``, ``127.0.0.1``,
    ``0.0.0.0`` or ``[::1]``. Such a server is the program's own (a test's server, a
    sidecar), not a remote one that can stall behind a network."""
    text = (_url_text(name, call) or "").lower()
    return any(
        text == local or text.startswith((local + ":", local + "/")) for local in _LOCAL_URLS
    )


def _names_a_remote_host(name: str, call: cst.Call) -> bool:
    """Whether the URL is written out with a host (``https://huggingface.co/...``): in a
    test, a URL from a variable or a fixture is nearly always the suite's own server."""
    text = _url_text(name, call) or ""
    return text.lower().startswith(("http://", "https://")) and not _local_url(name, call)


def _release_lookup(name: str, call: cst.Call, function: cst.CSTNode) -> bool:
    """Whether the URL is written out to GitHub's repository API or PyPI's JSON API, in
    the call or in the one assignment of the name it passes (``url = "https://api.github
    .com/repos/%s/commits" % branch``)."""
    text = _url_text(name, call)
    if text is None:
        position = 1 if name.endswith(".request") else 0
        url = _argument(call, "url", position)
        values = simple_assignments(function, url.value) if isinstance(url, cst.Name) else []
        text = _literal_start(values[0]) if len(values) == 1 else None
    return (text or "").lower().startswith(_RELEASE_HOSTS)


def _literal_start(value: cst.BaseExpression) -> str | None:
    """The text a URL expression starts with: a string, the left of ``%`` or ``+``, the
    string ``.format()`` is called on."""
    while True:
        if isinstance(value, cst.BinaryOperation):
            value = value.left
        elif isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute):
            value = value.func.value
        elif isinstance(value, (cst.SimpleString, cst.ConcatenatedString)):
            return str(value.evaluated_value or "")
        else:
            return None


def _seldom_run(function: cst.FunctionDef | cst.Lambda) -> str | None:
    """The message for a function that runs seldom by design: its result is cached or
    memoised (``@lru_cache``, ``@memoize_redis(30)``...), so the request runs once per
    key and period; or it is a connection test (``test_connection``, ``SABtest``,
    ``newznab_test``: a name ending in "test"), run when an administrator clicks "Test"
    while configuring a service."""
    if not isinstance(function, cst.FunctionDef):
        return None
    if function.name.value in _CONNECTION_TESTS or function.name.value.lower().endswith("test"):
        return _CONNECTION_TEST
    for decorator in function.decorators:
        target = decorator.decorator
        name = dotted_name(target.func if isinstance(target, cst.Call) else target) or ""
        last = name.rpartition(".")[2].lower()
        if "cache" in last or "memoiz" in last:
            return _MEMOISED.replace("{decorator}", name)
    return None


def _writes(call: cst.Call) -> bool:
    """Whether an ``open()`` call's mode (a literal) writes the file."""
    return any(letter in (open_mode(call, 1) or "") for letter in "wxa")


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
