"""The energy report of one pytest session: a versioned JSON document.

It is written atomically (temporary file, then rename), so a crashed or interrupted run
leaves either the previous report or a complete new one, never half a file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from json.encoder import encode_basestring_ascii as quote
from operator import attrgetter
from pathlib import Path
from typing import Any, ClassVar

from ecolint.atomic import write_atomically
from ecolint.made_once import made_once
from ecolint.version import document_header

# 3: each test's clocks are integer nanoseconds (``wall_ns``, ``cpu_ns``), and its joules and
# grams are not written: they are ``cpu_ns`` times the session's ``watts_per_thread``, priced
# at its grid and PUE (:func:`per_test_figures`), computed again when the report is read. Its
# optional fields (instructions, codecarbon shares, GPU joules) are written only when they
# have a value. Writing 4 floats per test at full precision (a 17-digit repr each) made the
# JSON the largest part of what `pytest --eco` added to 1000 empty tests (bench/eco_overhead.py).
# 2: the meter of the session (``meter``, ``meter_reason``), codecarbon's session figures
# (``session.codecarbon``) and their share per test (``tests[…].codecarbon_j``); later
# additions with defaults: ``session.gpu``, ``session.gpu_reason``, each test's ``gpu_j``,
# ``peak_rss_bytes``, ``peak_rss_growth_bytes``, ``session.memory_method``,
# ``budgets[…].figure``, ``session.codecarbon.before_ready_s``.
# 1: none of version 2's additions (its meter is unknown: null).
# Versions 1 and 2 wrote each test's ``wall_s``, ``cpu_s``, ``energy_j`` and ``gco2e``, and are
# still read.
SCHEMA_VERSION = 3
NS_PER_S = 1e9
J_PER_KWH = 3.6e6


def per_test_figures(cpu_ns: int, watts_per_thread: float, g_per_j: float) -> tuple[float, float]:
    """A test's joules and grams of CO2e from its CPU nanoseconds: the one computation both
    the writer and the reader of a report make, so a report read back gives the figures the
    session printed, to the last bit. ``g_per_j``: grid intensity x PUE / 3.6e6."""
    joules = cpu_ns / NS_PER_S * watts_per_thread
    return joules, joules * g_per_j


# Every `pytest --eco` session imports this module (bench/eco_overhead.py): each class has
# a docstring, else dataclasses computes one from its signature, and no generated __repr__
# or __eq__ is compiled (reports are compared through their JSON).
@dataclass(repr=False, eq=False)
class TestEnergy:
    """One test's clocks (integer nanoseconds, as measured), its energy and carbon (derived
    from its CPU time: not written in the report), and its instruction count in precise
    mode."""

    wall_ns: int
    cpu_ns: int
    energy_j: float
    gco2e: float
    outcome: str
    worker: str = "main"
    # precise mode: instructions from setup to teardown, a work proxy (not energy); None
    # when the test was not precise or could not be counted. Older reports lack both.
    instructions: int | None = None
    instructions_method: str | None = None  # "perf" or "callgrind"
    # codecarbon meter: this test's share of each component of the session's codecarbon
    # figure ("cpu", "gpu", "ram"), in joules; None without that meter.
    codecarbon_j: dict[str, float] | None = None
    # the test's GPU joules, by the method in ``session.gpu``; None without a GPU figure
    gpu_j: float | None = None
    # memory: the peak RSS (high-water mark) of the process that ran the test, as reached
    # by the test's end, and how much the test raised it (0 when it stayed under an earlier
    # peak, which does not mean it allocated nothing); that process only, not its children.
    peak_rss_bytes: int | None = None
    peak_rss_growth_bytes: int | None = None

    @property
    def wall_s(self) -> float:
        return self.wall_ns / NS_PER_S

    @property
    def cpu_s(self) -> float:
        return self.cpu_ns / NS_PER_S


@made_once
class MeterComponent:
    """One component of codecarbon's session figure: its joules, mean power, the method
    as codecarbon names it, and what each test's share follows ("cpu" or "wall" time)."""

    energy_j: float
    power_w: float
    method: str
    spread_by: str


@made_once
class CodecarbonEnergy:
    """The session's one codecarbon tracker: version, tracking mode, span, components.
    ``gco2e`` prices its joules with the session's grid and PUE, as ecolint's own."""

    version: str
    tracking_mode: str
    wall_s: float
    energy_j: float
    gco2e: float
    cpu_model: str
    gpu_model: str
    components: dict[str, MeterComponent]
    # the seconds of ecolint's session before the tracker was ready (its start overlaps
    # collection): priced at the tracker's own rates, per component as the tests share it
    before_ready_s: float = 0.0


@made_once
class GpuEnergy:
    """The session's GPU energy, priced like ecolint's own joules, and how the tests got
    their ``gpu_j``: ``per_test`` "measured" (a counter read around each test) or "wall
    share" (the session's figure shared by wall time); ``method`` says from what."""

    method: str
    description: str
    per_test: str
    energy_j: float
    gco2e: float


