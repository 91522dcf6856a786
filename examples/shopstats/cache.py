"""Small in-process caches used by the service."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any


class TTLCache:
    """A bounded LRU cache whose entries also expire after ``ttl`` seconds."""

    def __init__(self, maxsize: int = 256, ttl: float = 300.0) -> None:
        self.maxsize = maxsize
        self.ttl = ttl
        self._data: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()

    def get(self, key: Hashable, default: Any = None) -> Any:
        item = self._data.get(key)
        if item is None:
            return default
        expires, value = item
        if expires < time.monotonic():
            del self._data[key]
            return default
        self._data.move_to_end(key)
        return value

    def set(self, key: Hashable, value: Any) -> None:
        self._data[key] = (time.monotonic() + self.ttl, value)
        self._data.move_to_end(key)
        while len(self._data) > self.maxsize:
            self._data.popitem(last=False)

    def purge_expired(self) -> int:
        now = time.monotonic()
        stale = [key for key, (expires, _) in self._data.items() if expires < now]
        for key in stale:
            del self._data[key]
        return len(stale)

    def __len__(self) -> int:
        return len(self._data)


class ReportCache(TTLCache):
    """Rendered reports keyed by (shop, day); keeps a plain-text copy for the admin page."""

    def rendered_index(self) -> str:
        index = ""
        for key in list(self._data):
            shop, day = key
            index += f"{shop}/{day}\n"
        return index
