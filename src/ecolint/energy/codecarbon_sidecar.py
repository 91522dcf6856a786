"""codecarbon's tracker in a process of its own (the "sidecar"), tracking pytest's.

Run in the pytest process, codecarbon costs the tests themselves: importing it imports
pandas, and every full garbage collection of the session then walks pandas' objects
(+10-14 % on an allocation-heavy test), and its start (pandas, py-cpuinfo's 1.1 s CPU
probe) runs inside pytest. So the controller starts ``python -m
ecolint.energy.codecarbon_sidecar`` instead (never an xdist worker), in pytest's folder
and environment, and neither codecarbon nor pandas is ever imported into pytest. The
sidecar builds the same tracker (:func:`ecolint.energy.codecarbon_meter.build_tracker`,
codecarbon's logger and Prometheus outputs included), points its process tracking at
pytest's PID (:func:`track_pid`: pytest and its children, the xdist workers, but not the
sidecar), and talks JSON lines:

- sidecar → pytest: ``{"event": "ready", "version", "notes"}`` once its tracker measures;
  ``{"event": "unsupported", "reason"}`` when this codecarbon lacks the internals
  :func:`track_pid` needs (pytest then runs the tracker in its own process, as before,
  and says why in a ``MeterWarning``); ``{"event": "error", "reason"}``; after ``stop``,
  ``{"event": "stopped", "record", "methods"}``: codecarbon's ``EmissionsData`` as a dict
  (the row of ``--eco-csv``) and each component's method;
- pytest → sidecar: ``stop`` on stdin. End of file without it (pytest killed) makes the
  sidecar exit at once, without figures or outputs, as a killed in-process tracker would.

pytest never hangs on it: a sidecar that is not ready within :attr:`SidecarMeter.
READY_TIMEOUT_S` or gives no figures within :attr:`SidecarMeter.STOP_TIMEOUT_S`, or
exits, is killed and the report says "codecarbon gave no figures: …". It is reaped only
when it is stopped, after the session's clocks: a reaped child's CPU time would enter
``getrusage(RUSAGE_CHILDREN)``, which the recorder reads around each test.

``ECOLINT_SIDECAR_PRELOAD``: a Python file the sidecar runs before it builds its tracker
(tests use it to count trackers or break codecarbon inside the sidecar).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import runpy
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import IO, Any

from ecolint.energy.codecarbon_meter import (
    CodecarbonError,
    CodecarbonMeter,
    _methods,
    build_tracker,
)
from ecolint.energy.codecarbon_outputs import python_logger

MODULE = "ecolint.energy.codecarbon_sidecar"
PRELOAD_ENV = "ECOLINT_SIDECAR_PRELOAD"


class Unsupported(RuntimeError):
    """This codecarbon lacks an internal :func:`track_pid` relies on."""


class SidecarGone(RuntimeError):
    """The sidecar did not answer in time, or exited."""


class SidecarMeter(CodecarbonMeter):
    """The parent's side: a :class:`CodecarbonMeter` whose tracker runs in the sidecar.

    Its start costs pytest no CPU time (``startup_cpu_ns`` stays 0, unless the tracker
    falls back to this process); ``started_at`` is pytest's clocks when the sidecar said
    it was ready (read by a thread blocked on the pipe, so even during collection)."""

    READY_TIMEOUT_S = 60.0  # stock start: 1.6-2.5 s here; a loaded CI runner, more
    STOP_TIMEOUT_S = 30.0  # stop: 70 ms, plus a Prometheus push where configured
    EXIT_TIMEOUT_S = 5.0  # then it is killed

    def __init__(self, process: subprocess.Popen[bytes], settings: dict[str, Any]) -> None:
        super().__init__(None, "")
        self.process = process
        self.settings = settings  # for the fallback to this process
        self._messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._answered = False  # ready() has had the sidecar's first answer
        self._fallback: CodecarbonMeter | None = None
        self._reader = threading.Thread(target=self._read, name="ecolint-sidecar", daemon=True)
        self._reader.start()

    @classmethod
    def launch(
        cls,
        country: str | None,
        region: str | None,
        g_per_kwh: float,
        psys: bool = False,
        background: bool = True,
    ) -> SidecarMeter:
        """Start the sidecar; with ``background=False`` (the session reads RAPL, whose
        package counters would count the start), wait here until it is ready, before the
        session's clocks start."""
        settings = {"country": country, "region": region, "g_per_kwh": g_per_kwh, "psys": psys}
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", MODULE, json.dumps({**settings, "pid": os.getpid()})],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=_environment(),
                start_new_session=os.name == "posix",  # Ctrl-C is pytest's to handle
            )
        except OSError as error:
            raise CodecarbonError(f"cannot start codecarbon's sidecar: {error}") from error
        meter = cls(process, settings)
        if not background:
            meter.ready()
            meter.waited_ns = meter.startup_cpu_ns = 0  # before the clocks: not charged
        return meter

    def _read(self) -> None:
        """The sidecar's messages, in a thread: the time it said ready is pytest's clocks
        then, whatever the main thread is doing."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if message.get("event") == "ready":
                self.started_at = (time.perf_counter_ns(), time.process_time_ns())
            self._messages.put(message)
        self._messages.put(None)  # end of file: it exited

    def _next(self, timeout: float, late: str, gone: str) -> dict[str, Any]:
        """Its next message; :class:`SidecarGone` saying it was ``late`` or ``gone``."""
        while True:  # its logger output's records: logged here, to the user's handlers
            try:
                message = self._messages.get(timeout=timeout)
            except queue.Empty:
                raise SidecarGone(f"codecarbon's sidecar {late} within {timeout:g} s") from None
            if message is None or message.get("event") != "log":
                break
            logger = python_logger(str(message["name"]))
            logger.log(int(message["level"]), "%s", message["message"])
        if message is None:
            try:
                status: int | None = self.process.wait(timeout=self.EXIT_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                status = None
            raise SidecarGone(f"codecarbon's sidecar exited (status {status}) {gone}")
        return message

    def ready(self) -> None:
        """Wait for the sidecar's first answer (idempotent); adds the time waited to
        :attr:`waited_ns`. Unsupported: the tracker starts here instead."""
        if self._answered:
            return
        self._answered = True
        began = time.perf_counter_ns()
        try:
            message = self._next(self.READY_TIMEOUT_S, "was not ready", "before it was ready")
            event = message.get("event")
            if event == "ready":
                self.version = str(message.get("version", ""))
                self.notes.extend(message.get("notes", []))
            elif event == "unsupported":
                self._fall_back(str(message.get("reason")))
            else:
                self.failure = f"codecarbon's sidecar failed: {message.get('reason')}"
                self._end()
        except SidecarGone as error:
            self.failure = str(error)
            self._end()
        finally:
            self.waited_ns += time.perf_counter_ns() - began

    def _fall_back(self, reason: str) -> None:
        """The tracker in this process, started here (its CPU time is the start's)."""
        self._end()
        self.notes.append(f"codecarbon's tracker runs in the pytest process: {reason}")
        cpu = time.process_time_ns()
        try:
            self._fallback = CodecarbonMeter.start(**self.settings, background=False)
        except CodecarbonError as error:
            self.failure = str(error)
            return
        finally:
            self.startup_cpu_ns += time.process_time_ns() - cpu
        self.version = self._fallback.version
        self.notes.extend(self._fallback.notes)
        self.started_at = self._fallback.started_at

    def _stop(self) -> tuple[dict[str, Any] | None, dict[str, str]]:
        if self._fallback is not None:
            return self._fallback._stop()
        if self.failure is not None or self.process.returncode is not None:
            return None, {}  # failed, or stopped already
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(b"stop\n")
            self.process.stdin.flush()
            message = self._next(
                self.STOP_TIMEOUT_S, "gave no figures after stop", "without its figures"
            )
        except (OSError, SidecarGone) as error:
            self.failure = str(error)
            return None, {}
        finally:
            self._end()
        if message.get("event") != "stopped":
            self.failure = f"codecarbon's sidecar failed: {message.get('reason')}"
            return None, {}
        return message.get("record"), dict(message.get("methods") or {})

    def _end(self) -> None:
        """Close its stdin (it exits at end of file), reap it; kill it if it lingers."""
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=self.EXIT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _environment() -> dict[str, str]:
    """pytest's environment, with this ecolint first on the path unless it is installed
    (a source folder: the sidecar imports the same ecolint as pytest, wherever pytest
    found it; never site-packages, which would then come before the standard library)."""
    import sysconfig

    import ecolint

    root = os.path.dirname(os.path.dirname(os.path.abspath(ecolint.__file__)))
    installed = {os.path.abspath(sysconfig.get_path(name)) for name in ("purelib", "platlib")}
    path = os.environ.get("PYTHONPATH")
    if root in installed:
        return dict(os.environ)
    return {**os.environ, "PYTHONPATH": root + (os.pathsep + path if path else "")}


def track_pid(tracker: Any, pid: int, exclude: int) -> None:
    """Point the tracker's process tracking at ``pid`` and its children, leaving out
    ``exclude`` (the sidecar, itself a child of pytest). Left in, it would add little here
    (its 1-s monitor, like the in-process tracker's thread, about 2.7 ms of CPU per second:
    0.3-0.4 % of the CPU figure of a CPU-busy suite; its 85 MiB under codecarbon's
    two-DIMM floor of 10 W), but it is the meter's cost, not the tests', ecolint's own
    figure does not count it, and with a large RSS it could add a DIMM. Call before
    ``start()``.

    codecarbon has no public way to track another process: this relies on internals,
    checked in codecarbon 3.3.2:

    - ``BaseEmissionsTracker._ensure_hardware_ready()`` builds ``tracker._hardware``
      (what ``start()`` would do first; ``start()`` then skips it);
    - ``codecarbon.external.hardware.CPU`` keeps ``_pid`` and ``_process`` (a
      ``psutil.Process``); process mode sums the CPU times of ``_process`` and
      ``_process.children(recursive=True)``;
    - ``codecarbon.external.ram.RAM`` keeps ``_pid``; process mode sums the RSS of
      ``psutil.Process(_pid)`` and ``_get_children_memories()``.

    Other hardware (RAPL, GPUs, Apple's and the Raspberry Pi's meters) measures the
    machine or the device, whoever runs it. Raises :class:`Unsupported`, naming what is
    missing, when an internal is not there."""
    try:
        import psutil  # type: ignore[import-untyped]  # codecarbon's dependency; no stubs
        from codecarbon.external.hardware import CPU
        from codecarbon.external.ram import RAM
    except ImportError as error:
        raise Unsupported(f"codecarbon's CPU and RAM classes moved ({error})") from error
    prepare = getattr(tracker, "_ensure_hardware_ready", None)
    if prepare is None:
        raise Unsupported("codecarbon's tracker has no _ensure_hardware_ready()")
    prepare()
    hardware = getattr(tracker, "_hardware", None)
    if not isinstance(hardware, list):
        raise Unsupported("codecarbon's tracker keeps no _hardware list")
    process = _Without(psutil.Process(pid), exclude)

    def children_memories() -> list[int]:
        sizes = []
        for child in process.children(recursive=True):
            with contextlib.suppress(psutil.Error):  # exited meanwhile
                sizes.append(child.memory_info().rss)
        return sizes

    needs = {CPU: ("_pid", "_process"), RAM: ("_pid", "_get_children_memories")}
    for item in hardware:
        kind = next((kind for kind in needs if isinstance(item, kind)), None)
        if kind is None:
            continue
        missing = [name for name in needs[kind] if not hasattr(item, name)]
        if missing:
            raise Unsupported(f"codecarbon's {kind.__name__} has no {', '.join(missing)}")
        item._pid = pid
        if kind is CPU:
            item._process = process
        else:
            item._get_children_memories = children_memories


def forward_logger(name: str, send: Callable[[dict[str, Any]], None]) -> None:
    """Send what codecarbon's logger output logs to ``name`` in the sidecar over to
    pytest, which logs it to its own ``name``: the user's handlers are there."""

    class Forward(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            send(
                {
                    "event": "log",
                    "name": name,
                    "level": record.levelno,
                    "message": record.getMessage(),
                }
            )

    target = logging.getLogger(name)
    target.addHandler(Forward())
    target.propagate = False  # not also to the sidecar's stderr


class _Without:
    """A ``psutil.Process`` whose children leave one process out."""

    def __init__(self, process: Any, exclude: int) -> None:
        self._process = process
        self._exclude = exclude

    def children(self, recursive: bool = False) -> list[Any]:
        return [
            child
            for child in self._process.children(recursive=recursive)
            if child.pid != self._exclude
        ]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._process, name)


def main(argument: str, channel: IO[str], commands: IO[str]) -> int:
    """The sidecar: build, point and start the tracker, say ready, wait for ``stop``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # pytest handles Ctrl-C, then stops us

    def send(message: dict[str, Any]) -> None:
        channel.write(json.dumps(message, default=str) + "\n")
        channel.flush()

    settings = json.loads(argument)
    try:
        preload = os.environ.get(PRELOAD_ENV)
        if preload:
            runpy.run_path(preload)
        tracker, version, outputs = build_tracker(
            settings["country"], settings["region"], settings["g_per_kwh"], settings["psys"]
        )
        if outputs.logger is not None:
            forward_logger(outputs.logger, send)
        track_pid(tracker, settings["pid"], exclude=os.getpid())
    except Unsupported as error:
        send({"event": "unsupported", "reason": str(error)})
        return 0
    except Exception as error:  # reported to pytest, which reports it
        send({"event": "error", "reason": f"{type(error).__name__}: {error}"})
        return 1
    tracker.start()  # codecarbon swallows its own errors: the record tells
    send({"event": "ready", "version": version, "notes": outputs.notes})
    if not commands.readline():  # end of file: pytest is gone
        os._exit(0)
    tracker.stop()
    data = getattr(tracker, "final_emissions_data", None)
    record = dict(vars(data)) if data is not None else None
    send({"event": "stopped", "record": record, "methods": _methods(tracker)})
    os._exit(0)  # its outputs ran in stop(): no need to tear pandas down (0.05-0.1 s)


if __name__ == "__main__":
    out, sys.stdout = sys.stdout, sys.stderr  # the channel is ours alone
    sys.exit(main(sys.argv[1], out, sys.stdin))
