"""A small GitHub REST client: the few endpoints ``ecolint ci`` needs, done carefully.

Why not a library: the standard library is enough, and it keeps ``pip install ecolint``
free of an HTTP stack. What "carefully" means (GitHub's "Best practices for using the REST
API": https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api):

- the host is ``$GITHUB_API_URL`` (GitHub Enterprise Server, tests), never hard-coded;
- every request sends ``Accept: application/vnd.github+json`` and
  ``X-GitHub-Api-Version: 2022-11-28``;
- lists follow the ``Link: <…>; rel="next"`` header as an opaque URL, 100 per page; a
  next link to another host is refused, so the token is never sent elsewhere;
- a 403 or 429 that is a rate limit is retried after ``retry-after`` seconds or at
  ``x-ratelimit-reset``; any other 403 (a read-only token) fails at once;
- writes are made one at a time (GitHub's secondary limits punish concurrent writes).
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

API_VERSION = "2022-11-28"
PER_PAGE = 100
MAX_RETRIES = 3
MAX_WAIT_S = 900.0  # a reset further away than this fails instead of stalling the job
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


class GitHubError(Exception):
    """A request failed for good; ``status`` is the HTTP status (0: no response)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]
    data: Any


class GitHubClient:
    def __init__(
        self,
        api_url: str,
        token: str,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        timeout: float = 30.0,
        max_wait_s: float = MAX_WAIT_S,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.token = token
        self.sleep = sleep
        self.clock = clock
        self.timeout = timeout
        self.max_wait_s = max_wait_s
        self.requests = 0
        self._writes = threading.Lock()
        self._host = urllib.parse.urlsplit(self.api_url).netloc

    def get(self, path: str, params: Mapping[str, str | int] | None = None) -> Any:
        return self.request("GET", path, params=params).data

    def post(self, path: str, body: Mapping[str, Any]) -> Any:
        return self.request("POST", path, body=body).data

    def patch(self, path: str, body: Mapping[str, Any]) -> Any:
        return self.request("PATCH", path, body=body).data

    def paginate(self, path: str, params: Mapping[str, str | int] | None = None) -> Iterator[Any]:
        """Every item of a list endpoint, page after page, following ``Link`` headers."""
        url: str | None = self._url(path, {**(params or {}), "per_page": PER_PAGE})
        while url is not None:
            response = self._send("GET", url, None)
            if not isinstance(response.data, list):
                raise GitHubError(response.status, f"GET {path}: expected a list")
            yield from response.data
            url = self._next(response.headers.get("link", ""))

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> Response:
        url = self._url(path, params or {})
        if method == "GET":
            return self._send(method, url, body)
        with self._writes:
            return self._send(method, url, body)

    def _url(self, path: str, params: Mapping[str, str | int]) -> str:
        query = urllib.parse.urlencode({key: str(value) for key, value in params.items()})
        return f"{self.api_url}{path}" + (f"?{query}" if query else "")

    def _next(self, link: str) -> str | None:
        match = _NEXT.search(link)
        if match is None:
            return None
        url = match.group(1)
        if urllib.parse.urlsplit(url).netloc != self._host:
            raise GitHubError(0, f"refusing a pagination link to another host: {url}")
        return url

    def _send(self, method: str, url: str, body: Mapping[str, Any] | None) -> Response:
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": "ecolint-ci",
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if data is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
        for attempt in range(MAX_RETRIES + 1):
            request = urllib.request.Request(url, data=data, headers=headers, method=method)
            self.requests += 1
            try:
                # A retry loop: one request per attempt, by design; a run makes a handful.
                with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: ECO302, ECO303
                    return _response(answer.status, answer.headers, answer.read())
            except urllib.error.HTTPError as error:
                failure = _response(error.code, error.headers, error.read())
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                if attempt == MAX_RETRIES:
                    raise GitHubError(0, f"{method} {url}: {error}") from error
                self.sleep(2.0**attempt)
                continue
            wait = self._retry_after(failure, attempt)
            if wait is None or attempt == MAX_RETRIES:
                raise GitHubError(failure.status, _message(method, url, failure))
            self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _retry_after(self, failure: Response, attempt: int) -> float | None:
        """Seconds to wait before retrying, or None when the failure is final."""
        status, headers = failure.status, failure.headers
        if status >= 500:
            return 2.0**attempt
        if status not in (403, 429):
            return None
        wait: float | None = None
        if headers.get("retry-after", "").strip().isdigit():
            wait = float(headers["retry-after"])
        elif headers.get("x-ratelimit-remaining") == "0" and headers.get("x-ratelimit-reset"):
            try:
                wait = max(float(headers["x-ratelimit-reset"]) - self.clock(), 0.0) + 0.5
            except ValueError:
                wait = None
        elif status == 429 or "rate limit" in _message("", "", failure).lower():
            wait = 60.0 * 2**attempt  # a secondary limit without headers: back off
        if wait is None:
            return None  # a plain 403: the token may not do this
        if wait > self.max_wait_s:
            raise GitHubError(status, f"rate limited for {wait:.0f} s, longer than allowed")
        return wait


def _response(status: int, headers: Any, raw: bytes) -> Response:
    lowered = {key.lower(): value for key, value in headers.items()}
    try:
        data = json.loads(raw) if raw else None
    except ValueError:
        data = raw.decode("utf-8", "replace")
    return Response(status, lowered, data)


def _message(method: str, url: str, failure: Response) -> str:
    detail = failure.data.get("message", "") if isinstance(failure.data, dict) else failure.data
    return f"{method} {url}: HTTP {failure.status} {detail}".strip()
