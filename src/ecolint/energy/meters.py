"""How joules are obtained, named with every figure: RAPL when it really counts, else a
CPU-time model with its coefficient and that coefficient's source.

Per test the recorder (``pytest_ecolint.recorder.sample``) reads the wall clock and
``getrusage`` (own and waited-for children's CPU, peak RSS); machine-wide counters (RAPL)
are read once per session and
attributed to tests in proportion to their CPU time. Which meter a session uses is chosen
here too (``choose_meter``), without importing codecarbon.
"""

from __future__ import annotations

import contextlib
import glob
import importlib
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import field
from pathlib import Path
from typing import Any

from ecolint.energy.carbon import CarbonError, codecarbon_data
from ecolint.made_once import made_once

POWERCAP = "/sys/class/powercap"
# codecarbon's DEFAULT_POWER_PER_CORE: what it assumes for a CPU it does not recognise.
DEFAULT_WATTS_PER_THREAD = 4.0
DEFAULT_SOURCE = "codecarbon DEFAULT_POWER_PER_CORE (4 W per thread, unrecognised CPU)"
# The same CPU-second differs about 2.5x between published models: Eco-CI's GitHub curve
# ~1.6 W per busy vCPU (https://github.com/green-coding-solutions/eco-ci-energy-estimation),
# Cloud Carbon Footprint's AWS 2.76 W (https://www.cloudcarbonfootprint.org/docs/methodology),
# codecarbon 4 W (above).
LOW_WATTS_PER_THREAD = 1.6
HIGH_WATTS_PER_THREAD = 4.0


@made_once
class Method:
    """The method behind a session's joules, with what it assumed."""

    name: str  # "rapl" or "model:cpu-time"
    description: str
    watts_per_thread: float
    source: str
    coefficients: dict[str, float] = field(default_factory=dict)

    def joules(self, cpu_seconds: float) -> float:
        return cpu_seconds * self.watts_per_thread

    def joules_range(self, cpu_seconds: float) -> tuple[float, float]:
        """The spread of published models for the same CPU time (the uncertainty)."""
        if self.name == "rapl":
            return (cpu_seconds * self.watts_per_thread, cpu_seconds * self.watts_per_thread)
        return (cpu_seconds * LOW_WATTS_PER_THREAD, cpu_seconds * HIGH_WATTS_PER_THREAD)


def cpu_brand() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def tdp_watts(brand: str, table: Path | None = None) -> float | None:
    """The CPU's TDP from codecarbon's ``cpu_power.csv`` when the brand string matches a
    model name exactly (codecarbon itself requires a similarity of 100), else ``None``."""
    if table is None:
        try:
            table = codecarbon_data().parent / "hardware" / "cpu_power.csv"
        except CarbonError:
            return None
    wanted = " ".join(brand.replace("(R)", "").replace("(TM)", "").split()).lower()
    words = wanted.encode("ascii", "replace").split()
    try:
        text = table.read_bytes().lower()  # bytes: ASCII lowering, no decoding of 120 kB
    except OSError:
        return None
    if not words:
        return None
    # This runs in every `pytest --eco` session, whose overhead budget is a few percent of
    # a quick suite: find the rarest-looking word (the longest) with bytes.find, then
    # compare only the lines that hold it, by their first column's words (no regex: its
    # compilation alone cost more than this whole search).
    anchor = max(words, key=len)
    at = text.find(anchor)
    while at >= 0:
        start = text.rfind(b"\n", 0, at) + 1
        end = text.find(b"\n", at)
        end = len(text) if end < 0 else end
        name, comma, value = text[start:end].partition(b",")
        if comma and name.split() == words:
            value = value.strip()
            if value.replace(b".", b"", 1).isdigit():
                return float(value)
        at = text.find(anchor, end)
    return None


def cpu_time_model(
    watts_per_thread: float | None = None, brand: str | None = None, threads: int | None = None
) -> Method:
    """The configured watts per thread; else the CPU's TDP from codecarbon's table shared
    over its threads; else codecarbon's own default for an unknown CPU."""
    if watts_per_thread is not None:
        if watts_per_thread <= 0:
            raise ValueError(f"watts per thread must be positive, got {watts_per_thread}")
        watts, source = watts_per_thread, "configured (watts-per-thread)"
    else:
        brand = brand if brand is not None else cpu_brand()
        threads = threads or os.cpu_count() or 1
        tdp = tdp_watts(brand)
        if tdp is not None:
            watts = tdp / threads
            source = f"codecarbon cpu_power.csv: {brand} TDP {tdp:g} W / {threads} threads"
        else:
            watts, source = DEFAULT_WATTS_PER_THREAD, DEFAULT_SOURCE
    return Method(
        name="model:cpu-time",
        description="energy = CPU seconds x watts per busy thread",
        watts_per_thread=watts,
        source=source,
        coefficients={"watts_per_thread": watts},
    )


