"""A self-contained HTML report (one file, inline CSS, no script, no external request).

Everything taken from the audited pages (titles, URLs, messages) is escaped.
"""

from __future__ import annotations

from html import escape

from ecolint.render.web.common import (
    kilobytes,
    metric,
    number,
    practice_counts,
    status_word,
)
from ecolint.web.model import LighthouseResult, PageResult, WebReport
from ecolint.wording import plural

GRADE_COLOURS = {
    "A": "#2e9e44",
    "B": "#57b846",
    "C": "#c6c12b",
    "D": "#f0b429",
    "E": "#f08a24",
    "F": "#e4572e",
    "G": "#b8202d",
}
LEVEL_COLOURS = {"A": "#2e9e44", "B": "#f0b429", "C": "#e4572e"}

_STYLE = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;
background:#f4f6f8;color:#1d2733}
header{background:#17324d;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;opacity:.8;font-size:13px}
main{max-width:1100px;margin:0 auto;padding:20px}
section{background:#fff;border-radius:10px;box-shadow:0 1px 3px #0002;margin:0 0 22px;
padding:18px 22px}
h2{font-size:17px;margin:0 0 4px;word-break:break-all}
.sub{color:#5b6b7b;font-size:13px;margin:0 0 12px}
.top{display:flex;gap:22px;align-items:center;flex-wrap:wrap}
.grade{width:84px;height:84px;border-radius:14px;color:#fff;font:700 46px/84px system-ui;
text-align:center}
.figs{display:grid;grid-template-columns:repeat(auto-fill,minmax(130px,1fr));gap:10px;flex:1}
.fig{background:#f4f6f8;border-radius:8px;padding:8px 10px}
.fig b{display:block;font-size:19px}
.fig span{color:#5b6b7b;font-size:12px}
table{border-collapse:collapse;width:100%;margin:10px 0}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e3e8ee;vertical-align:top;
font-size:13px}
th{color:#5b6b7b;font-weight:600}
.lvl{font-weight:700;color:#fff;border-radius:4px;padding:1px 7px}
.err{background:#fdecea;border-left:4px solid #e4572e;padding:8px 12px;margin:8px 0;
border-radius:4px}
.warn{background:#fff6e0;border-left:4px solid #f0b429;padding:8px 12px;margin:8px 0;
border-radius:4px}
.ok{color:#2e9e44}
.lh{display:flex;gap:14px;flex-wrap:wrap;margin:10px 0}
.gauge{width:74px;text-align:center;font-size:12px;color:#5b6b7b}
.gauge b{display:block;margin:0 auto 4px;width:54px;height:54px;border-radius:50%;
border:5px solid;font:700 19px/54px system-ui;color:#1d2733}
details summary{cursor:pointer;color:#17324d;font-weight:600;margin:8px 0}
code{font-size:12px;word-break:break-all}
.overview td:nth-child(n+3):not(:last-child){text-align:right}
.overview a{color:#17324d}
.mini{display:inline-block;width:22px;border-radius:4px;color:#fff;font-weight:700;
text-align:center}
footer{color:#5b6b7b;font-size:12px;padding:0 28px 24px;max-width:1100px;margin:0 auto}
"""


def render_html(report: WebReport) -> str:
    pages = "\n".join(_page(page, index) for index, page in enumerate(report.pages, 1))
    if len(report.pages) > 1:
        pages = _overview(report) + pages
    tools = f"{report.tool} · Chromium {report.browser or '–'}"
    if report.lighthouse:
        tools += f" · Lighthouse {report.lighthouse}"
    settings = report.settings
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width,initial-scale=1'>"
        f"<title>ecolint web · {plural(len(report.pages), 'page')}</title>"
        f"<style>{_STYLE}</style></head>"
        f"<body><header><h1>ecolint web audit</h1><p>{escape(tools)} · "
        f"{escape(_runs(settings.get('runs')))} per page · waits "
        f"{escape(str(settings.get('wait_before')))} s + "
        f"{escape(str(settings.get('wait_after')))} s"
        f" · viewport {escape(str(settings.get('viewport')))}</p></header><main>{pages}</main>"
        f"<footer>How figures are measured: {escape(report.method)}.</footer></body></html>\n"
    )


def _runs(runs: object) -> str:
    return plural(runs, "run") if isinstance(runs, int) else f"{runs} run(s)"


def _overview(report: WebReport) -> str:
    """One row per page, linked to its card, as the Markdown report's table."""
    rows = []
    for index, page in enumerate(report.pages, 1):
        eco = page.ecoindex
        grade = (
            f"<span class=mini style='background:{GRADE_COLOURS[eco.grade]}'>{eco.grade}</span>"
            f" {eco.score}"
            if eco
            else "–"
        )
        cells = [
            f"<a href='#page-{index}'>{escape(page.url)}</a>",
            grade,
            escape(kilobytes(page.bytes)),
            escape(number(page.requests)),
            escape(number(page.dom)),
            f"{eco.ghg:.2f}" if eco else "–",
            f"{eco.water:.2f}" if eco else "–",
            escape(status_word(page)),
        ]
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    head = "".join(
        f"<th>{name}</th>"
        for name in ("page", "EcoIndex", "weight", "requests", "DOM", "GHG (g)", "water (cl)")
    )
    return (
        f"<section><h2>Overview: {plural(len(report.pages), 'page')}</h2>"
        f"<table class=overview><tr>{head}<th>status</th></tr>{''.join(rows)}</table></section>"
    )


def _page(page: PageResult, index: int) -> str:
    parts = [f"<section id=page-{index}><h2>{escape(page.url)}</h2>"]
    sub = []
    if page.title:
        sub.append(escape(page.title))
    if page.final_url and page.final_url != page.url:
        sub.append(f"→ {escape(page.final_url)}")
    sub.append(escape(status_word(page)))
    parts.append(f"<p class=sub>{' · '.join(sub)}</p>")
    parts += [
        f"<div class=err><b>{escape(e.stage)}</b>: {escape(e.message)}</div>" for e in page.errors
    ]
    for budget in page.budgets:
        if not budget.passed:
            kind = "err" if budget.level == "error" else "warn"
            message = budget.message.removeprefix(f"{page.url}: ")  # the card names the URL
            parts.append(
                f"<div class={kind}>budget {escape(budget.level)}: {escape(message)}</div>"
            )
    if page.ecoindex is not None:
        eco = page.ecoindex
        figures = [
            (f"{eco.score}/100", "EcoIndex score"),
            (kilobytes(page.bytes), "transferred"),
            (number(page.requests), "requests"),
            (number(page.dom), "DOM elements"),
            (f"{eco.ghg:.2f} g", "CO2e per view"),
            (f"{eco.water:.2f} cl", "water per view"),
        ]
        cells = "".join(
            f"<div class=fig><b>{escape(v)}</b><span>{escape(k)}</span></div>" for v, k in figures
        )
        parts.append(
            f"<div class=top><div class=grade style='background:{GRADE_COLOURS[eco.grade]}'>"
            f"{eco.grade}</div><div class=figs>{cells}</div></div>"
        )
    if page.lighthouse is not None:
        parts.append(_lighthouse(page))
    if page.runs:
        rows = "".join(
            f"<tr><td>{i}</td><td>{r.grade} {r.score}</td><td>{kilobytes(r.bytes)}</td>"
            f"<td>{r.requests}</td><td>{r.dom}</td>"
            f"<td>{_performance(r.lighthouse)}</td></tr>"
            for i, r in enumerate(page.runs, 1)
        )
        parts.append(
            f"<details><summary>{_runs(len(page.runs))}</summary><table><tr><th>run</th>"
            "<th>EcoIndex</th><th>weight</th><th>requests</th><th>DOM</th><th>performance</th>"
            f"</tr>{rows}</table></details>"
        )
    if page.practices:
        parts.append(_practices(page))
    parts.append("</section>")
    return "".join(parts)


def _lighthouse(page: PageResult) -> str:
    lh = page.lighthouse
    assert lh is not None
    gauges = []
    for name, value in lh.categories.items():
        colour = (
            "#ccc"
            if value is None
            else "#2e9e44"
            if value >= 90
            else "#f0b429"
            if value >= 50
            else "#e4572e"
        )
        gauges.append(
            f"<div class=gauge><b style='border-color:{colour}'>{number(value)}</b>"
            f"{escape(name)}</div>"
        )
    timings = " · ".join(escape(metric(k, v)) for k, v in lh.metrics.items())
    return (
        f"<div class=lh>{''.join(gauges)}</div>"
        f"<p class=sub>Lighthouse {escape(lh.form_factor)}: {timings}</p>"
    )


def _performance(lighthouse: LighthouseResult | None) -> str:
    return "–" if lighthouse is None else number(lighthouse.categories.get("performance"))


def _practices(page: PageResult) -> str:
    rows = []
    for practice in sorted(page.practices, key=lambda p: p.level, reverse=True):
        offenders = "".join(f"<br><code>{escape(o)}</code>" for o in practice.offenders[:20])
        if len(practice.offenders) > 20:
            offenders += f"<br>… and {len(practice.offenders) - 20} more"
        rows.append(
            f"<tr><td><span class=lvl style='background:{LEVEL_COLOURS[practice.level]}'>"
            f"{practice.level}</span></td><td>{escape(practice.title)}</td>"
            f"<td>{escape(practice.detail)}{offenders}</td></tr>"
        )
    return (
        f"<details open><summary>Best practices: {practice_counts(page)}</summary><table>"
        f"<tr><th>level</th><th>practice</th><th>detail</th></tr>{''.join(rows)}</table></details>"
    )
