import asyncio
import json
import time

import pytest

from shopstats.logs import parse_line, read_access_log, slow_requests, status_counts
from shopstats.worker import EventJob, ReportJob, with_retries

LINE = '10.0.0.{n} - - [02/May/2024:10:00:00 +0000] "GET /orders/{n} HTTP/1.1" {status} 512 {ms}'


def access_log(count):
    return "\n".join(
        LINE.format(n=n, status=500 if n % 10 == 0 else 200, ms=(n * 37) % 900)
        for n in range(count)
    )


def test_parse_line_reads_status_size_and_duration():
    entry = parse_line(LINE.format(n=7, status=404, ms=12))
    assert entry["status"] == 404 and entry["size"] == 512 and entry["duration_ms"] == 12
    assert entry["path"] == "/orders/7"
    assert parse_line("not a log line") is None


def test_read_access_log_skips_malformed_lines(tmp_path):
    path = tmp_path / "access.log"
    path.write_text(access_log(50) + "\ngarbage\n", encoding="utf-8")
    entries = list(read_access_log(str(path)))
    assert len(entries) == 50
    assert status_counts(entries) == {200: 45, 500: 5}


def test_slow_requests_use_the_configured_threshold(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shopstats.json").write_text(json.dumps({"slow_ms": 800}), encoding="utf-8")
    entries = [parse_line(line) for line in access_log(2000).splitlines()]
    slow = slow_requests(entries)
    assert slow and all(entry["duration_ms"] > 800 for entry in slow)


def build_report():
    time.sleep(0.05)  # stands for a slow database query
    return "report"


def test_report_job_waits_by_spinning():
    assert ReportJob(build_report).start().wait() == "report"


def test_event_job_waits_without_spinning():
    assert EventJob(build_report).start().wait(timeout=5) == "report"


def test_a_failing_build_reraises_in_the_waiter():
    def broken():
        raise ValueError("no data")

    with pytest.raises(ValueError, match="no data"):
        EventJob(broken).start().wait(timeout=5)


def test_with_retries_retries_connection_errors():
    calls = []

    async def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("reset")
        return "ok"

    assert asyncio.run(with_retries(flaky, attempts=4, delay=0.001)) == "ok"
    assert len(calls) == 3
