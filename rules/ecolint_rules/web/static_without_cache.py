from __future__ import annotations

import re

import libcst as cst

from ecolint import Invalid, Rule, Valid, find_all
from ecolint_rules.web._web import STATIC_SENDERS, is_zero, last_name, string_value

_SETTINGS = frozenset({"SEND_FILE_MAX_AGE_DEFAULT", "WHITENOISE_MAX_AGE"})
_FILE_SENDERS = frozenset({"send_file", "send_from_directory"})
_AGE_KEYWORDS = frozenset({"max_age", "cache_timeout"})
# `no-cache` is not here: it means "revalidate", answered by a 304 without a body.
_NO_CACHE = re.compile(r"(?:\bno-store\b|\bmax-age\s*=\s*0\b)", re.IGNORECASE)
_HEADER_SETTERS = frozenset({"add_header", "set_header", "setdefault", "__setitem__", "add"})
# A function whose name says it serves files or assets.
_STATIC_NAME = re.compile(
    r"(?:^|_)(?:static|assets?|media|images?|img|icons?|favicon|css|js|scripts?|fonts?"
    r"|downloads?|files?)(?:_|$)",
    re.IGNORECASE,
)
_EVERY_RESPONSE_HOOKS = frozenset({"after_request", "after_app_request", "middleware"})


