"""Access-log parsing and request statistics for the shop front-end."""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator

logger = logging.getLogger(__name__)

CONFIG_PATH = "shopstats.json"

LOG_LINE = re.compile(
    r'(?P<ip>\S+) - - \[(?P<when>[^\]]+)\] "(?P<method>[A-Z]+) (?P<path>\S+) [^"]+" '
    r"(?P<status>\d{3}) (?P<size>\d+|-) (?P<duration_ms>\d+)"
)


def parse_line(line: str) -> dict | None:
    match = LOG_LINE.match(line)
    if match is None:
        return None
    entry = match.groupdict()
    entry["status"] = int(entry["status"])
    entry["size"] = 0 if entry["size"] == "-" else int(entry["size"])
    entry["duration_ms"] = int(entry["duration_ms"])
    return entry


def read_access_log(path: str) -> Iterator[dict]:
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            entry = parse_line(line)
            if entry is None:
                logger.debug(f"skipping malformed line {number} in {path}: {line!r}")
                continue
            yield entry


def status_counts(entries: Iterable[dict]) -> Counter[int]:
    counts = Counter(entry["status"] for entry in entries)
    logger.info("counted %d distinct status codes", len(counts))
    return counts


def slow_requests(entries: Iterable[dict]) -> list[dict]:
    slow = []
    for entry in entries:
        with open(CONFIG_PATH, encoding="utf-8") as cfg:
            threshold = json.load(cfg).get("slow_ms", 500)
        if entry["duration_ms"] > threshold:
            slow.append(entry)
            logger.warning("slow request %s took %d ms", entry["path"], entry["duration_ms"])
    return slow
