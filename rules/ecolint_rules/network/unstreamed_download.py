from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, simple_assignments
from ecolint_rules.network._http import (
    CLIENT_METHODS,
    HTTPX_FUNCTIONS,
    REQUESTS_FUNCTIONS,
    is_client,
)

_DOWNLOADS = (REQUESTS_FUNCTIONS | HTTPX_FUNCTIONS) - {"httpx.stream"}
_OPEN_FUNCTIONS = frozenset({"builtins.open", "io.open"})


class UnstreamedDownload(Rule):
    """## What it does
    Flags `<f>.write(<resp>.content)` where `f` is a file opened for binary writing
    (`open(p, "wb")`, also `"ab"`, `"xb"`, `"w+b"`; as `with … as f` or `f = open(…)` in the
    scope) and `resp` is a response of `requests` or `httpx` (`requests.get(...)`, a
    `requests.Session` / `httpx.Client` method, as the call itself, `with … as resp`, or
    `resp = …` in the scope).

    ## Why opt-in
    Judged on the real-application corpus (`bench/precision.md`): 0 of 5 shown findings
    were worth a change. The downloads were small by nature (a model file of a few MB
    fetched once into a cache, an icon, a release note) or ran once at installation: the
    memory of a whole body matters for big files only, which the rule cannot see. Enable
    it (`extend-select = ["ECO304"]`) to review code that downloads archives or media.

    ## Why is this wasteful?
    `.content` reads the whole response body into one `bytes` object before anything is
    written: memory grows with the download (a 2 GB file needs 2 GB of RAM), and nothing
    reaches the disk until the last byte has arrived. Streaming keeps one chunk in memory.

    ## Example
    ```python
    resp = requests.get(url, timeout=30)
    with open(path, "wb") as f:
        f.write(resp.content)
    ```

    Use instead:
    ```python
    with requests.get(url, stream=True, timeout=30) as resp, open(path, "wb") as f:
        for chunk in resp.iter_content(chunk_size=1 << 16):
            f.write(chunk)
    ```

    ## Evidence
    `bench/rules/eco304_unstreamed_download.py` on a 2-core x86-64 VM (CPython 3.11,
    requests, a local HTTP server on 127.0.0.1; two runs, 7 paired runs each, shared and
    loaded machine): downloading n kB to a temporary file with `.content` vs
    `iter_content(64 kB)`. Peak memory (tracemalloc, the same in both runs): 216 kB vs
    153 kB at 100 kB, 20.6 MB vs 155 kB at 10 MB (133×), 206 MB vs 155 kB at 100 MB
    (1,333×); the streamed form's memory stays flat. Wall time: 5.4× / 5.0× at 100 kB,
    0.93× / 0.94× at 10 MB, 4.9× / 2.0× at 100 MB (run 1 / run 2): not consistent across
    sizes, so the saving to rely on is memory.

    Summary: peak memory 1.4× / 133× / 1,333× at 100 kB / 10 MB / 100 MB; time
    inconsistent (0.9–5.4×).

    ## References
    - requests docs, "Raw Response Content" and "Body Content Workflow" (`stream=True`)
    - httpx docs, "Streaming Responses"
    """

    code = "ECO304"
    name = "unstreamed-download"
    impact = "medium"
    opt_in = True
    message = "`.write({resp}.content)` holds the whole download in memory; stream it in chunks"
    VALID = [
        Valid(
            """
            import requests

            with requests.get(url, stream=True, timeout=9) as r, open(p, 'wb') as f:
                for chunk in r.iter_content(65536):
                    f.write(chunk)
            """
        ),
        Valid(
            """
            import requests

            r = requests.get(url, timeout=9)
            with open(p, 'w') as f:
                f.write(r.text)
            """
        ),
        Valid("""
            with open(p, 'wb') as f:
                f.write(message.content)
            """),
        Valid("""
            import requests

            r = requests.get(url, timeout=9)
            buffer.write(r.content)
            """),
    ]
    INVALID = [
        Invalid(
            """
            import requests

            resp = requests.get(url, timeout=30)
            with open(path, 'wb') as f:
                f.write(resp.content)
            """,
            line=5,
        ),
        Invalid(
            """
            import httpx

            def fetch(url, path):
                out = open(path, mode='wb')
                out.write(httpx.get(url).content)
            """,
            line=5,
        ),
        Invalid(
            """
            import requests

            session = requests.Session()

            def save(url, path):
                with session.get(url, timeout=5) as r, open(path, 'xb') as fh:
                    fh.write(r.content)
            """,
            line=7,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "write"):
            return
        if len(node.args) != 1 or node.args[0].keyword is not None:
            return
        data = node.args[0].value
        if not (isinstance(data, cst.Attribute) and data.attr.value == "content"):
            return
        if not self._is_response(node, data.value) or not self._is_binary_file(node, func.value):
            return
        resp = data.value
        self.report(node, resp=resp.value if isinstance(resp, cst.Name) else "…")

    def _is_response(self, node: cst.CSTNode, value: cst.BaseExpression) -> bool:
        return any(self._is_request(node, v) for v in self._values(node, value))

    def _is_request(self, node: cst.CSTNode, value: cst.BaseExpression) -> bool:
        if not isinstance(value, cst.Call):
            return False
        if self.qualified_name(value) in _DOWNLOADS:
            return True
        func = value.func
        return (
            isinstance(func, cst.Attribute)
            and func.attr.value in CLIENT_METHODS
            and is_client(self, node, func.value)
        )

    def _is_binary_file(self, node: cst.CSTNode, value: cst.BaseExpression) -> bool:
        return any(self._opens_binary_write(v) for v in self._values(node, value))

    def _opens_binary_write(self, value: cst.BaseExpression) -> bool:
        if not (isinstance(value, cst.Call) and self.qualified_name(value) in _OPEN_FUNCTIONS):
            return False
        mode = next((a.value for a in value.args if a.keyword and a.keyword.value == "mode"), None)
        positional = [a for a in value.args if a.keyword is None]
        if mode is None and len(positional) >= 2:
            mode = positional[1].value
        if not isinstance(mode, cst.SimpleString):
            return False
        text = mode.evaluated_value
        return isinstance(text, str) and "b" in text and any(c in text for c in "wax+")

    def _values(self, node: cst.CSTNode, value: cst.BaseExpression) -> list[cst.BaseExpression]:
        """What ``value`` stands for: itself if a call, the ``with … as`` item that binds
        it around ``node``, or its plain assignments in the scope."""
        if isinstance(value, cst.Call):
            return [value]
        if not isinstance(value, cst.Name):
            return []
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, cst.With):
                for item in ancestor.items:
                    target = item.asname.name if item.asname else None
                    if isinstance(target, cst.Name) and target.value == value.value:
                        return [item.item]
        return simple_assignments(self.enclosing_scope(node), value.value)
