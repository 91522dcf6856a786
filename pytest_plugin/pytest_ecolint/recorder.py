"""The per-test hot path: two clocks and the peak RSS around each test's run protocol.

No psutil, no codecarbon, no I/O per test: the sample costs about a microsecond. One
wrapper around ``pytest_runtest_protocol`` (setup, call, teardown and their reports) is
cheaper than a hook on setup plus one on teardown, and costs what two plain hooks on
``pytest_runtest_logstart`` and ``pytest_runtest_logfinish`` cost (what ``--eco`` added to
1000 empty tests differed by 0.2 %), while it knows whether a test follows. The numbers stay in a
dict here instead of riding on the reports (bench/eco_overhead.py measured these). An
xdist worker sends the dict home once, at the end (``xdist.WorkerTotals``). Markers
(``eco_budget``, ``eco_precise``) are looked up once, after collection, not per test.
Precise tests also read the PMU's instruction counter when one opens (``perf``); otherwise
the controller counts them under callgrind at the end.

Memory comes with the CPU clock: one ``getrusage(RUSAGE_SELF)`` gives the process's CPU
time and its peak RSS (``ru_maxrss``) at once, for 0.2 µs more than ``process_time_ns``
alone (psutil's ``memory_info`` costs 17 µs and gives the current RSS, not the peak).
``ru_maxrss`` is the process's high-water mark, never lowered: each test gets the peak
reached by its end and how much it raised it. Linux keeps that mark across ``exec``: a
pytest started by a bigger process (tox, nox, an IDE, an xdist controller, pytester)
starts at its parent's peak, and would not see its tests' peaks under it. Then (checked
once, at the start) the peak comes from ``VmHWM`` in ``/proc/self/status`` instead: this
process's own, for about 7 µs more per test. Where an NVIDIA GPU has an energy counter
(``ecolint.energy.gpu``), it is read at the same boundaries.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Generator
from resource import RUSAGE_CHILDREN, RUSAGE_SELF, getrusage
from time import perf_counter_ns
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from ecolint.energy.gpu import GpuEnergyCounter
    from ecolint.energy.precise import PerfCounter

# ru_maxrss is in KiB on Linux and the BSDs, in bytes on macOS; VmHWM in KiB
MAXRSS_BYTES = 1 if sys.platform == "darwin" else 1024
STATUS = "/proc/self/status"
Sample = tuple[int, float, float, int]


def sample() -> Sample:
    """(wall ns, own CPU s, waited-for children's CPU s, own peak RSS in ru_maxrss units).

    Linux makes ``ru_utime + ru_stime`` the same total as ``process_time_ns`` (to the µs)."""
    own = getrusage(RUSAGE_SELF)
    children = getrusage(RUSAGE_CHILDREN)
    return (
        perf_counter_ns(),
        own.ru_utime + own.ru_stime,
        children.ru_utime + children.ru_stime,
        own.ru_maxrss,
    )


class OwnPeakSample:
    """:func:`sample` with this process's own peak RSS (``VmHWM``, KiB) read from its open
    ``/proc/self/status``, for a process whose ``ru_maxrss`` holds its parent's peak."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __call__(self) -> Sample:
        own = getrusage(RUSAGE_SELF)
        children = getrusage(RUSAGE_CHILDREN)
        return (
            perf_counter_ns(),
            own.ru_utime + own.ru_stime,
            children.ru_utime + children.ru_stime,
            vm_hwm(os.pread(self.fd, 4096, 0)),
        )


def vm_hwm(status: bytes) -> int:
    """The ``VmHWM`` line of ``/proc/<pid>/status``, in KiB."""
    start = status.index(b"VmHWM:") + 6
    return int(status[start : status.index(b"kB", start)])


def peak_sampler() -> tuple[Callable[[], Sample], str, int | None]:
    """The sampler of this process, what its peak is, and the ``/proc`` file it keeps open:
    ``ru_maxrss``, unless Linux shows it holding a parent's higher peak (then ``VmHWM``)."""
    try:
        fd = os.open(STATUS, os.O_RDONLY)
        own = vm_hwm(os.pread(fd, 4096, 0))
    except (OSError, ValueError):  # not Linux, or no procfs: ru_maxrss as it is
        return sample, "ru_maxrss (getrusage)", None
    inherited = getrusage(RUSAGE_SELF).ru_maxrss
    if inherited <= own:
        os.close(fd)
        return sample, "ru_maxrss (getrusage)", None
    return (
        OwnPeakSample(fd),
        f"VmHWM (/proc/self/status): ru_maxrss held a parent process's peak of"
        f" {inherited / 1024:.0f} MiB",
        fd,
    )


class Recorder:
    def __init__(self, precise_all: bool = False, use_pmu: bool = True) -> None:
        self.precise_all = precise_all
        self.use_pmu = use_pmu
        self.budgets: dict[str, dict[str, object]] = {}
        self.precise: set[str] = set()
        self.counter: PerfCounter | None = None
        self.tests: dict[str, dict[str, object]] = {}
        self._carry: Sample | None = None
        self.sample, self.memory_method, self._status_fd = peak_sampler()
        self.gpu, self.gpu_reason = self._open_gpu()
        self._gpu_carry: float | None = None
        # whether tests read more than the clocks (precise tests, a GPU counter): known
        # once the tests are collected
        self.counting = self.gpu is not None

    @staticmethod
    def _open_gpu() -> tuple[GpuEnergyCounter | None, str]:
        from ecolint.energy import gpu  # a module attribute: the seam tests replace

        return gpu.open_gpu_counter()

    def pytest_unconfigure(self) -> None:
        if self.gpu is not None:
            self.gpu.close()
        if self._status_fd is not None:
            os.close(self._status_fd)
            self._status_fd = None

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        parents: dict[tuple[pytest.Collector, str], pytest.Mark | None] = {}
        for item in session.items:
            budget = _closest(item, "eco_budget", parents)
            if budget is not None:
                self.budgets[item.nodeid] = checked_budget(item.nodeid, budget)
            if self.precise_all or _closest(item, "eco_precise", parents) is not None:
                self.precise.add(item.nodeid)
        self.counting = bool(self.precise) or self.gpu is not None
        if self.precise and self.use_pmu:
            from ecolint.energy.precise import PerfCounter, PmuUnavailable

            try:
                self.counter = PerfCounter.open()
            except PmuUnavailable:
                self.counter = None  # the controller counts these under callgrind

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_protocol(
        self, item: pytest.Item, nextitem: pytest.Item | None
    ) -> Generator[None, object, object]:
        # Every test of a `pytest --eco` session runs this: the usual case (no precise
        # test, no GPU counter) is kept to the two clocks and one dict.
        counts = self._counts_before(item.nodeid) if self.counting else None
        sample = self.sample
        # A sample costs about 3 µs here (three system calls): when a test follows at once,
        # its start is this test's end, one sample per test instead of two.
        start, self._carry = self._carry or sample(), None
        try:
            return (yield)
        finally:
            end = sample()
            if nextitem is not None:
                self._carry = end
            values: dict[str, object] = {
                "wall_ns": end[0] - start[0],
                "cpu_ns": round((end[1] - start[1] + end[2] - start[2]) * 1e9),
                "maxrss": end[3],
                "maxrss_growth": end[3] - start[3],
            }
            self.tests[item.nodeid] = values
            if counts is not None:
                self._add_counts(values, counts, nextitem is not None)

    def _counts_before(self, nodeid: str) -> tuple[bool, int | None, float]:
        """Whether the test is precise, and its counters' readings at its start."""
        precise = nodeid in self.precise
        counter = self.counter if precise else None
        gpu = self.gpu
        gpu_start = (self._gpu_carry or gpu.read_joules()) if gpu is not None else 0.0
        return precise, counter.read() if counter is not None else None, gpu_start

    def _add_counts(
        self, values: dict[str, object], before: tuple[bool, int | None, float], carry: bool
    ) -> None:
        precise, instructions, gpu_start = before
        if self.gpu is not None:
            gpu_end = self.gpu.read_joules()
            values["gpu_j"] = gpu_end - gpu_start
            self._gpu_carry = gpu_end if carry else None
        if precise:
            values["precise"] = True
            if self.counter is not None and instructions is not None:
                values["instructions"] = self.counter.read() - instructions


def _closest(
    item: pytest.Item, name: str, parents: dict[tuple[pytest.Collector, str], pytest.Mark | None]
) -> pytest.Mark | None:
    """``item.get_closest_marker(name)``, with the parents' answer computed once per parent
    (module, class) instead of walking the chain again for each of their tests."""
    for mark in item.own_markers:
        if mark.name == name:
            return mark
    parent = item.parent
    if parent is None:
        return None
    key = (parent, name)
    if key not in parents:
        parents[key] = parent.get_closest_marker(name)
    return parents[key]


BUDGET_KEYWORDS = ("cpu_ms", "joules", "level")


def checked_budget(nodeid: str, mark: pytest.Mark) -> dict[str, object]:
    """The marker's budget, or a usage error naming the test: a typo (``cpu_sm=5``) would
    otherwise check nothing and pass in silence."""
    problems = []
    if mark.args:
        problems.append("takes keywords only (cpu_ms=…, joules=…, level=…)")
    unknown = sorted(set(mark.kwargs) - set(BUDGET_KEYWORDS))
    if unknown:
        problems.append(f"unknown keyword(s) {', '.join(unknown)}; known: cpu_ms, joules, level")
    for key in ("cpu_ms", "joules"):
        value = mark.kwargs.get(key)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0
        ):
            problems.append(f"{key} must be a positive number, got {value!r}")
    if mark.kwargs.get("level", "error") not in ("error", "warn"):
        problems.append(f"level must be 'error' or 'warn', got {mark.kwargs['level']!r}")
    if mark.kwargs.get("cpu_ms") is None and mark.kwargs.get("joules") is None and not unknown:
        problems.append("sets no budget: give cpu_ms=… or joules=…")
    if problems:
        raise pytest.UsageError(f"ecolint: {nodeid}: @pytest.mark.eco_budget {'; '.join(problems)}")
    return dict(mark.kwargs)
