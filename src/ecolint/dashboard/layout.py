"""The page shell every page shares: head (CSP, inline style), navigation, grade badges.

No script, no external resource: the Content-Security-Policy allows inline style and
``data:`` images only, so the site is the same offline, as a CI artifact or on GitHub
Pages, and a name that slipped past escaping could still not run.
"""

from __future__ import annotations

from collections.abc import Sequence

from ecolint.dashboard.svg import contrast_ratio, esc, signed
from ecolint.records import Grade

# EcoIndex's grade colours, so a tech lead reads a letter the way ecoindex.fr shows it.
GRADE_COLOURS: dict[str, str] = {
    "A": "#349A47",
    "B": "#51B84B",
    "C": "#CADB2A",
    "D": "#F6EB15",
    "E": "#FECD06",
    "F": "#F99839",
    "G": "#ED2124",
}
_DARK, _LIGHT = "#000000", "#ffffff"  # pure black: G red has 4.9:1 with it, 4.3:1 with white
UNGRADED = "#9aa5b1"

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

STYLE = """
:root{--ink:#1f2933;--muted:#52606d;--line:#e4e7eb;--bg:#f7f8fa;--card:#fff;--accent:#0b5cab}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,
sans-serif;color:var(--ink);background:var(--bg)}
header{background:#102a43;color:#fff;padding:.6rem 1.5rem}
header a{color:#fff;text-decoration:none;font-weight:600;margin-right:1.2rem}
header a:focus,header a:hover{text-decoration:underline}
main{max-width:1100px;margin:0 auto;padding:1.2rem 1.5rem 3rem}
h1{font-size:1.6rem;margin:.6rem 0 .2rem}h2{font-size:1.15rem;margin:2rem 0 .6rem}
.sub{color:var(--muted);margin:0 0 1rem}
a{color:var(--accent)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:.8rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem}
.card .label{color:var(--muted);font-size:.85rem}
.card .value{font-size:1.5rem;font-weight:650;font-variant-numeric:tabular-nums}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);
border-radius:8px;font-variant-numeric:tabular-nums}
th,td{padding:.45rem .7rem;border-bottom:1px solid var(--line);text-align:left;
vertical-align:middle}
th{font-size:.8rem;letter-spacing:.03em;color:var(--muted)}
td.num,th.num{text-align:right}
tr:last-child td{border-bottom:none}
.grade{display:inline-block;min-width:1.9em;padding:.1em .45em;border-radius:5px;
font-weight:700;text-align:center}
.grade.big{font-size:2.2rem;min-width:1.6em;border-radius:8px}
.chart-box{background:var(--card);border:1px solid var(--line);border-radius:8px;
padding:.6rem;margin:.4rem 0 1rem;overflow-x:auto}
svg{max-width:100%;height:auto}svg text{font:11px system-ui,sans-serif;fill:var(--muted)}
.legend{list-style:none;padding:0;margin:.3rem 0 0;display:flex;flex-wrap:wrap;gap:.4rem 1rem;
font-size:.85rem}
.swatch{display:inline-block;width:.9em;height:.9em;border-radius:2px;margin-right:.35em;
vertical-align:-.1em}
.worse{color:#b91c1c}.better{color:#047857}
.gauge{height:14px;background:var(--line);border-radius:7px;overflow:hidden;max-width:520px}
.gauge span{display:block;height:100%}
.muted{color:var(--muted)}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace}
footer{color:var(--muted);font-size:.8rem;text-align:center;padding:1rem}
"""


def text_colour(background: str) -> str:
    """Dark or white text, whichever contrasts more with ``background`` (WCAG 2)."""
    dark, light = contrast_ratio(background, _DARK), contrast_ratio(background, _LIGHT)
    return _DARK if dark >= light else _LIGHT


def grade_badge(grade: Grade | None, big: bool = False) -> str:
    """The grade letter on its EcoIndex colour; "–" on grey when the run had no score."""
    background = GRADE_COLOURS.get(grade or "", UNGRADED)
    label = grade or "–"
    title = f"grade {grade}" if grade else "not graded"
    css = "grade big" if big else "grade"
    return (
        f'<span class="{css}" style="background:{background};color:{text_colour(background)}" '
        f'title="{title}">{esc(label)}</span>'
    )


def change(value: float | None, suffix: str = "", higher_is_better: bool = True) -> str:
    """A change with an arrow and a colour class (the arrow carries the meaning too)."""
    if value is None:
        return '<span class="muted">–</span>'
    if value == 0:
        return "0"
    better = (value > 0) == higher_is_better
    arrow = "▲" if value > 0 else "▼"
    css = "better" if better else "worse"
    return f'<span class="{css}">{arrow} {signed(value)}{esc(suffix)}</span>'


def card(label: str, value: str) -> str:
    """A headline figure; ``value`` is HTML already (escaped by the caller)."""
    return (
        f'<div class="card"><div class="label">{esc(label)}</div>'
        f'<div class="value">{value}</div></div>'
    )


def table(headers: Sequence[tuple[str, bool]], rows: Sequence[Sequence[str]]) -> str:
    """A table; ``headers`` are (text, numeric); cells are HTML already (escaped by the caller)."""
    head = "".join(
        f'<th class="num">{esc(h)}</th>' if n else f"<th>{esc(h)}</th>" for h, n in headers
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{cell}</td>' if numeric else f"<td>{cell}</td>"
            for cell, (_, numeric) in zip(row, headers, strict=True)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def page(title: str, body: str, root: str, footer: str) -> str:
    """A whole HTML document; ``root`` is the relative path back to the site's top folder."""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<link rel="icon" href="data:,">'
        f"<title>{esc(title)} · ecolint</title><style>{STYLE}</style></head><body>"
        f'<header><nav><a href="{root}index.html">ecolint dashboard</a>'
        f'<a href="{root}indicators.csv">indicators (CSV)</a>'
        f'<a href="{root}indicators.json">indicators (JSON)</a></nav></header>'
        f"<main>{body}</main><footer>{footer}</footer></body></html>"
    )
