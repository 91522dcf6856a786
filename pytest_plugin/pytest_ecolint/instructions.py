"""Precise mode on the reporting side: PMU counts as they came, callgrind for the rest.

Runs in the controller only (never in an xdist worker), once, after the last test: the
precise tests without a PMU count are run again in one pytest subprocess under callgrind.
Whatever goes wrong (no valgrind, no client requests, a crash) leaves those tests without a
count and a note in the summary; the session's outcome never changes.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from ecolint.energy.model import EnergyReport
from ecolint.energy.precise import PerfCounter, PmuUnavailable, count_with_callgrind


def add_callgrind_counts(
    config: pytest.Config,
    report: EnergyReport,
    raw: Mapping[str, Mapping[str, object]],
) -> list[str]:
    """Count the precise tests the PMU did not count; notes say what went wrong."""
    pending = [
        nodeid
        for nodeid, test in report.tests.items()
        if raw.get(nodeid, {}).get("precise")
        and test.instructions is None
        and test.outcome != "skipped"
    ]
    if not pending:
        return []
    if config.getoption("eco_precise_method") == "perf":
        return [f"{len(pending)} precise tests have no instruction count: {_pmu_reason()}"]
    terminal = config.pluginmanager.get_plugin("terminalreporter")
    if terminal is not None:
        terminal.write_line(
            f"ecolint: counting the instructions of {len(pending)} precise tests under "
            "callgrind (about 100x slower than a normal run)"
        )
    try:
        result = count_with_callgrind(pending, config.rootpath, _child_args(config))
    except KeyboardInterrupt:  # the child is killed; the report is still written
        return ["the callgrind run was interrupted; no instruction counts"]
    for nodeid in pending:
        if nodeid in result.counts:
            report.tests[nodeid].instructions = result.counts[nodeid]
            report.tests[nodeid].instructions_method = "callgrind"
    return [result.problem] if result.problem else []


def _child_args(config: pytest.Config) -> list[str]:
    """The parent's rootdir and configuration file; in one process even with xdist."""
    args = ["--rootdir", str(config.rootpath)]
    if config.inipath is not None:
        args += ["-c", str(config.inipath)]
    if config.pluginmanager.hasplugin("xdist"):
        args += ["-n", "0"]
    return args


def _pmu_reason() -> str:
    try:
        PerfCounter.open().close()
    except PmuUnavailable as error:
        return str(error)
    return "the PMU counter opened here but not in the process that ran them"
