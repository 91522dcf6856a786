"""``pytest --eco --eco-profile``: where the test run spends its CPU, line by line, written
as collapsed stacks that ``ecolint check --profile`` reads.

An in-process sampler. Each sample reads the stack of every thread that used CPU since the
previous one (``sys._current_frames()``) and charges it that CPU time, read from the
thread's own clock (``pthread_getcpuclockid``): a thread that slept gets nothing, and a
late sample weighs what it stands for. The stacks are folded at the end into py-spy's
``--format raw`` lines, ``func (file:LINE) COUNT`` root first, COUNT in hundredths of a CPU
second: py-spy's default rate, so ``ecolint check --profile`` reads the file as is.

When to sample: the main thread, where tests run, on ``SIGPROF`` after each 10 ms of the
process's CPU (``SignalSampler``), handled between two bytecodes; the other threads from a
daemon thread every 50 ms. Where the signal cannot run (Windows, pytest off the main
thread, ``SIGPROF`` already taken), that thread reads every thread every 10 ms
(``ThreadSampler``); each of its wake-ups takes the GIL from the running test.

Chosen by bench/eco_profile_overhead.py (paired, rotated runs against ``pytest --eco``;
the figures are in the README). ``py-spy record --pid`` beside the tests cost the run more
CPU (x1.06 to x1.14, against x0.98 to x1.03 for the samplers here), counts wall time as
CPU where a loaded machine keeps a runnable test waiting, and needs ptrace rights over its
parent (Yama's ``ptrace_scope=1`` refuses them, macOS asks for root). The thread sampler
alone took 6-14 % of the example suite's wall time under load (its wake-ups take the GIL
from the test), the signal one none; on hot_cold.py all of them put the hot loop at
96-100 % of the samples and the cold one under 2 %.

Each process that runs tests samples itself; an xdist worker sends its folded stacks home
through ``workeroutput`` and the controller writes the merged file.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import CodeType, FrameType
from typing import Any

import pytest

from ecolint.atomic import write_atomically
from ecolint.config.energy import DEFAULT_PROFILE, EnergySettings
from ecolint.profiles.model import CPU_CLOCK_HEADER
from pytest_ecolint.session import writable_path

# COUNT units: py-spy's default rate (ecolint.profiles.model.DEFAULT_RATE_HZ), so that the
# file reads right at `ecolint check --profile`'s default --profile-rate.
UNITS_PER_SECOND = 100
INTERVAL_S = 0.01
# The signal sampler's companion samples the threads other than the main one (a pool a
# test started) from a thread: 20 times a second, a fifth of the GIL hand-overs.
OTHERS_INTERVAL_S = 0.05
WORKER_KEY = "ecolint_profile"

# A stack as the sampler keeps it: id(code), offset, id(code), offset, ... leaf first, as
# f_back walks; each offset (f_lasti) becomes a line once, when the stacks are folded.
# Ints hash fast, where a code object's own hash reads its whole bytecode, and f_lasti is
# a field, where f_lineno decodes the line table from its start at every sample.
Key = tuple[int, ...]


def _cpu_clock(ident: int) -> Callable[[], float] | None:
    """The CPU clock of the thread ``ident``, or ``None`` where the platform has none
    (macOS, Windows)."""
    try:
        clock = time.pthread_getcpuclockid(ident)
    except (AttributeError, OSError):
        return None
    return lambda: time.clock_gettime(clock)


class StackSampler:
    """The stacks of this process's threads, each charged the CPU time its thread used
    since the previous sample; ``ThreadSampler`` and ``SignalSampler`` say when to look."""

    def __init__(self, interval_s: float = INTERVAL_S) -> None:
        self.interval_s = interval_s
        self.seconds: dict[Key, float] = {}  # CPU seconds charged to each stack
        self.own_cpu_s = 0.0  # what sampling cost, shown in the summary
        self._main = threading.main_thread().ident
        self._codes: dict[int, CodeType] = {}  # kept alive, so that an id stays its code's
        self._last: dict[int, float] = {}  # thread → its CPU clock at the previous sample
        self._clocks: dict[int, Callable[[], float] | None] = {}

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def _sample(self, frames: dict[int, FrameType], elapsed: float) -> None:
        for ident, frame in frames.items():
            used = self._used(ident, elapsed)
            if used > 0:
                key = _key(frame)
                seconds = self.seconds
                if key in seconds:
                    seconds[key] += used
                else:
                    seconds[key] = used
                    self._keep(frame)

    def _keep(self, frame: FrameType | None) -> None:
        codes = self._codes
        while frame is not None:
            codes[id(frame.f_code)] = frame.f_code
            frame = frame.f_back

    def _used(self, ident: int, elapsed: float) -> float:
        """CPU seconds the thread used since the previous sample; without per-thread
        clocks, ``elapsed``, for the main thread only (where tests run)."""
        clock = self._clocks.get(ident, ...)
        if clock is ...:
            clock = self._clocks[ident] = _cpu_clock(ident)
        if clock is None:
            return elapsed if ident == self._main else 0.0
        try:
            now = clock()
        except OSError:  # the thread ended since sys._current_frames()
            return 0.0
        before = self._last.get(ident)
        self._last[ident] = now
        return now - before if before is not None else 0.0

    def folded(self) -> dict[str, int]:
        """Collapsed stack → COUNT (hundredths of a CPU second), rounded so that the
        counts add up to the rounded total: stacks of a few ms each are not all lost."""
        names: dict[tuple[int, int], str] = {}
        exact: dict[str, float] = {}
        for key, seconds in self.seconds.items():
            pairs = zip(key[-2::-2], key[::-2], strict=True)  # root first
            line = ";".join(self._frame_text(pair, names) for pair in pairs)
            exact[line] = exact.get(line, 0.0) + seconds * UNITS_PER_SECOND
        return largest_remainder(exact)

    def _frame_text(self, pair: tuple[int, int], names: dict[tuple[int, int], str]) -> str:
        """py-spy's ``function (path:line)``."""
        text = names.get(pair)
        if text is None:
            code = self._codes[pair[0]]
            line = _line_at(code, pair[1])
            where = code.co_filename if line is None else f"{code.co_filename}:{line}"
            text = names[pair] = f"{code.co_name} ({where})"
        return text