@made_once
class SessionEnergy:
    """The session's totals and everything needed to reproduce them: method, grid, PUE."""

    method: str
    method_description: str
    watts_per_thread: float
    coefficient_source: str
    zone: str
    intensity_g_per_kwh: float
    intensity_source: str
    intensity_year: int | None
    pue: float
    workers: int
    python: str
    cpu_brand: str
    cpu_count: int
    wall_s: float
    cpu_s: float
    energy_j: float
    energy_j_low: float
    energy_j_high: float
    energy_kwh: float
    gco2e: float
    embodied_g: float
    sci_g_per_run: float
    tests: int
    complete: bool
    exitstatus: int | None = None
    rapl_session_j: float | None = None
    # "model", "rapl" or "codecarbon", and why (asked for, or what `auto` found); None in
    # version 1 reports. With "codecarbon" the figures above stay ecolint's (model or RAPL:
    # budgets use them) and codecarbon's are beside them.
    meter: str | None = None
    meter_reason: str | None = None
    codecarbon: CodecarbonEnergy | None = None
    # the GPU, apart from ``energy_j`` (which stays the CPU's: budgets use it); None when
    # no GPU figure exists, and then ``gpu_reason`` says why (no driver, no counter...)
    gpu: GpuEnergy | None = None
    gpu_reason: str | None = None
    # where the tests' peak RSS comes from: "ru_maxrss (getrusage)", or VmHWM where
    # ru_maxrss held a parent process's peak; one per kind of process (xdist workers)
    memory_method: str | None = None


@made_once
class BudgetResult:
    """One budget that applied, with the measured value and whether it was exceeded."""

    scope: str  # "suite" or a test node id
    metric: str  # "energy_j", "gco2e", "cpu_s", "cpu_ms"
    limit: float
    value: float
    level: str  # "error" or "warn"
    # the figure the value is (version 2 addition): "CPU time", or ecolint's energy and
    # how it was obtained (never codecarbon's); None in older reports
    figure: str | None = None

    JSON_DERIVED: ClassVar[tuple[str, ...]] = ("exceeded",)  # written for readers only

    @property
    def exceeded(self) -> bool:
        return self.value > self.limit


@made_once
class EnergyReport:
    """The whole report: session, tests by node id, budgets; its JSON is versioned."""

    session: SessionEnergy
    tests: dict[str, TestEnergy] = field(default_factory=dict)
    budgets: list[BudgetResult] = field(default_factory=list)
    comparison: dict[str, Any] | None = None

    def to_json(self) -> str:
        document = {
            **document_header(SCHEMA_VERSION),
            "session": asdict(self.session),
            "tests": {},  # written below, one line per test
            "budgets": [{**asdict(b), "exceeded": b.exceeded} for b in self.budgets],
            "comparison": self.comparison,
        }
        text = json.dumps(document, indent=2) + "\n"
        if not self.tests:
            return text
        # One line per test, written here: ``indent`` makes json use its Python encoder,
        # which cost 105 M instructions for 1000 tests, and one C encoder call per test
        # still cost 55 M; integers and fixed strings formatted directly cost about 5 M.
        encode = json.JSONEncoder().encode
        lines = ",\n".join(
            [_test_json(nodeid, test, encode) for nodeid, test in self.tests.items()]
        )
        return text.replace('\n  "tests": {},\n', f'\n  "tests": {{\n{lines}\n  }},\n', 1)

    def write(self, path: Path) -> None:
        write_atomically(path, self.to_json())


# written only when they have a value; None on reading otherwise
_OPTIONAL_TEST_FIELDS = (
    "peak_rss_bytes",
    "peak_rss_growth_bytes",
    "instructions",
    "instructions_method",
    "codecarbon_j",
    "gpu_j",
)
_optional_values = attrgetter(*_OPTIONAL_TEST_FIELDS)  # one C call for all six


def _test_json(nodeid: str, test: TestEnergy, encode: Callable[[Any], str]) -> str:
    """One test's line of the report: its clocks, outcome and worker, then the optional
    fields it has.

    This runs once per test of every session (bench/eco_overhead.py): integers go through
    the f-string's plain ``str`` (a ``:d`` spec costs a format call each), strings through
    json's C quoting, and the optional fields are read by one ``attrgetter`` call."""
    text = (
        f'    {quote(nodeid)}: {{"wall_ns": {test.wall_ns}, "cpu_ns": {test.cpu_ns}, '
        f'"outcome": {quote(test.outcome)}, "worker": {quote(test.worker)}'
    )
    for name, value in zip(_OPTIONAL_TEST_FIELDS, _optional_values(test), strict=True):
        if value is not None:
            text += f', "{name}": {value if type(value) is int else encode(value)}'
    return text + "}"
