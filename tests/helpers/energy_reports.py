"""Energy reports as ecolint reads them, for tests that check their figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ecolint.energy.reading import load_report


def read_energy_report(path: Path) -> dict[str, Any]:
    """The JSON document of ``path``, each test's row replaced by the test as
    :func:`~ecolint.energy.model.load_report` reads it: every field (``None`` where the
    report left it out), the derived joules and grams, and its clocks in seconds too.
    Reading through ecolint's reader also checks that the written report reads back."""
    document = json.loads(path.read_text(encoding="utf-8"))
    tests = load_report(path).tests
    document["tests"] = {
        nodeid: {**vars(test), "wall_s": test.wall_s, "cpu_s": test.cpu_s}
        for nodeid, test in tests.items()
    }
    return document


OPTIONAL_TEST_FIELDS = (
    "instructions",
    "instructions_method",
    "codecarbon_j",
    "gpu_j",
    "peak_rss_bytes",
    "peak_rss_growth_bytes",
)


def as_version_2(document: dict[str, Any]) -> dict[str, Any]:
    """A version 3 report (parsed JSON) as version 2 wrote it: each test with its seconds,
    joules and grams, and every optional field (null when absent)."""
    session = document["session"]
    g_per_j = session["intensity_g_per_kwh"] * session["pue"] / 3.6e6
    tests = {}
    for nodeid, row in document["tests"].items():
        energy_j = row["cpu_ns"] / 1e9 * session["watts_per_thread"]
        tests[nodeid] = {
            "wall_s": row["wall_ns"] / 1e9,
            "cpu_s": row["cpu_ns"] / 1e9,
            "energy_j": energy_j,
            "gco2e": energy_j * g_per_j,
            "outcome": row["outcome"],
            "worker": row["worker"],
            **{name: row.get(name) for name in OPTIONAL_TEST_FIELDS},
        }
    return {**document, "version": 2, "tests": tests}
