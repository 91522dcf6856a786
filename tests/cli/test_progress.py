"""The progress bar is for terminals only."""

from __future__ import annotations

import io

from ecolint.cli import check


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_progress_bar_when_stderr_is_not_a_terminal(monkeypatch):
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert check._progress_bar() is None


def test_progress_bar_on_a_terminal_counts_files_and_clears_itself(monkeypatch):
    terminal = FakeTerminal()
    monkeypatch.setattr("sys.stderr", terminal)
    times = iter([0.0, 1.0, 1.0])
    monkeypatch.setattr("time.monotonic", lambda: next(times))
    show = check._progress_bar()
    show(5, 10)
    show(10, 10)
    assert "5/10 files" in terminal.getvalue()
    assert terminal.getvalue().endswith("\r\033[K")
