"""A repository's page: its score and parts, findings by theme, figures over time, and the
commits that moved them."""

from __future__ import annotations

from collections.abc import Callable

from ecolint.dashboard.charts import PALETTE, Bar, Series, bar_chart, line_chart
from ecolint.dashboard.layout import card, change, grade_badge, table
from ecolint.dashboard.model import THEMES, Move, Point, RepositoryView
from ecolint.dashboard.overview import team_link
from ecolint.dashboard.svg import CARBON_UNITS, ENERGY_UNITS, esc, fmt, pick_unit
from ecolint.records import HotFinding

ROOT = "../"
MAX_PAGES_DRAWN = len(PALETTE)


def _chart_box(chart: str, missing: str) -> str:
    if not chart:
        return f'<p class="muted">{esc(missing)}</p>'
    return f'<div class="chart-box">{chart}</div>'


def _series(
    points: tuple[Point, ...], value: Callable[[Point], float | None], label: str, size: float = 1.0
) -> Series:
    pairs = [(p.seconds, v / size) for p in points if (v := value(p)) is not None]
    return Series(label, pairs)


def _figures_over_time(repository: RepositoryView) -> list[str]:
    points = repository.points
    energy_unit = pick_unit([p.energy_kwh for p in points if p.energy_kwh], ENERGY_UNITS)
    carbon_unit = pick_unit([p.carbon_g / 1000 for p in points if p.carbon_g], CARBON_UNITS)
    energy = _series(points, lambda p: p.energy_kwh, "energy per run", energy_unit[1])
    carbon = _series(
        points,
        lambda p: None if p.carbon_g is None else p.carbon_g / 1000,
        "carbon per run",
        carbon_unit[1],
    )
    urls = sorted({url for p in points for url in p.ecoindex})
    pages = [
        Series(url, [(p.seconds, p.ecoindex[url]) for p in points if url in p.ecoindex], colour)
        for url, colour in zip(urls, PALETTE, strict=False)
    ]
    more = len(urls) - MAX_PAGES_DRAWN
    parts = [
        "<h2>Energy of a test run</h2>",
        _chart_box(
            line_chart([energy], title="Energy per run", unit=energy_unit[0]),
            "Energy was never measured (run the tests with pytest --eco).",
        ),
        "<h2>Carbon of a test run</h2>",
        _chart_box(
            line_chart([carbon], title="Carbon per run", unit=f"{carbon_unit[0]} CO2e"),
            "Carbon was never measured (run the tests with pytest --eco).",
        ),
        "<h2>EcoIndex of the pages</h2>",
        _chart_box(
            line_chart(pages, title="EcoIndex per page", unit="0-100", y_range=(0, 100)),
            "No page was audited (ecolint web).",
        ),
    ]
    if more > 0:
        parts.append(f'<p class="muted">{more} more page(s) not drawn.</p>')
    return parts


def _themes_chart(repository: RepositoryView) -> str:
    order = [*THEMES.values(), "other"]
    counts = repository.findings_by_theme
    bars = [Bar(theme, float(counts[theme])) for theme in order if counts.get(theme)]
    return bar_chart(bars, title="Findings by theme in the latest run", unit="findings")


def _moves_table(moves: tuple[Move, ...]) -> str:
    if not moves:
        return '<p class="muted">No commit changed a figure yet.</p>'
    rows = [
        [
            f"{m.point.time:%Y-%m-%d}",
            f"<code>{esc(m.point.commit[:12])}</code>",
            esc(m.point.branch),
            change(m.score),
            change(None if m.energy is None else m.energy * 100, " %", higher_is_better=False),
            change(None if m.carbon is None else m.carbon * 100, " %", higher_is_better=False),
            change(m.ecoindex),
            change(float(m.findings), higher_is_better=False),
        ]
        for m in moves
    ]
    headers = [
        ("Date", False),
        ("Commit", False),
        ("Branch", False),
        ("Score", True),
        ("Energy", True),
        ("Carbon", True),
        ("EcoIndex", True),
        ("Findings", True),
    ]
    return table(headers, rows)


def _hot_table(hot: tuple[HotFinding, ...]) -> list[str]:
    """The latest run's hottest measured findings: where the profiled CPU time met a
    finding, so the first ones to fix. Nothing when that run had no profile."""
    if not hot:
        return []
    rows = [
        [
            f"<code>{esc(finding.rule)}</code>",
            f"<code>{esc(finding.path)}:{finding.line}</code>",
            f"{fmt(finding.share * 100)} %",
            f"{'≤ ' if finding.clock == 'sampled' else ''}{fmt(finding.joules)} J",
        ]
        for finding in hot
    ]
    headers = [
        ("Rule", False),
        ("Where", False),
        ("Share of samples", True),
        ("Energy per run", True),
    ]
    return [
        "<h2>Hottest findings in the latest run</h2>",
        '<p class="muted">Findings measured by the run\'s CPU profile (--profile), largest '
        "share of its samples first; energy is that of the CPU time on their lines.</p>",
        table(headers, rows),
    ]


def repository_page(repository: RepositoryView, team_slug: str) -> str:
    """The body of ``repositories/<slug>.html``."""
    latest = repository.latest
    points = repository.points
    score = line_chart(
        [_series(points, lambda p: p.score, "score")],
        title="Score",
        unit="0-100",
        y_range=(0, 100),
    )
    body = [
        f"<h1>{esc(repository.name)}</h1>",
        f'<p class="sub">Team: {team_link(repository.team, team_slug, ROOT)} · latest run '
        f"{latest.time:%Y-%m-%d %H:%M} UTC on <code>{esc(latest.commit[:12])}</code>"
        f"{' (' + esc(latest.branch) + ')' if latest.branch else ''} · {len(points)} runs</p>",
        '<div class="cards">',
        card("Grade", grade_badge(latest.grade, big=True)),
        card("Score", fmt(latest.score)),
        card("Findings", str(latest.findings)),
        card("Energy, latest run", _value(latest.energy_kwh, ENERGY_UNITS)),
        card("Carbon, latest run", _value(_kg(latest.carbon_g), CARBON_UNITS)),
        card("EcoIndex, mean of pages", fmt(latest.ecoindex_mean)),
        "</div>",
    ]
    if latest.parts:
        body += [
            "<h2>Parts of the latest score</h2>",
            table(
                [("Part", False), ("Score", True), ("Grade", False), ("From", False)],
                [
                    [esc(part.name), fmt(part.score), grade_badge(part.grade), esc(part.detail)]
                    for part in latest.parts
                ],
            ),
        ]
    body += _hot_table(repository.hot_findings)
    body += [
        "<h2>Score over time</h2>",
        _chart_box(score, "No run had a score."),
        "<h2>Findings by theme</h2>",
        _chart_box(_themes_chart(repository), "The latest run has no finding."),
        *_figures_over_time(repository),
        "<h2>Commits that moved the figures</h2>",
        '<p class="muted">The largest changes of each figure against the run before, newest '
        "first. Energy and carbon changes are relative.</p>",
        _moves_table(repository.moves),
    ]
    return "".join(body)


def _kg(grams: float | None) -> float | None:
    return None if grams is None else grams / 1000


def _value(value: float | None, units: tuple[tuple[str, float], ...]) -> str:
    if value is None:
        return '<span class="muted">not measured</span>'
    name, size = pick_unit([value], units)
    return f"{fmt(value / size)} {esc(name)}"
