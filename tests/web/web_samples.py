"""A hand-built web report for the renderer and loader tests (no browser needed)."""

from __future__ import annotations

from ecolint.scoring.ecoindex import ecoindex
from ecolint.web.model import (
    LighthouseResult,
    PageBudgetResult,
    PageError,
    PageResult,
    PageRun,
    Practice,
    WebReport,
)

URL = "http://127.0.0.1:8000/"
HOSTILE_TITLE = "<script>alert(1)</script> | *bold* [link](http://evil)"


def sample_report() -> WebReport:
    lighthouse = LighthouseResult(
        "12.2.3",
        "desktop",
        {"performance": 98, "accessibility": 91, "best-practices": 96, "seo": 90},
        {"first-contentful-paint": 350.5, "cumulative-layout-shift": 0.0123},
    )
    good = PageResult(
        url="http://127.0.0.1:8000/",
        final_url="http://127.0.0.1:8000/",
        title=HOSTILE_TITLE,
        status=200,
        dom=154,
        requests=6,
        bytes=8203,
        ecoindex=ecoindex(154, 6, 8.203),
        lighthouse=lighthouse,
        practices=(
            Practice("compress-text", "Compress text resources", "C", "50% compressed", ("http://127.0.0.1:8000/<img>.css",)),
            Practice("domains", "Limit the number of domains", "A", "1 domains"),
        ),
        runs=(PageRun(154, 6, 8203, 90, "A", lighthouse),),
        budgets=(
            PageBudgetResult("page:bytes", "error", "median", None, 5000, 8203, False,
                         f"{URL}: page:bytes 8203 is above max 5000 (median of 1 run)"),
        ),
    )  # fmt: skip
    broken = PageResult(
        url="http://127.0.0.1:8000/missing",
        errors=(PageError("response", "HTTP 404 Not Found: not audited"),),
    )
    return WebReport(
        tool="ecolint 0.1.0",
        browser="150.0",
        lighthouse="12.2.3",
        method="test method",
        settings={"runs": 1, "wait_before": 0.0, "wait_after": 0.0, "viewport": "1920x1080",
                  "aggregation": "median", "lighthouse_preset": "desktop"},
        pages=(good, broken),
    )  # fmt: skip
