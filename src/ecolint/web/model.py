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

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ecolint.documents import DocumentError, DocumentType
from ecolint.scoring.ecoindex import GRADES, EcoIndex

REPORT_VERSION = 1


class WebReportError(DocumentError):
    """A web report file that cannot be read or does not have the version-1 shape."""


WEB_REPORT = DocumentType(
    "web report",
    REPORT_VERSION,
    WebReportError,
    wrong_version="web report version {found} is not supported (expected {expected}); "
    "re-run `ecolint web --format json` with this ecolint",
    every_field=True,
)


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
class PageRun:
    """One measurement of one page (a fresh browser context), with its own EcoIndex."""

    dom: int
    requests: int
    bytes: int
    score: int
    grade: str
    lighthouse: LighthouseResult | None = None


@dataclass(frozen=True)
class PageBudgetResult:
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
    runs: tuple[PageRun, ...] = ()
    errors: tuple[PageError, ...] = ()
    budgets: tuple[PageBudgetResult, ...] = ()

    @property
    def failed_budgets(self) -> list[PageBudgetResult]:
        return [b for b in self.budgets if not b.passed and b.level == "error"]

    @property
    def warned_budgets(self) -> list[PageBudgetResult]:
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


def load_web_report(path: str | Path) -> WebReport:
    """Read a report written by ``ecolint web --format json``.

    Raises ``WebReportError`` naming the file and the problem when the file is missing, is
    not JSON, has another version or lacks a field.
    """
    return WEB_REPORT.load(Path(path), report_from_dict)


def report_from_dict(data: Any) -> WebReport:
    """A report from its parsed JSON: every field of its type, each EcoIndex grade a letter."""
    data = WEB_REPORT.check(data)
    pages = data.get("pages")
    for page in pages if isinstance(pages, list) else ():
        eco = page.get("ecoindex") if isinstance(page, dict) else None
        if isinstance(eco, dict) and eco.get("grade") not in GRADES:
            raise WebReportError(f"page {page.get('url')}: bad ecoindex grade {eco.get('grade')!r}")
    return WEB_REPORT.build(WebReport, data)
