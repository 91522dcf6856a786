"""Speed of `ecolint web` on five fixture pages served on 127.0.0.1, waits set to 0.

Side by side, in one run, interleaved round by round (so load drifts hit both equally):

1. EcoIndex only: ecolint's audit (one browser for the five pages) against the same audit
   with a browser (and Playwright) launched per page. Target: ≤ 2 s a page.
2. With ``--lighthouse``: the combined audit (EcoIndex + Lighthouse attached to the same
   browser) against the Lighthouse CLI alone (``CHROME_PATH``, its own Chrome per page) on
   the same pages. Target: combined ≤ 1.1× Lighthouse alone.

Prints every round, the medians and the ratios. Not a test: timings on a shared machine
are noisy, so read the medians and the spread together.

    python bench/web_speed.py [--rounds 3] [--lighthouse] [--lighthouse-rounds 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "web"))

from web_sites import (  # noqa: E402
    FixtureServer,
    fast_options,
    lazy_site,
    plain_site,
    redirect_site,
    svg_site,
)

from ecolint.web.audit import run_web_audit  # noqa: E402
from ecolint.web.browser import CHROMIUM_FLAGS, find_browser  # noqa: E402
from ecolint.web.lighthouse import find_lighthouse  # noqa: E402


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def audit_checked(urls: list[str], **options: object) -> None:
    report = run_web_audit(urls, fast_options(**options))
    failures = [(page.url, page.errors) for page in report.pages if page.errors]
    if failures:
        raise SystemExit(f"audit failed: {failures}")


def lighthouse_cli(executable: Path, browser: Path, url: str) -> None:
    flags = " ".join(CHROMIUM_FLAGS)
    completed = subprocess.run(
        [str(executable), url, f"--chrome-flags={flags}", "--output=json",
         "--output-path=stdout", "--quiet", "--preset=desktop"],
        env={**os.environ, "CHROME_PATH": str(browser)},
        capture_output=True, timeout=300,
    )  # fmt: skip
    if completed.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}: {completed.stderr.decode()[-500:]}")


def report(name: str, label_a: str, a: list[float], label_b: str, b: list[float], pages: int):
    med_a, med_b = statistics.median(a), statistics.median(b)
    print(f"\n{name} ({len(a)} rounds, {pages} pages, seconds per round):")
    print(f"  {label_a:<40} {' '.join(f'{x:6.2f}' for x in a)}  median {med_a:6.2f}"
          f"  = {med_a / pages:5.2f} s/page")  # fmt: skip
    print(f"  {label_b:<40} {' '.join(f'{x:6.2f}' for x in b)}  median {med_b:6.2f}"
          f"  = {med_b / pages:5.2f} s/page")  # fmt: skip
    ratios = [y / x for x, y in zip(a, b, strict=True)]
    print(f"  ratio {label_b} / {label_a}: median {statistics.median(ratios):.2f}"
          f" (per round {', '.join(f'{r:.2f}' for r in ratios)})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--lighthouse", action="store_true")
    parser.add_argument("--lighthouse-rounds", type=int, default=2)
    args = parser.parse_args()
    sites = [plain_site(), plain_site(gzip=True, cache=True), svg_site(), lazy_site()]
    with ExitStack() as stack:
        servers = [stack.enter_context(FixtureServer(site)) for site in sites]
        redirects = stack.enter_context(FixtureServer(redirect_site()))
        urls = [server.url("/") for server in servers] + [redirects.url("/old")]
        print(f"{len(urls)} pages: {', '.join(urls)}")
        print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores shared: timings are noisy)")
        audit_checked(urls[:1])  # warm the disk cache: Chromium, Playwright's driver
        one, per_page = [], []
        for _ in range(args.rounds):
            one.append(timed(lambda: audit_checked(urls)))
            per_page.append(timed(lambda: [audit_checked([url]) for url in urls]))
        report(
            "EcoIndex only", "one browser (ecolint)", one, "browser per page", per_page, len(urls)
        )
        if args.lighthouse:
            lighthouse = find_lighthouse(None, ROOT)
            browser = find_browser(None)
            combined, alone = [], []
            for _ in range(args.lighthouse_rounds):
                alone.append(timed(lambda: [lighthouse_cli(lighthouse, browser, u) for u in urls]))
                combined.append(timed(lambda: audit_checked(urls, run_lighthouse=True)))
            report(
                "With Lighthouse", "Lighthouse CLI alone", alone,
                "ecolint EcoIndex + Lighthouse", combined, len(urls),
            )  # fmt: skip
        print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
