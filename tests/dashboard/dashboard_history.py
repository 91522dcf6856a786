"""History records for the dashboard tests, written out so each figure is known by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ecolint.records import HistoryRecord, RepoScore, ScorePart
from ecolint.scoring.repo_score import grade_for

START = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


def run(
    repository: str,
    day: int,
    score: float | None = 60.0,
    *,
    team: str = "core",
    energy_kwh: float | None = 0.002,
    carbon_g: float | None = 0.1,
    findings: dict[str, int] | None = None,
    ecoindex: dict[str, float] | None = None,
    commit: str = "",
    branch: str = "main",
) -> HistoryRecord:
    """One run ``day`` days after 2026-01-10 12:00 UTC."""
    grade = None if score is None else grade_for(score)
    parts = () if score is None else (ScorePart("code", score, grade_for(score), "from lint"),)
    return HistoryRecord(
        repository=repository,
        commit=commit or f"{abs(hash((repository, day))):040x}"[:40],
        recorded_at=(START + timedelta(days=day)).isoformat(),
        score=RepoScore(score, grade, parts),
        team=team,
        branch=branch,
        findings={"ECO102": 2, "ECO301": 1} if findings is None else findings,
        energy_kwh=energy_kwh,
        carbon_g=carbon_g,
        ecoindex={"http://127.0.0.1/": 62.0} if ecoindex is None else ecoindex,
    )


def small_history() -> list[HistoryRecord]:
    """Three repositories of two teams over about three months, one with every figure."""
    records = []
    for day in range(0, 80, 4):
        records.append(run("acme/api", day, 70 - day / 8, energy_kwh=0.002 + day / 10000))
        records.append(run("acme/web", day, 50 + day / 10, team="front"))
        records.append(
            run(
                "acme/data",
                day,
                40.0,
                ecoindex={"http://127.0.0.1/": 40.0 + day / 4, "http://127.0.0.1/shop": 30.0},
                findings={"ECO102": 1, "ECO401": 3, "ECO501": day % 3, "ECO704": 1},
            )
        )
    return records


def bare_run() -> HistoryRecord:
    """A run that measured nothing: no score, energy, carbon, page or finding."""
    return run("acme/bare", 79, None, energy_kwh=None, carbon_g=None, ecoindex={}, findings={})


MALICIOUS_REPOSITORY = '<script>alert("repo")</script>'
MALICIOUS_TEAM = '"><img src=x onerror=alert(1)>'
MALICIOUS_BRANCH = "<b onmouseover=alert(2)>x</b>"
MALICIOUS_URL = "javascript:alert('page')//<svg onload=alert(3)>"


def malicious_history() -> list[HistoryRecord]:
    """Names, branches, commits and URLs that would run script if printed unescaped."""
    return [
        run(
            MALICIOUS_REPOSITORY,
            day,
            60 - day,
            team=MALICIOUS_TEAM,
            branch=MALICIOUS_BRANCH,
            commit="</code><script>alert(4)</script>",
            ecoindex={MALICIOUS_URL: 50.0 + day},
            findings={"<i>ECO1</i>": 2, "ECO102": 1},
        )
        for day in range(0, 6, 2)
    ]
