"""``[tool.ecolint.web]``: the pages ``ecolint web`` audits, how, and their budgets.

Budgets follow Lighthouse CI's assertions: each is ``{ level, min, max, aggregation }`` on
one metric, presets are plain data (``BUDGET_PRESETS``), a later table overrides an
earlier one key by key, and ``[[tool.ecolint.web.budgets.url]]`` tables override them for
the URLs that match a glob ``pattern``. ``level = "off"`` removes a budget.
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
)

# metric → what it measures; grades compare by letter (min = "B" means B or better).
BUDGET_METRICS: dict[str, str] = {
    "ecoindex:score": "EcoIndex score 0–100",
    "ecoindex:grade": "EcoIndex grade A–G",
    "ecoindex:ghg": "gCO2e per page view",
    "ecoindex:water": "centilitres of water per page view",
    "page:bytes": "bytes transferred (headers + compressed bodies)",
    "page:requests": "page-initiated requests",
    "page:dom": "DOM elements (svg descendants excluded)",
    "lighthouse:performance": "Lighthouse performance 0–100",
    "lighthouse:accessibility": "Lighthouse accessibility 0–100",
    "lighthouse:best-practices": "Lighthouse best practices 0–100",
    "lighthouse:seo": "Lighthouse SEO 0–100",
    "lighthouse:first-contentful-paint": "ms",
    "lighthouse:largest-contentful-paint": "ms",
    "lighthouse:total-blocking-time": "ms",
    "lighthouse:cumulative-layout-shift": "unitless",
    "lighthouse:total-byte-weight": "bytes, as Lighthouse counts them",
}
LEVELS = ("error", "warn", "off")
AGGREGATIONS = ("median", "optimistic", "pessimistic")
LIGHTHOUSE_PRESETS = ("desktop", "mobile")

# Plain data, as Lighthouse CI's presets. The EcoIndex "targets" of the reference method
# (600 DOM elements, 40 requests, 1024 kB) are the limits of the recommended preset.
BUDGET_PRESETS: dict[str, dict[str, dict[str, Any]]] = {
    "ecoindex:recommended": {
        "ecoindex:grade": {"level": "warn", "min": "C"},
        "page:dom": {"level": "warn", "max": 600},
        "page:requests": {"level": "warn", "max": 40},
        "page:bytes": {"level": "warn", "max": 1_024_000},
    },
    "ecoindex:strict": {
        "ecoindex:grade": {"level": "error", "min": "B"},
        "page:dom": {"level": "error", "max": 600},
        "page:requests": {"level": "error", "max": 40},
        "page:bytes": {"level": "error", "max": 1_024_000},
    },
    "lighthouse:recommended": {
        "lighthouse:performance": {"level": "warn", "min": 90},
        "lighthouse:accessibility": {"level": "warn", "min": 90},
        "lighthouse:best-practices": {"level": "warn", "min": 90},
        "lighthouse:seo": {"level": "warn", "min": 90},
    },
}


@dataclass(frozen=True)
class WebBudget:
    """One assertion; ``min``/``max`` are numbers, or grade letters for ecoindex:grade."""

    metric: str
    level: str = "error"
    min: float | str | None = None
    max: float | str | None = None
    aggregation: str | None = None  # None: the budgets' default aggregation


@dataclass(frozen=True)
class UrlBudgets:
    pattern: str  # fnmatch glob on the whole URL
    budgets: tuple[WebBudget, ...]


@dataclass(frozen=True)
class WebSettings:
    urls: tuple[str, ...] = ()
    runs: int = 1
    wait_before: float = 3.0  # seconds, ecoindex.fr parity; 0 for fast CI runs
    wait_after: float = 3.0
    viewport: tuple[int, int] = (1280, 720)  # what the reference renders (see web/measure.py)
    browser: str | None = None  # executable; default CHROME_PATH, then /usr/bin/chromium
    timeout: float = 30.0  # seconds for a page to load
    run_lighthouse: bool = False
    lighthouse: str | None = None  # path of the lighthouse executable
    lighthouse_preset: str = "desktop"
    journey: str | None = None  # a Python file with `async def journey(page)`
    aggregation: str = "median"
    budgets: tuple[WebBudget, ...] = ()
    url_budgets: tuple[UrlBudgets, ...] = field(default_factory=tuple)
    root: Path | None = None  # folder of the configuration file: relative paths start there


_KNOWN = {
    "urls",
    "runs",
    "wait-before",
    "wait-after",
    "viewport",
    "browser",
    "timeout",
    "run-lighthouse",
    "lighthouse",
    "lighthouse-preset",
    "journey",
    "budgets",
}


def parse_web(table: Any, path: Path) -> WebSettings:
    """Validate ``[tool.ecolint.web]``; every mistake raises ``ConfigError`` naming the key."""
    where = f"{path}: [tool.ecolint.web]"
    check_keys(table, where, sorted(_KNOWN))
    values: dict[str, Any] = {"root": path.parent.resolve()}
    if "urls" in table:
        urls = table["urls"]
        if not isinstance(urls, list) or not all(isinstance(u, str) and u for u in urls):
            raise ConfigError(f"{where}: urls must be a list of URLs")
        values["urls"] = tuple(urls)
    if "runs" in table:
        runs = table["runs"]
        if isinstance(runs, bool) or not isinstance(runs, int) or not 1 <= runs <= 50:
            raise ConfigError(f"{where}: runs must be a whole number from 1 to 50, got {runs!r}")
        values["runs"] = runs
    for key in ("wait-before", "wait-after", "timeout"):
        if key in table:
            values[key.replace("-", "_")] = _seconds(table[key], f"{where}: {key}")
    if "timeout" in values and values["timeout"] == 0:
        raise ConfigError(f"{where}: timeout must be more than 0 seconds")
    if "viewport" in table:
        values["viewport"] = _viewport(table["viewport"], where)
    for key, attribute in (
        ("browser", "browser"),
        ("lighthouse", "lighthouse"),
        ("journey", "journey"),
    ):
        if key in table:
            if not isinstance(table[key], str) or not table[key]:
                raise ConfigError(f"{where}: {key} must be a path")
            values[attribute] = table[key]
    if "run-lighthouse" in table:
        values["run_lighthouse"] = read_bool(table["run-lighthouse"], "run-lighthouse", where)
    if "lighthouse-preset" in table:
        values["lighthouse_preset"] = read_choice(
            table["lighthouse-preset"], "lighthouse-preset", where, LIGHTHOUSE_PRESETS
        )
    if "budgets" in table:
        values.update(_budget_section(table["budgets"], f"{where}.budgets"))
    return WebSettings(**values)


def _seconds(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 600:
        raise ConfigError(f"{where} must be a number of seconds from 0 to 600, got {value!r}")
    return float(value)


def _viewport(value: Any, where: str) -> tuple[int, int]:
    parts = value.lower().split("x") if isinstance(value, str) else value
    try:
        width, height = (int(part) for part in parts)
    except (TypeError, ValueError):
        raise ConfigError(f'{where}: viewport must be "WIDTHxHEIGHT", got {value!r}') from None
    if not (100 <= width <= 10_000 and 100 <= height <= 10_000):
        raise ConfigError(f"{where}: viewport {width}x{height} is out of range (100–10000)")
    return width, height


def _budget_section(table: Any, where: str) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    values: dict[str, Any] = {}
    if "aggregation" in table:
        values["aggregation"] = read_choice(
            table["aggregation"], "aggregation", where, AGGREGATIONS
        )
    merged: dict[str, WebBudget] = {}
    presets = table.get("preset", [])
    for name in [presets] if isinstance(presets, str) else presets:
        if name not in BUDGET_PRESETS:
            raise ConfigError(
                f"{where}: unknown preset {name!r}{did_you_mean(name, BUDGET_PRESETS)}; "
                f"known: {', '.join(BUDGET_PRESETS)}"
            )
        for metric, spec in BUDGET_PRESETS[name].items():
            merged[metric] = parse_budget(metric, spec, where)
    own = {k: v for k, v in table.items() if k not in {"aggregation", "preset", "url"}}
    for metric, spec in own.items():
        merged[metric] = parse_budget(metric, spec, where)
    values["budgets"] = tuple(merged.values())
    url_tables = table.get("url", [])
    if not isinstance(url_tables, list):
        raise ConfigError(f"{where}: url must be an array of tables ([[...budgets.url]])")
    overrides = []
    for index, entry in enumerate(url_tables):
        place = f"{where}.url[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("pattern"), str):
            raise ConfigError(f'{place} needs pattern = "glob on the URL"')
        budgets = tuple(
            parse_budget(metric, spec, place)
            for metric, spec in entry.items()
            if metric != "pattern"
        )
        overrides.append(UrlBudgets(entry["pattern"], budgets))
    values["url_budgets"] = tuple(overrides)
    return values


def parse_budget(metric: str, spec: Any, where: str) -> WebBudget:
    """``{ level, min, max, aggregation }`` or the string ``"off"``."""
    if metric not in BUDGET_METRICS:
        raise ConfigError(
            f"{where}: unknown budget {metric!r}{did_you_mean(metric, BUDGET_METRICS)}; "
            f"known: {', '.join(BUDGET_METRICS)}"
        )
    if spec == "off":
        return WebBudget(metric, level="off")
    if not isinstance(spec, dict) or set(spec) - {"level", "min", "max", "aggregation"}:
        raise ConfigError(f"{where}: {metric} must be a table of level, min, max, aggregation")
    level = spec.get("level", "error")
    if level not in LEVELS:
        raise ConfigError(
            f"{where}: {metric} level must be one of {', '.join(LEVELS)}, got {level!r}"
        )
    aggregation = spec.get("aggregation")
    if aggregation is not None and aggregation not in AGGREGATIONS:
        raise ConfigError(f"{where}: {metric} aggregation must be one of {', '.join(AGGREGATIONS)}")
    bounds = {key: spec.get(key) for key in ("min", "max")}
    if level != "off" and bounds["min"] is None and bounds["max"] is None:
        raise ConfigError(f"{where}: {metric} needs min or max")
    for key, value in bounds.items():
        if value is None:
            continue
        if metric == "ecoindex:grade":
            if value not in {"A", "B", "C", "D", "E", "F", "G"}:
                raise ConfigError(
                    f"{where}: {metric} {key} must be a grade letter A–G, got {value!r}"
                )
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{where}: {metric} {key} must be a number, got {value!r}")
    return WebBudget(metric, level, bounds["min"], bounds["max"], aggregation)
