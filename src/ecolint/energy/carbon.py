"""Grid carbon intensity, offline, from the data files that codecarbon ships.

codecarbon is never imported here (0.2 s, and 1.5 s more to start a tracker): its data
files are located with ``importlib.util.find_spec`` and read as JSON. The result always
says where the figure comes from and for which year.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path
from typing import Literal

from ecolint.made_once import made_once

LBS_PER_MWH_TO_G_PER_KWH = 453.59237 / 1000
WORLD_AVERAGE_FALLBACK = 475.0


class CarbonError(ValueError):
    """An unusable carbon setting (unknown country or region, missing data)."""


@made_once
class GridIntensity:
    """Grams of CO2e per kWh of a grid, its zone, and where the figure comes from."""

    g_per_kwh: float
    zone: str
    source: str
    year: int | None = None


def codecarbon_data() -> Path:
    spec = importlib.util.find_spec("codecarbon")
    if spec is None or not spec.submodule_search_locations:
        raise CarbonError("codecarbon is not installed: pip install 'ecolint[energy]'")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "private_infra"


DataFile = Literal[
    "global_energy_mix.json", "carbon_intensity_per_source.json", "2023/usa_emissions.json"
]


@cache
def _json(name: DataFile) -> dict:
    return json.loads((codecarbon_data() / name).read_text(encoding="utf-8"))


def grid_intensity(
    country: str | None = None, region: str | None = None, override: float | None = None
) -> GridIntensity:
    """The intensity for a country (ISO 3166-1 alpha-3) or a US state, or the override."""
    if override is not None:
        if override < 0:
            raise CarbonError(f"grid intensity must be positive, got {override}")
        return GridIntensity(float(override), "configured", "set in the configuration")
    if region:
        return _us_state(region, country)
    if not country:
        sources = _json("carbon_intensity_per_source.json")
        value = float(sources.get("world_average", WORLD_AVERAGE_FALLBACK))
        return GridIntensity(
            value,
            "world",
            f"codecarbon world_average ({sources.get('world_average_source', 'IEA')})",
        )
    mix = _json("global_energy_mix.json")
    entry = mix.get(country.upper())
    if entry is None:
        raise CarbonError(
            f"unknown country code {country!r}: use an ISO 3166-1 alpha-3 code such as FRA, "
            "DEU or USA"
        )
    return GridIntensity(
        float(entry["carbon_intensity"]),
        entry.get("country_name", country.upper()),
        "codecarbon global_energy_mix (Our World in Data / Ember)",
        entry.get("year"),
    )


def _us_state(region: str, country: str | None) -> GridIntensity:
    if country and country.upper() != "USA":
        raise CarbonError(f"regions are supported for the USA only, not {country!r}")
    data = _json("2023/usa_emissions.json")
    entry = data.get(region.lower())
    if not isinstance(entry, dict) or "emissions" not in entry:
        raise CarbonError(f"unknown US state {region!r} (use its name, such as 'texas')")
    source = data.get("_source", {})
    return GridIntensity(
        float(entry["emissions"]) * LBS_PER_MWH_TO_G_PER_KWH,
        f"USA/{region.lower()}",
        f"codecarbon usa_emissions ({source.get('name', 'EPA eGRID')})",
        source.get("year"),
    )
