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
    }
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return checked(replace(settings, **given), "ecolint options")
    except ConfigError as error:
        raise pytest.UsageError(str(error)) from error