class SignalSampler(StackSampler):
    """Samples the main thread, where tests run, when the process has used another
    ``interval_s`` of CPU: ``SIGPROF`` from ``setitimer(ITIMER_PROF)``, handled in the main
    thread between two bytecodes. No thread to wake, so no GIL handed over, and an idle
    process is not interrupted at all. The other threads are sampled by a
    ``ThreadSampler`` every ``OTHERS_INTERVAL_S``: the kernel hands the signal to the thread
    that is running, so while the main thread waits for a pool the handler would not run
    until it is done. Unix only, from the main thread, when no one else handles
    ``SIGPROF``."""

    def __init__(self, interval_s: float = INTERVAL_S) -> None:
        super().__init__(interval_s)
        self._previous: Any = None
        self.others = ThreadSampler(OTHERS_INTERVAL_S, exclude_main=True)

    @staticmethod
    def available() -> bool:
        return (
            hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGPROF) in (signal.SIG_DFL, signal.SIG_IGN, None)
        )

    def start(self) -> None:
        self._previous = signal.signal(signal.SIGPROF, self._handle)
        # SA_RESTART: a system call the signal lands in resumes in the kernel, so C code
        # under test that does not retry on EINTR never sees one
        signal.siginterrupt(signal.SIGPROF, False)
        signal.setitimer(signal.ITIMER_PROF, self.interval_s, self.interval_s)
        self.others.start()

    def stop(self) -> None:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        # SIGPROF's default action ends the process: a signal the timer raised just before
        # it stopped, still on its way to another thread, must not find it. Ignored, then.
        signal.signal(signal.SIGPROF, self._previous or signal.SIG_IGN)
        self.others.stop()
        self.own_cpu_s += self.others.own_cpu_s
        for key, seconds in self.others.seconds.items():
            self.seconds[key] = self.seconds.get(key, 0.0) + seconds
        self._codes.update(self.others._codes)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if frame is None or self._main is None:
            return
        start = time.thread_time()
        self._sample({self._main: frame}, self.interval_s)  # the interrupted frame
        end = time.thread_time()
        self.own_cpu_s += end - start
        if self._main in self._last:  # the handler's own CPU is no test's
            self._last[self._main] += end - start


class ThreadSampler(StackSampler):
    """Samples every ``interval_s`` from a daemon thread: anywhere, at the price of the
    GIL, which each wake-up takes from the running test (the test thread drops it and
    waits until the sampler has it, a context switch that a loaded machine delays)."""

    def __init__(self, interval_s: float = INTERVAL_S, exclude_main: bool = False) -> None:
        super().__init__(interval_s)
        self.exclude_main = exclude_main
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ecolint-sampler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        me = threading.get_ident()
        wait = self._stop.wait
        previous = time.perf_counter()
        while not wait(self.interval_s):
            now = time.perf_counter()
            frames = sys._current_frames()
            del frames[me]
            if self.exclude_main:
                frames.pop(self._main or 0, None)
            self._sample(frames, now - previous)
            previous = now
        self.own_cpu_s = time.thread_time()