class StaticWithoutCache(Rule):
    """## What it does
    Flags settings and responses that stop browsers from caching static files:
    - `SEND_FILE_MAX_AGE_DEFAULT = 0` and `WHITENOISE_MAX_AGE = 0` (a module-level
      setting, an `app.config[...]` item or a `config.update(...)` keyword; `0` or
      `timedelta(0)`);
    - `send_file(...)` / `send_from_directory(...)` with `max_age=0` (or Flask's older
      `cache_timeout=0`);
    - a `Cache-Control` header set to a literal containing `no-store` or `max-age=0`
      (`resp.headers["Cache-Control"] = …`, Django's `resp["Cache-Control"]`, a
      `{"Cache-Control": …}` headers dict, `add_header(...)`), when it applies to static
      responses: in an `after_request` hook or middleware (every response, static files
      included), or in a function that sends files or is named for them (`static`,
      `asset`, `image`, `download`, …). `no-store` on an API or a page holding personal
      data is a legitimate choice and is not reported. `no-cache` alone is not reported
      either: it means "revalidate before use", and with an `ETag` or `Last-Modified`
      the answer is a 304 without a body (the right header for `index.html` or a service
      worker, which must not go stale); see the Evidence below.

    ## Why opt-in
    Judged on the real-application corpus (`bench/precision.md`): 0 of 8 findings were
    worth a change. Every `no-store` sat on a file the application rewrites (a screenshot
    refreshed at each check, a generated CSV sent as an attachment), on a redirect, or
    repeated Werkzeug's own revalidation default: deliberate, not a forgotten cache
    header. Enable it (`extend-select = ["ECO802"]`) to review the headers of truly
    static assets.

    ## Why is this wasteful?
    Scripts, style sheets, fonts and images rarely change, yet without a cache lifetime
    every page view downloads them again: more requests, bytes, server work and radio
    time on mobile devices, for the same content. (`no-cache` costs a request per view
    but almost no bytes: the server answers 304 when nothing changed.)

    ## Example
    ```python
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 0
    ```

    Use instead:
    ```python
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 31_536_000  # with hashed file names
    ```

    With Django, `ManifestStaticFilesStorage` (or WhiteNoise's
    `CompressedManifestStaticFilesStorage`) puts a content hash in each file name, so a
    year-long `max-age` is safe.

    ## Evidence
    `bench/rules/eco802_static_without_cache.py` on a 2-core x86-64 VM (CPython 3.11,
    shared with other jobs; one run): the 15 static files of a Rust documentation page
    (CSS, JavaScript and 4 web fonts, 820 KiB) served from a local server on 127.0.0.1
    to a client that caches like a browser, over V page views. `no-store`: 150 / 1,500
    / 15,000 requests and 8.4 / 84 / 842 MB received for V = 10 / 100 / 1,000, 2.5 s
    of client and 1.27 s of server CPU at V=1,000; `no-cache` (revalidated with ETags,
    304 answers): the same requests and CPU, but 0.86 / 1.1 / 3.2 MB; `max-age` of a
    year: 15 requests and 0.84 MB whatever V, 8 ms of client CPU. The waste grows with
    the number of views. A real browser adds the parsing of each re-downloaded file;
    this client does not.

    Summary: 1,000 views of a page's 820 KiB of assets: `no-store` 842 MB and 15,000
    requests, `no-cache` 3.2 MB and 15,000 requests, a year's `max-age` 0.84 MB and 15
    requests (local server, 2 cores).

    ## References
    - greenlint GL027 (its Express analogue)
    - MDN: HTTP caching, `Cache-Control`; Django: `ManifestStaticFilesStorage`
    """

    code = "ECO802"
    name = "static-without-cache"
    message = "{what} makes every page view download static files again; {alternative}"
    impact = "high"
    opt_in = True
    VALID = [
        Valid("""
            SEND_FILE_MAX_AGE_DEFAULT = 31_536_000
            WHITENOISE_MAX_AGE = 3600
            """),
        Valid("""
            from flask import send_file

            def report():
                return send_file('r.pdf')
            """),
        Valid(
            """
            def account(request):
                response = render(request, 'account.html')
                response['Cache-Control'] = 'no-store'
                return response
            """
        ),
        Valid(
            """
            def static_asset(resp):
                resp.headers['Cache-Control'] = 'public, max-age=31536000, immutable'
            """
        ),
        Valid("""
            MAX_AGE = 0
            cache_timeout = 0
            """),
        Valid("""
            def profile(request, resp):
                resp['Cache-Control'] = 'no-store'
            """),
        Valid(
            """
            from aiohttp import web

            async def serve_static(file_path, request):
                headers = {"Cache-Control": "no-cache"}
                return web.FileResponse(file_path, headers=headers)
            """
        ),
    ]
    INVALID = [
        Invalid("SEND_FILE_MAX_AGE_DEFAULT = 0\n", line=1),
        Invalid(
            """
            from flask import Flask

            app = Flask(__name__)
            app.config['SEND_FILE_MAX_AGE_DEFAULT'] = 0
            app.config.update(SEND_FILE_MAX_AGE_DEFAULT=0)
            """,
            line=4,
            count=2,
        ),
        Invalid(
            """
            from flask import send_from_directory

            def assets(name):
                return send_from_directory('assets', name, max_age=0)
            """,
            line=4,
        ),
        Invalid(
            """
            @app.after_request
            def no_cache(response):
                response.headers['Cache-Control'] = 'no-cache, no-store, must-revalidate'
                return response
            """,
            line=3,
        ),
        Invalid(
            """
            from django.http import FileResponse

            def download(request, path):
                return FileResponse(open(path, 'rb'), headers={'Cache-Control': 'max-age=0'})
            """,
            line=4,
        ),
    ]

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            key = _setting_name(target.target)
            if key in _SETTINGS and is_zero(node.value):
                self._report_setting(node, key)
            elif key is not None and key.lower() == "cache-control":
                self._check_header(node, node.value)

    def visit_Call(self, node: cst.Call) -> None:
        name = last_name(node)
        if name in _FILE_SENDERS:
            for arg in node.args:
                keyword = arg.keyword.value if arg.keyword is not None else None
                if keyword in _AGE_KEYWORDS and is_zero(arg.value):
                    self.report(
                        arg,
                        what=f"`{name}(..., {keyword}=0)`",
                        alternative="let the configured max-age apply",
                    )
        elif name == "update":
            for arg in node.args:
                keyword = arg.keyword.value if arg.keyword is not None else None
                if keyword in _SETTINGS and is_zero(arg.value):
                    self._report_setting(arg, keyword)
        elif name in _HEADER_SETTERS and len(node.args) >= 2:
            key = string_value(node.args[0].value)
            if key is not None and key.lower() == "cache-control":
                self._check_header(node, node.args[1].value)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        key = string_value(node.key)
        if key is not None and key.lower() == "cache-control":
            self._check_header(node, node.value)

    def _report_setting(self, node: cst.CSTNode, key: str) -> None:
        self.report(
            node,
            what=f"`{key} = 0`",
            alternative="set a long max-age and use hashed file names",
        )

    def _check_header(self, node: cst.CSTNode, value: cst.BaseExpression) -> None:
        text = string_value(value)
        if text is None or not _NO_CACHE.search(text):
            return
        if self._serves_static(node):
            self.report(
                node,
                what=f"`Cache-Control: {text}`",
                alternative="give static files a long max-age (hashed names) instead",
            )

    def _serves_static(self, node: cst.CSTNode) -> bool:
        function = self.enclosing_function(node)
        if not isinstance(function, cst.FunctionDef):
            return False
        if any(last_name(d.decorator) in _EVERY_RESPONSE_HOOKS for d in function.decorators):
            return True
        if _STATIC_NAME.search(function.name.value):
            return True
        return any(last_name(call) in STATIC_SENDERS for call in find_all(function, cst.Call))


def _setting_name(target: cst.BaseExpression) -> str | None:
    """``NAME`` for ``NAME = …``; the key for ``x[...] = …`` with a string key."""
    if isinstance(target, cst.Name):
        return target.value
    if isinstance(target, cst.Subscript) and len(target.slice) == 1:
        index = target.slice[0].slice
        if isinstance(index, cst.Index):
            return string_value(index.value)
    return None
