"""GPU energy per test: NVIDIA's cumulative energy counter, behind a one-method interface.

The counter is ``nvmlDeviceGetTotalEnergyConsumption``: the energy of one GPU in
millijoules since its driver was loaded, on Volta or newer (older GPUs answer "Not
Supported"). A test's GPU energy is the difference of two reads, at its start and at its
end, summed over every GPU NVML sees, like the CPU clocks of the recorder.

What it is and is not:

- device-wide: the counter counts every process on the GPU, so tests that run at the same
  time (xdist workers sharing a GPU, or a neighbour's job) each see the others' energy;
- coarse: NVML refreshes it every 20-100 ms on recent GPUs (PETSc's note on this call),
  so a test shorter than that reads 0 or a whole refresh;
- all GPUs NVML sees: ``CUDA_VISIBLE_DEVICES`` is not applied (NVML ignores it, and its
  indices follow CUDA's order, not NVML's).

The GPU meter is on whenever a counter opens (``open_gpu_counter``), whatever the CPU meter:
it costs two NVML reads per test only where a GPU counts, and nothing else anywhere else.
pynvml (package ``nvidia-ml-py``) is imported only when ``/dev/nvidiactl`` exists: its
import costs 40-60 ms, which a CPU-only machine never pays.
"""

from __future__ import annotations

import contextlib
import importlib
import os
from typing import TYPE_CHECKING, Any, Protocol

from ecolint.energy.meters import NVIDIA_DEVICE

if TYPE_CHECKING:  # the report's classes: imported by the reporting process only, not by
    # every xdist worker that opens a counter
    from ecolint.energy.model import CodecarbonEnergy, GpuEnergy

METHOD = "nvml:total-energy"
MEASURED = "measured"
WALL_SHARE = "wall share"


class GpuEnergyCounter(Protocol):
    """The narrow seam between the recorder and the hardware: the GPUs' energy so far."""

    def read_joules(self) -> float:
        """Joules counted since some fixed origin; only differences mean anything."""
        ...

    def close(self) -> None:
        """Release the library (once, at the end of the session)."""
        ...


class NvmlCounter:
    """The sum of NVML's total-energy counters of the given GPUs.

    A read that fails mid-session (a GPU lost from the bus) repeats the last good value,
    so a test reads 0 J rather than failing; ``failure`` keeps the first error."""

    def __init__(self, nvml: Any, handles: list[Any]) -> None:
        self.nvml = nvml
        self.handles = handles
        self.failure: str | None = None
        self._last = 0.0
        self._last = self.read_joules()

    def read_joules(self) -> float:
        get = self.nvml.nvmlDeviceGetTotalEnergyConsumption
        try:
            self._last = sum(get(handle) for handle in self.handles) / 1000.0  # mJ -> J
        except self.nvml.NVMLError as error:
            self.failure = self.failure or str(error)
        return self._last

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.nvml.nvmlShutdown()


def open_gpu_counter() -> tuple[GpuEnergyCounter | None, str]:
    """The counter of the NVIDIA GPUs and what it reads, or ``None`` and why not: no
    ``/dev/nvidiactl`` (no driver: pynvml is then not even imported), pynvml missing, NVML
    failing to start, no GPU, or a GPU without the counter (before Volta)."""
    if not os.path.exists(NVIDIA_DEVICE):
        return None, f"no {NVIDIA_DEVICE}: no NVIDIA driver here"
    try:
        nvml: Any = importlib.import_module("pynvml")
    except ImportError:
        return None, "pynvml is not installed (pip install nvidia-ml-py)"
    try:
        nvml.nvmlInit()
    except Exception as error:  # no libnvidia-ml, no permission: NVMLError or OSError
        return None, f"NVML did not start: {error}"
    try:
        return _counter(nvml)
    except Exception as error:
        with contextlib.suppress(Exception):
            nvml.nvmlShutdown()
        return None, f"NVML failed: {error}"


def _counter(nvml: Any) -> tuple[GpuEnergyCounter | None, str]:
    """The counter over every GPU, once each has answered a first read; or why not."""
    handles = [nvml.nvmlDeviceGetHandleByIndex(i) for i in range(nvml.nvmlDeviceGetCount())]
    if not handles:
        nvml.nvmlShutdown()
        return None, "NVML sees no GPU"
    names = []
    for handle in handles:
        name = nvml.nvmlDeviceGetName(handle)
        names.append(name.decode() if isinstance(name, bytes) else str(name))
        try:
            nvml.nvmlDeviceGetTotalEnergyConsumption(handle)
        except nvml.NVMLError as error:
            nvml.nvmlShutdown()
            if getattr(error, "value", None) == nvml.NVML_ERROR_NOT_SUPPORTED:
                return None, f"{names[-1]} has no energy counter (NVML: Not Supported; Volta+)"
            return None, f"{names[-1]}: NVML energy counter failed: {error}"
    return NvmlCounter(nvml, handles), f"NVML energy counter of {len(names)} GPU(s): " + (
        ", ".join(names)
    )


def measured_gpu(energy_j: float, reason: str, g_per_j: float) -> GpuEnergy:
    """The session's GPU figure when the counter was read around each test."""
    from ecolint.energy.model import GpuEnergy

    return GpuEnergy(
        method=METHOD,
        description=f"measured around each test: {reason}; device-wide (tests running at"
        " once each count the others), refreshed every 20-100 ms",
        per_test=MEASURED,
        energy_j=energy_j,
        gco2e=energy_j * g_per_j,
    )


def shared_gpu(codecarbon: CodecarbonEnergy | None, reason: str) -> GpuEnergy | None:
    """codecarbon's session GPU energy, when it has some and no counter was read per test:
    its component then follows wall time (a test waiting on its GPU uses little CPU), and
    the method says that the per-test figures are shares, not measurements."""
    part = codecarbon.components.get("gpu") if codecarbon is not None else None
    if codecarbon is None or part is None or part.energy_j <= 0:
        return None
    part.spread_by = "wall"
    from ecolint.energy.model import GpuEnergy

    return GpuEnergy(
        method=f"codecarbon:{part.method}",
        description=f"codecarbon's session GPU energy ({part.method}), shared by wall time:"
        f" no per-test counter ({reason})",
        per_test=WALL_SHARE,
        energy_j=part.energy_j,
        gco2e=part.energy_j * (codecarbon.gco2e / codecarbon.energy_j),
    )
