"""Instruction counts per test: a work proxy beside the energy figures, never joules.

CPU time of the same test varies by 10-13 % between runs on a shared machine; the number of
instructions it executes does not (±0.1 %, identical with ``PYTHONHASHSEED=0`` under
callgrind; ``tests/pytest_plugin/test_precise.py`` holds two runs within 2 %). Two sources,
chosen per session:

- ``perf``: the PMU's user-space instruction counter, opened with ``perf_event_open``
  (through ctypes, no dependency). A few microseconds per reading, so it runs in-process.
  Many VMs and containers have no PMU or forbid it: then the open fails and we say why.
- ``callgrind``: the marked tests are run once more, at the end of the session, in one
  ``python -m pytest`` subprocess under ``valgrind --tool=callgrind`` (~100x slower, so for
  a handful of tests). Valgrind starts with instrumentation off; the child's probe
  (``pytest_ecolint.probe``) switches it on around each test (setup → teardown) with
  callgrind's client requests and dumps one profile per test, so pytest's own start-up
  (seconds under callgrind) is neither counted nor paid at the simulated speed.
"""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import struct
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ecolint.energy import CHILD_ENV

# ctypes and mmap are imported where they are used: every pytest start loads this module.

INSTALL_VALGRIND = (
    "valgrind is not installed, so precise tests got no instruction count; install it "
    "(Debian/Ubuntu: apt-get install valgrind; Fedora: dnf install valgrind)"
)

# -- perf: the PMU ------------------------------------------------------------------------

# perf_event_open(2) has no libc wrapper: syscall numbers per architecture.
PERF_EVENT_OPEN = {
    "x86_64": 298,
    "amd64": 298,
    "i386": 336,
    "i686": 336,
    "aarch64": 241,
    "arm64": 241,
    "riscv64": 241,
    "armv7l": 364,
    "ppc64le": 319,
    "ppc64": 319,
    "s390x": 331,
}
PERF_TYPE_HARDWARE = 0
PERF_COUNT_HW_INSTRUCTIONS = 1
PERF_ATTR_SIZE_VER0 = 64  # the original struct perf_event_attr; every kernel accepts it
INHERIT, EXCLUDE_KERNEL, EXCLUDE_HV = 1 << 1, 1 << 5, 1 << 6
PERF_FLAG_FD_CLOEXEC = 1 << 3


class PmuUnavailable(OSError):
    """The instruction counter cannot be opened here (no PMU, paranoid setting, no arch)."""


class PerfCounter:
    """User-space instructions of this process and the children it starts from now on."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    @classmethod
    def open(cls) -> PerfCounter:
        import ctypes

        number = PERF_EVENT_OPEN.get(platform.machine().lower())
        if number is None or not sys.platform.startswith("linux"):
            raise PmuUnavailable(f"perf_event_open is not supported on {platform.machine()}")
        attr = bytearray(PERF_ATTR_SIZE_VER0)
        struct.pack_into(
            "=IIQ", attr, 0, PERF_TYPE_HARDWARE, PERF_ATTR_SIZE_VER0, PERF_COUNT_HW_INSTRUCTIONS
        )
        struct.pack_into("=Q", attr, 40, INHERIT | EXCLUDE_KERNEL | EXCLUDE_HV)
        libc = ctypes.CDLL(None, use_errno=True)
        buffer = (ctypes.c_char * len(attr)).from_buffer(attr)
        fd = libc.syscall(
            ctypes.c_long(number),
            buffer,
            ctypes.c_int(0),  # this process
            ctypes.c_int(-1),  # on any CPU
            ctypes.c_int(-1),  # no group
            ctypes.c_ulong(PERF_FLAG_FD_CLOEXEC),
        )
        if fd < 0:
            errno = ctypes.get_errno()
            raise PmuUnavailable(f"no PMU instruction counter here: {os.strerror(errno)}{_hint()}")
        return cls(fd)

    def read(self) -> int:
        return int.from_bytes(os.read(self.fd, 8), sys.byteorder)

    def close(self) -> None:
        os.close(self.fd)


def _hint() -> str:
    try:
        level = Path("/proc/sys/kernel/perf_event_paranoid").read_text().strip()
    except OSError:
        return ""
    return f" (perf_event_paranoid = {level}; a VM or container often exposes no PMU)"


# -- callgrind: the child's side (client requests) ----------------------------------------

# valgrind.h's "special instruction" sequences: no-ops on a real CPU, a request to the tool
# under valgrind. Each routine takes a pointer to the 6-word argument block and returns the
# tool's answer (0 when not running under valgrind).
_REQUEST_CODE = {
    # mov rax,rdi; xor edx,edx; rol rdi,3/13/61/51; xchg rbx,rbx; mov rax,rdx; ret
    "x86_64": bytes.fromhex("4889f831d248c1c70348c1c70d48c1c73d48c1c7334887db4889d0c3"),
    # mov x4,x0; mov x3,#0; ror x12 by 3/13/51/61; orr x10,x10,x10; mov x0,x3; ret
    # (valgrind.h's encoding; not exercised on ecolint's x86_64 CI machine)
    "aarch64": struct.pack(
        "<9I",
        *(0xAA0003E4, 0xD2800003, 0x93CC0D8C, 0x93CC358C, 0x93CCCD8C, 0x93CCF58C),
        *(0xAA0A014A, 0xAA0303E0, 0xD65F03C0),
    ),
}
_ALIASES = {"amd64": "x86_64", "arm64": "aarch64"}
RUNNING_ON_VALGRIND = 0x1001
_CALLGRIND = (ord("C") << 24) | (ord("T") << 16)
DUMP_STATS_AT, START_INSTRUMENTATION, STOP_INSTRUMENTATION = (
    _CALLGRIND + 3,
    _CALLGRIND + 4,
    _CALLGRIND + 5,
)
ZERO_STATS = _CALLGRIND + 1


class ClientRequests:
    """Callgrind's client requests from Python: a tiny routine in an executable page."""

    def __init__(self, code: bytes) -> None:
        import ctypes
        import mmap

        self._page = mmap.mmap(
            -1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC
        )
        self._page.write(code)
        address = ctypes.addressof(ctypes.c_char.from_buffer(self._page))
        self._call = ctypes.CFUNCTYPE(ctypes.c_size_t, ctypes.c_void_p)(address)

    @classmethod
    def create(cls) -> ClientRequests:
        machine = platform.machine().lower()
        code = _REQUEST_CODE.get(_ALIASES.get(machine, machine))
        if code is None:
            raise OSError(f"callgrind client requests are not implemented for {machine}")
        return cls(code)

    def request(self, code: int, argument: int = 0) -> int:
        import ctypes

        block = (ctypes.c_size_t * 6)(code, argument, 0, 0, 0, 0)
        return int(self._call(ctypes.addressof(block)))

    def on_valgrind(self) -> bool:
        return self.request(RUNNING_ON_VALGRIND) > 0

    def start(self) -> None:
        self.request(START_INSTRUMENTATION)
        self.request(ZERO_STATS)

    def dump(self, label: str) -> None:
        import ctypes

        text = ctypes.create_string_buffer(label.encode("utf-8", "replace"))
        self.request(DUMP_STATS_AT, ctypes.addressof(text))
        self.request(STOP_INSTRUMENTATION)


