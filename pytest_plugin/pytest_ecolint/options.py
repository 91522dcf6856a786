"""Command-line options of the plugin, and the merge with ``[tool.ecolint.energy]``."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ecolint.config import ConfigError, load_settings
from ecolint.config.energy import METERS, EnergySettings, checked


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("ecolint", "energy and carbon of the test run (ecolint)")
    group.addoption("--eco", action="store_true", help="Measure energy and carbon per test.")
    group.addoption(
        "--eco-json",
        metavar="PATH",
        help="Write the energy report (JSON) here (default: .eco/energy.json in the rootdir, "
        "where `ecolint score` and `ecolint history record` look for it).",
    )
    group.addoption("--eco-country", metavar="ISO3", help="Grid of this country, e.g. FRA.")
    group.addoption("--eco-region", metavar="NAME", help="Grid of this US state, e.g. texas.")
    group.addoption(
        "--eco-grid-intensity", type=float, metavar="G_PER_KWH", help="Grid intensity to use."
    )
    group.addoption("--eco-pue", type=float, metavar="PUE", help="Power usage effectiveness.")
    group.addoption(
        "--eco-watts-per-thread", type=float, metavar="W", help="Power of one busy CPU thread."
    )
    group.addoption(
        "--eco-meter",
        choices=METERS,
        help="How joules are obtained: the CPU-time model, RAPL counters, or one codecarbon "
        "tracker for the session beside them (codecarbon); auto (the default) runs "
        "codecarbon only where it measures what ecolint cannot (a GPU, macOS, Windows, "
        "RAPL psys), else RAPL where it counts, else the model.",
    )
    group.addoption(
        "--eco-csv",
        metavar="PATH",
        help="Append the session's row to this CSV, with the columns of codecarbon's "
        "emissions.csv (codecarbon's own figures with --eco-meter codecarbon, else "
        "ecolint's: the CPU-time model or RAPL as cpu_energy).",
    )
    group.addoption(
        "--eco-csv-tests",
        metavar="PATH",
        help="Append one row per test to this CSV, in codecarbon's task layout "
        "(task_name = the test's node id, run_id = the session row's).",
    )
    group.addoption(
        "--eco-top", type=int, default=10, metavar="N", help="Tests shown in the summary."
    )
    group.addoption(
        "--eco-precise",
        action="store_true",
        help="Count the instructions of every test (else only @pytest.mark.eco_precise).",
    )
    group.addoption(
        "--eco-precise-method",
        choices=("auto", "perf", "callgrind"),
        default="auto",
        help="Instruction counts from the PMU (perf), from valgrind (callgrind), or the PMU "
        "when it opens, else callgrind (auto, the default).",
    )
    group.addoption(
        "--eco-profile",
        nargs="?",
        const="",
        metavar="PATH",
        help="Also sample where the tests spend their CPU and write the profile here "
        "(default: .eco/profile.txt in the rootdir), for `ecolint check --profile`. "
        "Write --eco-profile=PATH, or put it after the test paths.",
    )


def energy_settings(config: pytest.Config) -> EnergySettings:
    """``[tool.ecolint.energy]`` from the nearest configuration, overridden by options."""
    try:
        settings = load_settings(start=config.rootpath).energy
    except ConfigError as error:
        raise pytest.UsageError(str(error)) from error
    overrides = {
        "country": config.getoption("eco_country"),
        "region": config.getoption("eco_region"),
        "grid_intensity": config.getoption("eco_grid_intensity"),
        "pue": config.getoption("eco_pue"),
        "watts_per_thread": config.getoption("eco_watts_per_thread"),
        "meter": config.getoption("eco_meter"),
        "csv": config.getoption("eco_csv") or _rooted(config, settings.csv),
        "csv_tests": config.getoption("eco_csv_tests") or _rooted(config, settings.csv_tests),
    }
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return checked(replace(settings, **given), "ecolint options")
    except ConfigError as error:
        raise pytest.UsageError(str(error)) from error


def _rooted(config: pytest.Config, value: str | None) -> str | None:
    """A path from the configuration: relative to pytest's rootdir, as the report's."""
    return str(config.rootpath / value) if value else None
