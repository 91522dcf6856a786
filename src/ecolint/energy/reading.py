"""Reading the energy report that ``pytest --eco`` writes (:mod:`ecolint.energy.model`),
of this version or an older one; any mismatch is a :class:`ReportError` naming the file.

Apart from the model so that the pytest process, which only writes reports, never imports
the document checker (about 7 M instructions of every `pytest --eco` session).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ecolint.documents import DocumentError, DocumentType
from ecolint.energy.model import J_PER_KWH, NS_PER_S, SCHEMA_VERSION, EnergyReport, per_test_figures

READABLE_VERSIONS = (1, 2, SCHEMA_VERSION)


class ReportError(DocumentError):
    """A report that cannot be read or does not match the schema."""


class _EnergyReportType(DocumentType):
    """Reads the older versions too: version 1 and 2 added only fields with a default; their
    tests' seconds become nanoseconds, and a version 3 test gets back its joules and grams."""

    def check(self, data: Any) -> dict[str, Any]:
        if isinstance(data, dict) and data.get("version") in READABLE_VERSIONS:
            data = {**data, "tests": _current_tests(data), "version": self.version}
        return super().check(data)


def _current_tests(data: dict[str, Any]) -> Any:
    """The ``tests`` of a readable report as version 3 builds them. Anything malformed is
    left as it is, for the builder to name (the session's fields come first)."""
    tests, session = data.get("tests"), data.get("session")
    if not (isinstance(tests, dict) and isinstance(session, dict)):
        return tests
    if data["version"] < 3:
        return {nodeid: _from_seconds(row) for nodeid, row in tests.items()}
    factors = [session.get(name) for name in ("watts_per_thread", "intensity_g_per_kwh", "pue")]
    numbers = [float(f) for f in factors if isinstance(f, (int, float)) and not isinstance(f, bool)]
    if len(numbers) < len(factors):
        return tests
    watts, g_per_j = numbers[0], numbers[1] * numbers[2] / J_PER_KWH
    rows = {}
    for nodeid, row in tests.items():
        cpu_ns = row.get("cpu_ns") if isinstance(row, dict) else None
        if type(cpu_ns) is int:
            energy_j, gco2e = per_test_figures(cpu_ns, watts, g_per_j)
            row = {**row, "energy_j": energy_j, "gco2e": gco2e}
        rows[nodeid] = row
    return rows


def _from_seconds(row: Any) -> Any:
    """A version 1 or 2 test, its ``wall_s`` and ``cpu_s`` as integer nanoseconds."""
    if not isinstance(row, dict):
        return row
    row = dict(row)
    for unit in ("wall", "cpu"):
        seconds = row.pop(f"{unit}_s", None)
        if isinstance(seconds, (int, float)) and not isinstance(seconds, bool):
            row[f"{unit}_ns"] = round(seconds * NS_PER_S)
    return row


ENERGY_REPORT = _EnergyReportType(
    "energy report",
    SCHEMA_VERSION,
    ReportError,
    wrong_version="not an ecolint {name} of version 1, 2 or {expected} (found {found})",
)


def load_report(path: Path) -> EnergyReport:
    """Read a report written by ``pytest --eco --eco-json``; any mismatch is an error."""
    return ENERGY_REPORT.load(path, _report)


def _report(document: dict[str, Any]) -> EnergyReport:
    fields = {key: value for key, value in document.items() if key not in ("version", "tool")}
    return ENERGY_REPORT.build(EnergyReport, fields)