# -- callgrind: the controller's side -----------------------------------------------------

TRIGGER = "desc: Trigger: Client Request: "


@dataclass
class CallgrindCounts:
    counts: dict[str, int] = field(default_factory=dict)
    problem: str | None = None  # why some or all of the tests have no count


def count_with_callgrind(
    nodeids: Sequence[str],
    cwd: Path,
    pytest_args: Sequence[str] = (),
    python: str | None = None,
    timeout: float | None = None,
) -> CallgrindCounts:
    """Run ``nodeids`` once under callgrind; instructions from setup to teardown each."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return CallgrindCounts(problem=INSTALL_VALGRIND)
    python = python or sys.executable
    if _is_script(python):
        return CallgrindCounts(problem=f"{python} is a script (a shim?), not the interpreter")
    with tempfile.TemporaryDirectory(prefix="ecolint-callgrind-") as folder:
        out, status = Path(folder) / "callgrind.out", Path(folder) / "status.txt"
        command = [
            valgrind,
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={out}",
            python,
            "-m",
            "pytest",
            *nodeids,
            "-p",
            "no:cacheprovider",
            "-q",
            *pytest_args,
        ]
        env = {**os.environ, "PYTHONHASHSEED": "0", CHILD_ENV: str(status)}
        try:
            completed = subprocess.run(
                command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired:
            return CallgrindCounts(problem=f"callgrind run stopped after {timeout:g} s")
        except OSError as error:
            return CallgrindCounts(problem=f"cannot run valgrind: {error}")
        counts = parse_dumps(Path(folder))
        missing = [nodeid for nodeid in nodeids if nodeid not in counts]
        if not missing:
            return CallgrindCounts(counts)
        reason = status.read_text(encoding="utf-8").strip() if status.exists() else ""
        if not reason:
            tail = (completed.stdout + completed.stderr).strip().splitlines()[-3:]
            reason = f"pytest under callgrind exited {completed.returncode}: " + " | ".join(tail)
        return CallgrindCounts(counts, f"no instruction count for {len(missing)} tests: {reason}")


def parse_dumps(folder: Path) -> dict[str, int]:
    """{label: instructions} from callgrind's numbered dumps (``callgrind.out.N``)."""
    counts: dict[str, int] = {}
    for path in sorted(folder.glob("callgrind.out.*")):
        label, total = None, None
        with contextlib.suppress(OSError), path.open(encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith(TRIGGER):
                    label = line[len(TRIGGER) :].rstrip("\n")
                elif line.startswith(("totals:", "summary:")):
                    total = int(line.split()[1])  # totals (at the end) wins over summary
        if label is not None and total is not None:
            counts[label] = total
    return counts


def _is_script(path: str) -> bool:
    try:
        with open(os.path.realpath(path), "rb") as handle:
            return handle.read(2) == b"#!"
    except OSError:
        return False