def make_sampler(interval_s: float = INTERVAL_S, kind: str = "auto") -> StackSampler:
    """``signal`` where it can run (``auto``), else ``thread``."""
    if kind == "signal" or (kind == "auto" and SignalSampler.available()):
        return SignalSampler(interval_s)
    return ThreadSampler(interval_s)


def _line_at(code: CodeType, offset: int) -> int | None:
    """The line of the instruction at ``offset`` (bytes, as ``f_lasti`` counts)."""
    for start, end, line in code.co_lines():
        if start <= offset < end:
            return line
    return None


def _key(frame: FrameType | None) -> Key:
    entries: list[int] = []
    append = entries.append
    while frame is not None:
        append(id(frame.f_code))
        append(frame.f_lasti)
        frame = frame.f_back
    return tuple(entries)


def largest_remainder(exact: dict[str, float]) -> dict[str, int]:
    """Whole counts for ``exact`` that add up to its rounded total (Hamilton's method)."""
    counts = {line: int(value) for line, value in exact.items()}
    missing = round(sum(exact.values())) - sum(counts.values())
    by_remainder = sorted(exact, key=lambda line: exact[line] - counts[line], reverse=True)
    for line in by_remainder[: max(missing, 0)]:
        counts[line] += 1
    return {line: count for line, count in counts.items() if count > 0}


def merge(into: dict[str, int], counts: dict[str, int]) -> None:
    for line, count in counts.items():
        into[line] = into.get(line, 0) + count


def write_collapsed(path: Path, counts: dict[str, int]) -> None:
    """py-spy's raw format, heaviest stack first."""
    lines = sorted(counts.items(), key=lambda item: item[1], reverse=True)
    body = "".join(f"{stack} {count}\n" for stack, count in lines)
    write_atomically(path, f"{CPU_CLOCK_HEADER}\n{body}")


class ProfileSession:
    """The plugin object: samples this process from session start to finish; the process
    that reports (not an xdist worker) merges the workers' stacks and writes the file."""

    def __init__(
        self, path: Path | None, interval_s: float = INTERVAL_S, kind: str = "auto"
    ) -> None:
        self.path = path  # None in an xdist worker: the controller writes
        self.sampler = make_sampler(interval_s, kind)
        self.counts: dict[str, int] = {}
        self.workers = 0

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.sampler.start()

    @pytest.hookimpl(optionalhook=True)  # an xdist hook: unknown without xdist
    def pytest_testnodedown(self, node: Any, error: object) -> None:
        counts = getattr(node, "workeroutput", {}).get(WORKER_KEY)
        if counts is not None:  # a worker that crashed sends nothing
            merge(self.counts, counts)
            self.workers += 1

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.sampler.stop()
        merge(self.counts, self.sampler.folded())
        output = getattr(session.config, "workeroutput", None)
        if output is not None:
            output[WORKER_KEY] = self.counts
        elif self.path is not None:
            write_collapsed(self.path, self.counts)

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.path is None:
            return
        seconds = sum(self.counts.values()) / UNITS_PER_SECOND
        workers = f" from {self.workers} workers" if self.workers else ""
        terminalreporter.write_line(
            f"profile: {seconds:.2f} CPU s of stacks{workers} written to {self.path} "
            f"(ecolint check --profile {self.path}); sampling here cost "
            f"{self.sampler.own_cpu_s * 1000:.0f} ms of CPU"
        )


def register_profiler(config: pytest.Config, settings: EnergySettings) -> None:
    """Sample this process; the reporting process checks first that it can write the file
    (``--eco-profile [PATH]``, else ``[tool.ecolint.energy] profile``, rootdir-relative)."""
    if hasattr(config, "workerinput"):  # an xdist worker: the controller writes
        config.pluginmanager.register(ProfileSession(None), "ecolint-profile")
        return
    given = config.getoption("eco_profile")
    if given:
        target = given
    else:
        relative = settings.profile if given is None and settings.profile else DEFAULT_PROFILE
        target = str(config.rootpath / relative)
    path = writable_path(target, "the profile")
    config.pluginmanager.register(ProfileSession(path), "ecolint-profile")
