"""A stateful stand-in of the GitHub REST API on 127.0.0.1, for ``ecolint ci`` tests.

Every request is checked against GitHub's own OpenAPI description (``@octokit/openapi``,
installed by ``npm ci``) with openapi-core: method, path, query and body. A request the
description rejects is answered 400 and recorded in ``violations`` (the tests assert it
stays empty). State: issue comments (paginated with ``Link`` headers), check runs,
open pull requests. Failure modes on demand: a read-only token (403 on every write), one
primary rate limit (403 with ``x-ratelimit-remaining: 0`` and a reset in the future).
"""

from __future__ import annotations

import functools
import json
import math
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

SPEC = Path(__file__).resolve().parents[2] / "node_modules/@octokit/openapi/generated"
SPEC_FILE = SPEC / "api.github.com.deref.json"
COMMENT_LIMIT = 65_536


def load_validator(base_url: str) -> Any:
    """openapi-core over the dereferenced description, with the stand-in as a server
    (spec validation off: it takes 30 s and the description is GitHub's own)."""
    from openapi_core import Config, OpenAPI

    spec = json.loads(SPEC_FILE.read_text(encoding="utf-8"))
    spec["servers"] = [{"url": base_url}]
    return OpenAPI.from_dict(spec, config=Config(spec_validator_cls=None))


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    headers: dict[str, str]


@dataclass
class State:
    login: str = "github-actions[bot]"
    read_only: bool = False
    rate_limit_once_for_s: float | None = None  # the next request gets a 403 rate limit
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    check_runs: dict[int, dict[str, Any]] = field(default_factory=dict)
    pulls: list[dict[str, Any]] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    next_id: int = 1000
    rate_limited_at: float | None = None
    reset_at: float | None = None

    def writes(self) -> list[Request]:
        return [r for r in self.requests if r.method != "GET"]

    def add_comment(self, number: int, body: str, login: str) -> dict[str, Any]:
        self.next_id += 1
        comment = {"id": self.next_id, "body": body, "user": {"login": login, "type": "User"}}
        self.comments.setdefault(number, []).append(comment)
        return comment


class StandIn:
    def __init__(self, validator_factory: Any) -> None:
        self.state = State()
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.validator = validator_factory(self.url)
        # shutdown() waits for the serving loop's next poll: 0.5 s by default, per test
        serve = functools.partial(self.server.serve_forever, poll_interval=0.02)
        self.thread = threading.Thread(target=serve, daemon=True)

    def __enter__(self) -> StandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def _serve(self) -> None:
                with standin.lock:
                    status, headers, payload = standin.handle(self)
                data = b"" if payload is None else json.dumps(payload).encode()
                self.send_response(status)
                for key, value in {**headers, "Content-Type": "application/json"}.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_DELETE = _serve

        return Handler

    def handle(self, handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], Any]:
        split = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        request = Request(
            handler.command,
            split.path,
            parse_qs(split.query),
            body,
            {k.lower(): v for k, v in handler.headers.items()},
        )
        state = self.state
        state.requests.append(request)
        problem = self._validate(handler.command, handler.path, raw, request.headers)
        if problem:
            state.violations.append(f"{handler.command} {handler.path}: {problem}")
            return 400, {}, {"message": problem}
        if state.rate_limit_once_for_s is not None:
            state.rate_limited_at = time.time()
            state.reset_at = math.ceil(time.time() + state.rate_limit_once_for_s)
            state.rate_limit_once_for_s = None
            headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(state.reset_at))}
            return 403, headers, {"message": "API rate limit exceeded"}
        if handler.command != "GET" and state.read_only:
            return 403, {}, {"message": "Resource not accessible by integration"}
        return self.route(request)

    def _validate(self, method: str, path: str, raw: bytes, headers: dict[str, str]) -> str:
        from openapi_core.testing import MockRequest

        if headers.get("x-github-api-version") != "2022-11-28":
            return "missing X-GitHub-Api-Version: 2022-11-28"
        if headers.get("accept") != "application/vnd.github+json":
            return "missing Accept: application/vnd.github+json"
        split = urlsplit(path)
        query = {key: values[-1] for key, values in parse_qs(split.query).items()}
        mock = MockRequest(
            self.url,
            method.lower(),
            split.path,
            args=query,
            headers={"Content-Type": "application/json"} if raw else {},
            data=raw or None,
        )
        try:
            self.validator.validate_request(mock)
        except Exception as error:  # every openapi-core validation error
            cause = getattr(error, "__cause__", None)
            return f"{type(error).__name__}: {error} {cause or ''}"[:500]
        return ""

    def route(self, request: Request) -> tuple[int, dict[str, str], Any]:
        state = self.state
        path, method = request.path, request.method
        if path == "/user" and method == "GET":
            return 403, {}, {"message": "Resource not accessible by integration"}
        match = re.fullmatch(r"/repos/([^/]+)/([^/]+)/issues/(\d+)/comments", path)
        if match and method == "GET":
            return self._page(request, state.comments.get(int(match.group(3)), []))
        if match and method == "POST":
            if len(request.body["body"]) > COMMENT_LIMIT:
                return 422, {}, {"message": "Body is too long (maximum is 65536 characters)"}
            return (
                201,
                {},
                state.add_comment(int(match.group(3)), request.body["body"], state.login),
            )
        match = re.fullmatch(r"/repos/([^/]+)/([^/]+)/issues/comments/(\d+)", path)
        if match and method == "PATCH":
            for comments in state.comments.values():
                for comment in comments:
                    if comment["id"] == int(match.group(3)):
                        comment["body"] = request.body["body"]
                        return 200, {}, comment
            return 404, {}, {"message": "Not Found"}
        if re.fullmatch(r"/repos/([^/]+)/([^/]+)/check-runs", path) and method == "POST":
            state.next_id += 1
            run = {"id": state.next_id, **request.body}
            run["annotations"] = list(request.body.get("output", {}).get("annotations", []))
            state.check_runs[state.next_id] = run
            return 201, {}, {"id": state.next_id}
        match = re.fullmatch(r"/repos/([^/]+)/([^/]+)/check-runs/(\d+)", path)
        if match and method == "PATCH":
            run = state.check_runs[int(match.group(3))]
            run["annotations"] += request.body.get("output", {}).get("annotations", [])
            return 200, {}, {"id": run["id"]}
        if re.fullmatch(r"/repos/([^/]+)/([^/]+)/pulls", path) and method == "GET":
            head = request.query.get("head", [""])[-1]
            pulls = [p for p in state.pulls if p["head"]["label"] == head]
            return self._page(request, pulls)
        return 404, {}, {"message": f"stand-in has no route for {method} {path}"}

    def _page(self, request: Request, items: list[Any]) -> tuple[int, dict[str, str], Any]:
        per_page = int(request.query.get("per_page", ["30"])[-1])
        page = int(request.query.get("page", ["1"])[-1])
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(items):
            query = "&".join(
                f"{key}={values[-1]}" for key, values in request.query.items() if key != "page"
            )
            headers["Link"] = f'<{self.url}{request.path}?{query}&page={page + 1}>; rel="next"'
        return 200, headers, chunk
