"""The codecarbon sidecar: its protocol as pytest's side sees it (scripted sidecars), the
private hook that points codecarbon at pytest's process, and one real sidecar."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
import time
from importlib.util import find_spec
from types import SimpleNamespace

import pytest

from ecolint.energy.codecarbon_sidecar import SidecarMeter, Unsupported, _Without, track_pid
from helpers import require_component

RECORD = {
    "cpu_energy": 1e-6, "gpu_energy": 0.0, "ram_energy": 2e-6,
    "cpu_power": 2.0, "gpu_power": 0.0, "ram_power": 10.0,
    "tracking_mode": "process", "duration": 1.0, "cpu_model": "AMD EPYC", "gpu_model": "",
}  # fmt: skip


def scripted(script: str, **timeouts: float) -> SidecarMeter:
    """A sidecar that says what ``script`` prints: pytest's side, without codecarbon."""
    process = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    meter = SidecarMeter(process, {})
    for name, value in timeouts.items():
        setattr(meter, name, value)
    return meter


def test_a_sidecar_that_answers_gives_its_figures_and_its_loggers_records_here(caplog):
    meter = scripted(
        f"""
        import json, sys
        print(json.dumps({{"event": "ready", "version": "3.3.2", "notes": ["a note"]}}))
        sys.stdout.flush()
        assert sys.stdin.readline() == "stop\\n"
        print(json.dumps({{"event": "log", "name": "eco.test", "level": 20, "message": "{{}}"}}))
        methods = {{"cpu": "cpu_load", "gpu": "Unspecified", "ram": "RAM model"}}
        print(json.dumps({{"event": "stopped", "record": {RECORD!r}, "methods": methods}}))
        """
    )
    meter.ready()
    assert meter.started_at is not None and meter.version == "3.3.2"
    assert meter.notes == ["a note"] and meter.startup_cpu_ns == 0
    with caplog.at_level(logging.INFO, logger="eco.test"):
        figures = meter.stop(g_per_j=1e-4)
    assert figures is not None and figures.components["cpu"].energy_j == pytest.approx(3.6)
    assert figures.components["cpu"].method == "cpu_load" and meter.record == RECORD
    assert [(r.name, r.getMessage()) for r in caplog.records] == [("eco.test", "{}")]
    assert meter.process.returncode == 0  # reaped by stop, after the session's clocks


def test_a_sidecar_that_never_says_ready_is_given_up_and_killed():
    meter = scripted(
        "import time\ntime.sleep(30)\n",
        READY_TIMEOUT_S=0.3,
        EXIT_TIMEOUT_S=0.1,
    )
    began = time.perf_counter()
    assert meter.stop(g_per_j=1e-4) is None
    assert time.perf_counter() - began < 5
    assert meter.failure == "codecarbon's sidecar was not ready within 0.3 s"
    assert meter.process.returncode is not None  # killed and reaped


def test_a_sidecar_that_does_not_answer_stop_is_given_up_and_killed():
    meter = scripted(
        """
        import json, time
        print(json.dumps({"event": "ready", "version": "3.3.2"}), flush=True)
        time.sleep(30)
        """,
        STOP_TIMEOUT_S=0.3,
        EXIT_TIMEOUT_S=0.1,
    )
    assert meter.stop(g_per_j=1e-4) is None
    assert meter.failure == "codecarbon's sidecar gave no figures after stop within 0.3 s"
    assert meter.process.returncode is not None


def test_a_sidecars_error_is_its_failure():
    meter = scripted(
        'import json\nprint(json.dumps({"event": "error", "reason": "ValueError: no"}))\n'
    )
    assert meter.stop(g_per_j=1e-4) is None
    assert meter.failure == "codecarbon's sidecar failed: ValueError: no"
    assert meter.stop(g_per_j=1e-4) is None  # again: nothing more to stop


def test_the_sidecar_is_left_out_of_pytests_children():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        psutil = pytest.importorskip("psutil")
        process = psutil.Process(os.getpid())
        assert child.pid in {c.pid for c in process.children()}
        without = _Without(process, child.pid)
        assert child.pid not in {c.pid for c in without.children(recursive=True)}
        assert without.pid == os.getpid() and without.cpu_times().user > 0
    finally:
        child.kill()
        child.wait()


def codecarbon_required() -> None:
    require_component(
        find_spec("codecarbon") is not None, "codecarbon", "pip install -e '.[energy]'"
    )


def test_the_private_hook_points_cpu_and_ram_at_pytest_and_names_what_is_missing():
    codecarbon_required()
    from codecarbon.external.hardware import CPU
    from codecarbon.external.ram import RAM

    cpu, ram = CPU.__new__(CPU), RAM.__new__(RAM)  # the objects codecarbon's setup makes
    cpu._pid, cpu._process, ram._pid = 1, None, 1
    ram._get_children_memories = lambda: []
    tracker = SimpleNamespace(_hardware=[])
    tracker._ensure_hardware_ready = lambda: tracker._hardware.extend([cpu, ram])
    track_pid(tracker, os.getpid(), exclude=-1)
    assert (cpu._pid, ram._pid) == (os.getpid(), os.getpid())
    assert isinstance(cpu._process, _Without) and cpu._process.pid == os.getpid()
    assert isinstance(ram._get_children_memories(), list)
    with pytest.raises(Unsupported, match="no _ensure_hardware_ready"):
        track_pid(SimpleNamespace(_hardware=[]), os.getpid(), exclude=-1)
    bare = CPU.__new__(CPU)
    tracker = SimpleNamespace(_hardware=[], _ensure_hardware_ready=lambda: None)
    tracker._hardware.append(bare)
    with pytest.raises(Unsupported, match="codecarbon's CPU has no _pid, _process"):
        track_pid(tracker, os.getpid(), exclude=-1)


@pytest.mark.slow
def test_a_real_sidecar_started_before_the_clocks_as_with_rapl_measures_this_process():
    codecarbon_required()
    meter = SidecarMeter.launch("FRA", None, 56.0, background=False)
    assert meter.started_at is not None and (meter.waited_ns, meter.startup_cpu_ns) == (0, 0)
    began = time.process_time()
    while time.process_time() - began < 0.5:  # CPU time in this process, not the sidecar
        pass
    figures = meter.stop(g_per_j=1e-4)
    assert figures is not None and meter.failure is None, meter.failure
    assert figures.components["cpu"].method == "cpu_load"
    assert figures.components["cpu"].energy_j > 0.5 * 4 * 0.5  # 4 W per busy thread here
    assert meter.process.returncode == 0


KILLED = """
import json, os, signal, sys
from ecolint.energy.codecarbon_sidecar import SidecarMeter

meter = SidecarMeter.launch("FRA", None, 56.0)
meter.ready()
print(json.dumps({"sidecar": meter.process.pid, "failure": meter.failure}), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
@pytest.mark.slow
def test_a_sidecar_whose_pytest_is_killed_exits():
    codecarbon_required()
    psutil = pytest.importorskip("psutil")
    result = subprocess.run([sys.executable, "-c", KILLED], capture_output=True, timeout=60)
    said = json.loads(result.stdout)
    assert said["failure"] is None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if psutil.Process(said["sidecar"]).status() == psutil.STATUS_ZOMBIE:
                return  # exited, not yet reaped by its new parent
        except psutil.NoSuchProcess:
            return
        time.sleep(0.05)
    pytest.fail("the sidecar outlived its pytest")