class RaplCounter:
    """Sum of the package (and DRAM) energy counters, with wrap-around handled."""

    def __init__(self, files: list[tuple[str, int]]) -> None:
        self.files = files  # (energy_uj path, max_energy_range_uj)

    @classmethod
    def detect(cls, probe_seconds: float = 0.1) -> RaplCounter | None:
        """A counter only if it is readable and actually increases (some expose 0)."""
        files = []
        for zone in package_zones():
            energy = os.path.join(zone, "energy_uj")
            try:
                with open(os.path.join(zone, "max_energy_range_uj"), encoding="ascii") as h:
                    maximum = int(h.read())
                with open(energy, encoding="ascii") as handle:
                    int(handle.read())
            except (OSError, ValueError):
                continue
            files.append((energy, maximum))
        if not files:
            return None
        counter = cls(files)
        first = counter.read()
        deadline = time.perf_counter() + probe_seconds
        while time.perf_counter() < deadline:  # a little work, so a live counter moves
            sum(range(1000))
            if counter.delta(first, counter.read()) > 0:
                return counter  # a live counter moves within a millisecond or so
        return None

    def read(self) -> list[int]:
        values = []
        for path, _ in self.files:
            with open(path, encoding="ascii") as handle:
                values.append(int(handle.read()))
        return values

    def delta(self, before: list[int], after: list[int]) -> float:
        """Joules between two readings."""
        total = 0
        for (_, maximum), start, end in zip(self.files, before, after, strict=True):
            total += end - start if end >= start else end + maximum - start
        return total / 1e6


# Where a GPU's kernel driver shows on Linux: NVML and amdsmi are only tried there, so a
# CPU-only machine pays two stat calls (importing pynvml alone costs 40-60 ms here).
NVIDIA_DEVICE = "/dev/nvidiactl"
AMD_DEVICE = "/dev/kfd"


class MeterChoice:
    """The meter of a session and why: asked for, or what ``auto`` found. A plain class:
    every ``--eco`` session imports this module, and a frozen dataclass costs 0.5 ms."""

    __slots__ = ("name", "psys", "reason")

    def __init__(self, name: str, reason: str, psys: bool = False) -> None:
        self.name = name  # "model", "rapl" or "codecarbon"
        self.reason = reason
        self.psys = psys  # RAPL psys is readable: codecarbon is told to prefer it


def choose_meter(
    asked: str,
    rapl_readable: bool,
    system: str = sys.platform,
    gpu: Callable[[], str | None] | None = None,
    psys: Callable[[], bool] | None = None,
) -> MeterChoice:
    """``model``, ``rapl`` and ``codecarbon`` as asked; ``auto`` picks codecarbon only where
    it measures what ecolint cannot (a GPU, macOS, Windows, RAPL psys), else RAPL where it
    counts, else the model. ``gpu`` and ``psys`` probe the machine (injectable for tests)."""
    gpu = gpu or visible_gpu
    psys = psys or rapl_psys_readable
    if asked == "codecarbon":
        return MeterChoice("codecarbon", "asked for", psys=psys())
    if asked != "auto":
        return MeterChoice(asked, "asked for")
    found = {"darwin": "macOS", "win32": "Windows"}.get(system) or gpu()
    has_psys = not found and psys()
    if found or has_psys:
        return MeterChoice("codecarbon", f"auto: {found or 'RAPL psys'}", psys=has_psys)
    base = "rapl" if rapl_readable else "model"
    return MeterChoice(
        base,
        "auto: no GPU visible through NVML or amdsmi, no RAPL psys, not macOS or Windows: "
        "codecarbon would measure nothing more here",
    )


def visible_gpu() -> str | None:
    """``NVIDIA GPU (NVML)`` or ``AMD GPU (amdsmi)`` when one is visible, else ``None``."""
    if os.path.exists(NVIDIA_DEVICE) and _devices("pynvml", "nvmlInit", "nvmlShutdown") > 0:
        return "NVIDIA GPU (NVML)"
    if os.path.exists(AMD_DEVICE) and _devices("amdsmi", "amdsmi_init", "amdsmi_shut_down") > 0:
        return "AMD GPU (amdsmi)"
    return None


def _devices(module_name: str, init: str, shutdown: str) -> int:
    """How many GPUs the vendor's library sees; 0 when it is missing or fails."""
    try:
        module: Any = importlib.import_module(module_name)
        getattr(module, init)()
    except Exception:  # not installed, no driver library, no permission: no GPU for us
        return 0
    try:
        if module_name == "pynvml":
            return int(module.nvmlDeviceGetCount())
        return len(module.amdsmi_get_processor_handles())
    except Exception:
        return 0
    finally:
        with contextlib.suppress(Exception):
            getattr(module, shutdown)()


def package_zones(root: str | None = None) -> list[str]:
    """The RAPL zones to add up: the top-level packages (``intel-rapl:0``, ``:1``…). Their
    subzones (``intel-rapl:0:0`` cores, ``:0:2`` DRAM…) are parts of a package's energy,
    and ``psys`` covers the whole platform, packages included: adding either would count
    the same joules twice."""
    zones = []
    for zone in sorted(glob.glob(os.path.join(root or POWERCAP, "intel-rapl:*"))):
        if os.path.basename(zone).count(":") != 1:
            continue  # a subzone
        try:
            with open(os.path.join(zone, "name"), encoding="ascii") as handle:
                if handle.read().strip() == "psys":
                    continue
        except OSError:
            pass  # no name file: an older kernel, a package all the same
        zones.append(zone)
    return zones


def rapl_psys_readable(root: str = POWERCAP) -> bool:
    """A readable RAPL ``psys`` zone: the whole platform's energy (SoC, memory, more), which
    codecarbon reads and ecolint's package counters do not."""
    for zone in glob.glob(os.path.join(root, "intel-rapl:*")):
        try:
            with open(os.path.join(zone, "name"), encoding="ascii") as handle:
                if handle.read().strip() != "psys":
                    continue
            with open(os.path.join(zone, "energy_uj"), encoding="ascii") as handle:
                int(handle.read())
        except (OSError, ValueError):
            continue
        return True
    return False
