"""codecarbon's ``emissions.csv``, written by ``pytest --eco --eco-csv PATH``.

The file has exactly the columns of the CSV that codecarbon's own tracker writes, in its
order: those of its ``EmissionsData`` dataclass. They are pinned here rather than read
from codecarbon, because importing it costs 80-145 ms and ``--eco`` with the model meter
never imports it; a test compares the two lists wherever codecarbon is installed (in CI
always), so a codecarbon release that changes them fails there first.

One row per session, appended as codecarbon appends (the header written once, by the
session that creates the file). The per-test rows (``--eco-csv-tests PATH``) use the
layout codecarbon writes for its tasks (``TaskEmissionsData``: ``task_name`` first, no
``experiment_id``, ``pue`` or ``wue``), one task per test, its ``run_id`` that of the
session's row: a file of its own, so that summing ``emissions.csv`` never counts a test
twice.

What fills the columns:

- with the codecarbon meter, the tracker's own record (the row its CSV output would
  write, the figures its logger and Prometheus outputs carry), over the tracker's own
  span, with ecolint's PUE applied as codecarbon applies one (to the energy and power
  columns; ecolint's tracker runs with PUE 1) and ecolint's country and region. A test's
  row has the part of each component that the report gives it (``codecarbon_j``), so
  the tests' rows add up to the session's;
- with the model or RAPL meter, ecolint's figures: ``cpu_energy`` is ecolint's CPU-time
  model (CPU seconds x watts per thread) or the RAPL counters (the CPU packages),
  ``gpu_energy`` ecolint's NVML counter where it read one, else empty like
  ``ram_energy`` (those meters do not measure it), ``energy_consumed`` their sum.

Energies are in kWh and include the PUE, emissions in kg CO2e (energy x grid intensity;
the SCI's embodied carbon is not a codecarbon column), powers in W: codecarbon's mean
powers in its record, else the energy over the duration. A column ecolint does not know
(GPU, RAM size, coordinates, utilisation, water) stays empty, never a guessed zero.

A file whose header differs from these columns (another codecarbon version, another
file) is refused before the tests run, where codecarbon would rename it to a backup and
start a new one: the file is the user's record of past runs, and a usage error costs a
second where a moved file is noticed late, if at all. The same columns in another order
are accepted, as codecarbon accepts them: values go in the file's order.
"""

from __future__ import annotations

import csv
import io
import os
import platform
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ecolint.energy.model import EnergyReport

J_PER_KWH = 3.6e6

# codecarbon 3.3's EmissionsData fields, in order (tests/pytest_plugin/test_emissions_csv.py
# checks them against the installed codecarbon).
EMISSIONS_COLUMNS: tuple[str, ...] = (
    "timestamp",
    "project_name",
    "run_id",
    "experiment_id",
    "duration",
    "emissions",
    "emissions_rate",
    "cpu_power",
    "gpu_power",
    "ram_power",
    "cpu_energy",
    "gpu_energy",
    "ram_energy",
    "energy_consumed",
    "water_consumed",
    "country_name",
    "country_iso_code",
    "region",
    "cloud_provider",
    "cloud_region",
    "os",
    "python_version",
    "codecarbon_version",
    "cpu_count",
    "cpu_model",
    "gpu_count",
    "gpu_model",
    "longitude",
    "latitude",
    "ram_total_size",
    "tracking_mode",
    "cpu_utilization_percent",
    "gpu_utilization_percent",
    "ram_utilization_percent",
    "ram_used_gb",
    "on_cloud",
    "pue",
    "wue",
)
# codecarbon's TaskEmissionsData: the task's name first, then the same columns less the
# experiment, PUE and WUE.
TASK_COLUMNS: tuple[str, ...] = (
    "task_name",
    *(c for c in EMISSIONS_COLUMNS if c not in ("experiment_id", "pue", "wue")),
)
COMPONENTS = ("cpu", "gpu", "ram")
# Filled per test from the session's row: what does not change between tests.
_SHARED = (
    "timestamp",
    "project_name",
    "run_id",
    "country_name",
    "country_iso_code",
    "region",
    "cloud_provider",
    "cloud_region",
    "os",
    "python_version",
    "codecarbon_version",
    "cpu_count",
    "cpu_model",
    "gpu_count",
    "gpu_model",
    "longitude",
    "latitude",
    "ram_total_size",
    "tracking_mode",
    "on_cloud",
)
PROJECT_NAME = "pytest"  # what ecolint names its tracker's project too


class CsvError(ValueError):
    """A CSV file that cannot take these rows (other columns, unreadable)."""


