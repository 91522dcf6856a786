"""``[tool.ecolint.energy]``: the pytest plugin's settings and budgets, validated.

A budget is a number (an error-level maximum) or a table ``{ max = …, level = "warn" }``,
as in Lighthouse CI's assertions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecolint.config.values import (
    ConfigError,
    check_keys,
    did_you_mean,
    read_bool,
    read_choice,
    read_positive,
)

# Where `pytest --eco` writes its report unless told otherwise, relative to pytest's
# rootdir, and where `ecolint score`, `history record` and `ecolint ci` look for it.
DEFAULT_ENERGY_REPORT = Path(".eco") / "energy.json"
# Where `pytest --eco --eco-profile` (or `profile = true`) writes the run's CPU profile,
# relative to the rootdir: collapsed stacks for `ecolint check --profile`.
DEFAULT_PROFILE = Path(".eco") / "profile.txt"

BUDGET_METRICS = {
    "suite-energy-j": ("suite", "energy_j"),
    "suite-gco2e": ("suite", "gco2e"),
    "suite-cpu-s": ("suite", "cpu_s"),
    "test-cpu-ms": ("test", "cpu_ms"),
    "test-energy-j": ("test", "energy_j"),
}
LEVELS = ("error", "warn")
# How a session's joules are obtained (``--eco-meter``): ``auto`` runs codecarbon only where
# it measures what ecolint cannot (a GPU, macOS, Windows, RAPL psys), else RAPL where it
# counts, else the CPU-time model (ecolint.energy.meters.choose_meter).
METERS = ("auto", "model", "rapl", "codecarbon")


@dataclass(frozen=True)
class Budget:
    scope: str  # "suite" or "test"
    metric: str
    limit: float
    level: str = "error"


@dataclass(frozen=True)
class EnergySettings:
    enabled: bool = False
    country: str | None = None
    region: str | None = None
    grid_intensity: float | None = None
    pue: float = 1.0
    watts_per_thread: float | None = None
    embodied_g_per_hour: float = 0.0
    meter: str = "auto"
    budgets: tuple[Budget, ...] = field(default_factory=tuple)
    profile: str | None = None  # where to write the run's profile (rootdir-relative)
    # codecarbon's emissions.csv (one row per session) and the per-test task CSV; from the
    # configuration rootdir-relative, from --eco-csv / --eco-csv-tests as given
    csv: str | None = None
    csv_tests: str | None = None


_NUMBERS = {
    "grid-intensity": "grid_intensity",
    "pue": "pue",
    "watts-per-thread": "watts_per_thread",
    "embodied-g-per-hour": "embodied_g_per_hour",
}
_STRINGS = {"country": "country", "region": "region"}
_PATHS = {"csv": "csv", "csv-tests": "csv_tests"}
_KNOWN = {"enabled", "meter", "budget", "profile", *_NUMBERS, *_STRINGS, *_PATHS}


def parse_energy(table: Any, path: Path) -> EnergySettings:
    where = f"{path}: [tool.ecolint.energy]"
    check_keys(table, where, sorted(_KNOWN))
    values: dict[str, Any] = {}
    if "enabled" in table:
        values["enabled"] = read_bool(table["enabled"], "enabled", where)
    for key, attribute in _STRINGS.items():
        if key in table:
            if not isinstance(table[key], str):
                raise ConfigError(f"{where}: {key} must be a string")
            values[attribute] = table[key]
    for key, attribute in _NUMBERS.items():
        if key in table:
            values[attribute] = read_positive(table[key], key, where)
    if "meter" in table:
        values["meter"] = read_choice(table["meter"], "meter", where, METERS)
    if "budget" in table:
        values["budgets"] = _budgets(table["budget"], where)
    if "profile" in table:
        values["profile"] = _profile(table["profile"], where)
    for key, attribute in _PATHS.items():
        if key in table:
            if not isinstance(table[key], str) or not table[key].strip():
                raise ConfigError(f"{where}: {key} must be a file path, got {table[key]!r}")
            values[attribute] = table[key]
    return checked(EnergySettings(**values), where)


def checked(settings: EnergySettings, where: str) -> EnergySettings:
    """The physical limits, for the configuration and the command-line options alike:
    a PUE below 1 or a negative power or intensity would give figures that cannot be."""
    problems = []
    if settings.pue < 1:
        problems.append(
            f"pue must be at least 1 (a data centre uses no less than its IT), got {settings.pue:g}"
        )
    for name, value in (
        ("grid-intensity", settings.grid_intensity),
        ("watts-per-thread", settings.watts_per_thread),
        ("embodied-g-per-hour", settings.embodied_g_per_hour),
    ):
        if value is not None and not value >= 0:
            problems.append(f"{name} must be a positive number, got {value:g}")
    if problems:
        raise ConfigError(f"{where}: {'; '.join(problems)}")
    return settings


def _profile(value: Any, where: str) -> str | None:
    """``profile = true`` (the default path), ``false``, or a path to write it to."""
    if isinstance(value, bool):
        return DEFAULT_PROFILE.as_posix() if value else None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: profile must be true, false or a file path, got {value!r}")
    return value


def _budgets(table: Any, where: str) -> tuple[Budget, ...]:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: budget must be a table such as budget.suite-cpu-s = 30")
    budgets = []
    for key, value in table.items():
        if key not in BUDGET_METRICS:
            raise ConfigError(
                f"{where}: unknown budget {key!r}{did_you_mean(key, BUDGET_METRICS)}; "
                f"known: {', '.join(BUDGET_METRICS)}"
            )
        level = "error"
        if isinstance(value, dict):
            if set(value) - {"max", "level"} or "max" not in value:
                raise ConfigError(f"{where}: budget.{key} takes max and level, got {sorted(value)}")
            level = value.get("level", "error")
            value = value["max"]
        if level not in LEVELS:
            raise ConfigError(f"{where}: budget.{key} level must be error or warn, got {level!r}")
        scope, metric = BUDGET_METRICS[key]
        budgets.append(Budget(scope, metric, read_positive(value, f"budget.{key}", where), level))
    return tuple(budgets)
