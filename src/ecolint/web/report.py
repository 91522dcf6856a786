"""The web audit report: frozen records, their versioned JSON shape, and its loader.

This is a contract with the repository score and the GitHub Action, which read the JSON
written by ``ecolint web --format json``. The shape (``"version": 1``)::

    {"version": 1, "tool": "ecolint 0.1.0", "browser": "150.0…", "lighthouse": "12.2.3"|null,
     "method": "…how DOM, requests and bytes are counted…",
     "settings": {"runs", "wait_before", "wait_after", "viewport", "aggregation",
                  "lighthouse_preset"},
     "pages": [{"url", "final_url", "title", "status",
                "dom", "requests", "bytes",                       # medians over runs, or null
                "ecoindex": {"score", "grade", "ghg", "water"} | null,
                "lighthouse": {"version", "form_factor", "categories": {name: 0–100|null},
                               "metrics": {name: number|null}} | null,
                "practices": [{"id", "title", "level": "A"|"B"|"C", "detail", "offenders": [url]}],
                "runs": [{"dom", "requests", "bytes", "score", "grade", "lighthouse": {…}|null}],
                "errors": [{"stage", "message"}],
                "budgets": [{"metric", "level", "aggregation", "min", "max", "value", "passed",
                             "message"}]}]}

Figures: ``bytes`` are transferred bytes (headers + compressed bodies), EcoIndex uses
kB = bytes / 1000; Lighthouse categories are 0–100; metrics are in ms (CLS unitless,
total-byte-weight in bytes). ``null`` means "not measured" (see ``errors``).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ecolint.scoring.ecoindex import GRADES, EcoIndex

REPORT_VERSION = 1


class WebReportError(ValueError):
    """A web report file that cannot be read or does not have the version-1 shape."""


@dataclass(frozen=True)
class PageError:
    """Why (part of) a page could not be audited; ``stage`` says where it failed."""

    stage: str  # browser, navigation, response, journey, measure, lighthouse
    message: str


@dataclass(frozen=True)
class Practice:
    """One best-practice check: level A (fine), B (could do better) or C (fix it)."""

    id: str
    title: str
    level: str
    detail: str
    offenders: tuple[str, ...] = ()


@dataclass(frozen=True)
class LighthouseResult:
    version: str
    form_factor: str
    categories: dict[str, float | None]
    metrics: dict[str, float | None]


@dataclass(frozen=True)
class RunResult:
    """One measurement of one page (a fresh browser context), with its own EcoIndex."""

    dom: int
    requests: int
    bytes: int
    score: int
    grade: str
    lighthouse: LighthouseResult | None = None


@dataclass(frozen=True)
class BudgetResult:
    metric: str
    level: str
    aggregation: str
    min: float | str | None
    max: float | str | None
    value: float | str | None
    passed: bool
    message: str


@dataclass(frozen=True)
class PageResult:
    url: str
    final_url: str = ""
    title: str = ""
    status: int | None = None
    dom: int | None = None
    requests: int | None = None
    bytes: int | None = None
    ecoindex: EcoIndex | None = None
    lighthouse: LighthouseResult | None = None
    practices: tuple[Practice, ...] = ()
    runs: tuple[RunResult, ...] = ()
    errors: tuple[PageError, ...] = ()
    budgets: tuple[BudgetResult, ...] = ()

    @property
    def failed_budgets(self) -> list[BudgetResult]:
        return [b for b in self.budgets if not b.passed and b.level == "error"]

    @property
    def warned_budgets(self) -> list[BudgetResult]:
        return [b for b in self.budgets if not b.passed and b.level == "warn"]


@dataclass(frozen=True)
class WebReport:
    tool: str
    browser: str
    lighthouse: str | None
    method: str
    settings: dict[str, Any]
    pages: tuple[PageResult, ...] = ()
    version: int = REPORT_VERSION

    @property
    def has_errors(self) -> bool:
        return any(page.errors for page in self.pages)

    @property
    def has_failed_budgets(self) -> bool:
        return any(page.failed_budgets for page in self.pages)


def report_to_dict(report: WebReport) -> dict[str, Any]:
    """The version-1 JSON shape (plain dicts and lists)."""
    data = asdict(report)
    return {"version": data.pop("version"), **data}


def write_web_report(report: WebReport, path: Path) -> None:
    path.write_text(json.dumps(report_to_dict(report), indent=2) + "\n", encoding="utf-8")


def load_web_report(path: str | Path) -> WebReport:
    """Read a report written by ``ecolint web --format json``.

    Raises ``WebReportError`` naming the file and the problem when the file is missing, is
    not JSON, has another version or lacks a field.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise WebReportError(f"{path}: cannot read the web report: {error.strerror}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise WebReportError(f"{path}: not a JSON web report: {error}") from error
    try:
        return report_from_dict(data)
    except WebReportError as error:
        raise WebReportError(f"{path}: {error}") from error


def report_from_dict(data: Any) -> WebReport:
    if not isinstance(data, dict):
        raise WebReportError("a web report is a JSON object")
    if data.get("version") != REPORT_VERSION:
        raise WebReportError(
            f"web report version {data.get('version')!r} is not supported (expected "
            f"{REPORT_VERSION}); re-run `ecolint web --format json` with this ecolint"
        )
    try:
        pages = tuple(_page(page) for page in _list(data, "pages"))
        return WebReport(
            tool=str(data["tool"]),
            browser=str(data["browser"]),
            lighthouse=data["lighthouse"],
            method=str(data["method"]),
            settings=dict(data["settings"]),
            pages=pages,
        )
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, WebReportError):
            raise
        raise WebReportError(f"malformed web report: missing or wrong field {error}") from error


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data[key]
    if not isinstance(value, list):
        raise WebReportError(f"{key!r} must be a list")
    return value


def _page(data: dict[str, Any]) -> PageResult:
    if not isinstance(data, dict) or not isinstance(data.get("url"), str):
        raise WebReportError("each page needs a url")
    eco = data["ecoindex"]
    if eco is not None and eco.get("grade") not in GRADES:
        raise WebReportError(f"page {data['url']}: bad ecoindex grade {eco.get('grade')!r}")
    return PageResult(
        url=data["url"],
        final_url=data["final_url"],
        title=data["title"],
        status=data["status"],
        dom=data["dom"],
        requests=data["requests"],
        bytes=data["bytes"],
        ecoindex=EcoIndex(**eco) if eco is not None else None,
        lighthouse=_lighthouse(data["lighthouse"]),
        practices=tuple(
            Practice(**{**p, "offenders": tuple(p["offenders"])}) for p in _list(data, "practices")
        ),
        runs=tuple(
            RunResult(**{**r, "lighthouse": _lighthouse(r["lighthouse"])})
            for r in _list(data, "runs")
        ),
        errors=tuple(PageError(**e) for e in _list(data, "errors")),
        budgets=tuple(BudgetResult(**b) for b in _list(data, "budgets")),
    )


def _lighthouse(data: dict[str, Any] | None) -> LighthouseResult | None:
    return None if data is None else LighthouseResult(**data)