def check_header(path: Path, columns: Sequence[str]) -> list[str] | None:
    """The file's header when it has these columns (in any order), ``None`` when it is
    absent or empty (the header is still to be written); :class:`CsvError` otherwise."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle), None)
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise CsvError(f"cannot read {path}: {error}") from error
    if not header:
        return None
    if sorted(header) != sorted(columns):
        missing = [c for c in columns if c not in header]
        extra = [c for c in header if c not in columns]
        detail = "; ".join(
            part
            for part in (
                f"lacks {', '.join(missing)}" if missing else "",
                f"has {', '.join(extra)} besides" if extra else "",
            )
            if part
        )
        raise CsvError(
            f"{path} does not have the columns of codecarbon's {_layout(columns)} ({detail}):"
            " move it away or write to another file"
        )
    return header


def append_rows(path: Path, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> None:
    """Append ``rows`` in one write, after the header when the file is new. The file is
    created exclusively, so of two sessions creating it at once one writes the header."""
    header = check_header(path, columns)
    if header is None:
        try:
            with path.open("x", newline="", encoding="utf-8") as handle:
                handle.write(_text(list(columns), rows, with_header=True))
            return
        except FileExistsError:  # created meanwhile (or empty): its header decides
            header = check_header(path, columns)
    with path.open("a", newline="", encoding="utf-8") as handle:
        handle.write(_text(header or list(columns), rows, with_header=header is None))


def _text(header: list[str], rows: Sequence[Mapping[str, Any]], with_header: bool) -> str:
    buffer = io.StringIO()
    # pandas' to_csv, which codecarbon uses: the platform's line ending, empty for None
    writer = csv.DictWriter(buffer, header, lineterminator=os.linesep)
    if with_header:
        writer.writeheader()
    writer.writerows({key: _cell(row.get(key)) for key in header} for row in rows)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    return "" if value is None else value


def _layout(columns: Sequence[str]) -> str:
    return "task CSV" if columns and columns[0] == "task_name" else "emissions.csv"


def session_row(
    report: EnergyReport,
    country: str | None,
    region: str | None,
    record: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The session's row: codecarbon's ``record`` (its ``EmissionsData`` values) when its
    meter gave figures, repriced with ecolint's PUE; else ecolint's own figures."""
    s, c = report.session, report.session.codecarbon
    powers: dict[str, Any] = {}  # codecarbon's mean powers, where it gave them
    if record is not None and c is not None:
        row: dict[str, Any] = dict(record)
        energies = {name: float(record[f"{name}_energy"]) * J_PER_KWH for name in COMPONENTS}
        duration = float(record["duration"])
        for name in COMPONENTS:
            power = record.get(f"{name}_power")
            powers[f"{name}_power"] = None if power is None else float(power) * s.pue
    else:
        row = {
            "timestamp": _now(),
            "project_name": PROJECT_NAME,
            "run_id": str(uuid.uuid4()),
            "os": platform.platform(),
            "python_version": s.python,
            "cpu_count": s.cpu_count,
            "cpu_model": s.cpu_brand,
        }
        energies, duration = {"cpu": s.energy_j}, s.wall_s
        if s.gpu is not None:  # ecolint's own GPU figure (NVML's energy counter)
            energies["gpu"] = s.gpu.energy_j
    row.update(_figures(energies, duration, s.pue, s.intensity_g_per_kwh), **powers)
    row.update(
        tracking_mode="process",
        pue=s.pue,
        country_iso_code=country.upper() if country else None,
        country_name=_country_name(s.zone, country, region),
        region=region.lower() if region else None,
    )
    return row


def per_test_rows(report: EnergyReport, session: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One task row per test, in the report's order: its wall time and its energy (its
    share of codecarbon's components with that meter, else ecolint's figure), the rest as
    in the session's row."""
    s, c = report.session, report.session.codecarbon
    shared = {key: session.get(key) for key in _SHARED}
    # with codecarbon's record: a test's part of each component of the row, the part it
    # has of the report's component (``codecarbon_j``, which spans the whole session)
    row_j = {
        name: float(session.get(f"{name}_energy") or 0) * J_PER_KWH / s.pue for name in COMPONENTS
    }
    with_gpu = s.gpu is not None
    rows = []
    for nodeid, test in report.tests.items():
        if c is not None and test.codecarbon_j is not None:
            energies = {
                name: row_j[name] * share / c.components[name].energy_j
                if c.components[name].energy_j
                else 0.0
                for name, share in test.codecarbon_j.items()
            }
        else:
            energies = {"cpu": test.energy_j}
            if with_gpu and test.gpu_j is not None:
                energies["gpu"] = test.gpu_j
        figures = _figures(energies, test.wall_s, s.pue, s.intensity_g_per_kwh)
        rows.append({**shared, "task_name": nodeid, **figures})
    return rows


def _figures(
    energies: Mapping[str, float], duration: float, pue: float, g_per_kwh: float
) -> dict[str, Any]:
    """The measured columns from joules per component: kWh with the PUE (as codecarbon
    counts it), their sum, kg CO2e (that sum x the grid's intensity, codecarbon's
    relation) and its rate, mean powers; a component the meter did not measure stays
    empty."""
    kwh = {name: joules * pue / J_PER_KWH for name, joules in energies.items()}
    total = sum(kwh.values())
    emissions = total * g_per_kwh / 1000
    figures: dict[str, Any] = {
        "duration": duration,
        "energy_consumed": total,
        "emissions": emissions,
        "emissions_rate": emissions / duration if duration else None,
    }
    for name in COMPONENTS:
        measured = kwh.get(name)
        figures[f"{name}_energy"] = measured
        figures[f"{name}_power"] = (
            measured * J_PER_KWH / duration if measured is not None and duration else None
        )
    return figures


def _country_name(zone: str, country: str | None, region: str | None) -> str | None:
    """The country's name as ecolint's grid data gives it (a country's grid), else none:
    a US state's grid or a configured intensity names no country here."""
    if country and not region and zone not in ("configured", "world"):
        return zone
    return None


def _now() -> str:
    """codecarbon's timestamp: local time to the second, no zone."""
    return time.strftime("%Y-%m-%dT%H:%M:%S")  # no datetime import: the same text
