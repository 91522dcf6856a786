"""Score and history records: a repository's score with its parts, and one run of ecolint
as the history stores keep it and the dashboard reads it.

Plain frozen data, apart from the lint results in :mod:`ecolint.results` (findings, files,
rules): those come from the engine, these from :mod:`ecolint.scoring` and
:mod:`ecolint.history`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Grade = Literal["A", "B", "C", "D", "E", "F", "G"]
# How many of a run's measured findings a history record keeps: the dashboard's table
TOP_HOT_FINDINGS = 10


@dataclass(frozen=True, slots=True)
class ScorePart:
    """One measured part of the repository score (``code``, ``tests`` or ``web``).

    ``detail`` says in one line what the figure was made from, for the reports.
    """

    name: str
    score: float
    grade: Grade
    detail: str = ""


@dataclass(frozen=True, slots=True)
class RepoScore:
    """The repository's ecodesign score 0–100 and grade; only measured parts count."""

    score: float | None
    grade: Grade | None
    parts: tuple[ScorePart, ...] = ()


@dataclass(frozen=True, slots=True)
class HotFinding:
    """One of the findings a CPU profile measured hottest in a recorded run
    (``--profile``): where it is, its share of the profile's samples and its joules."""

    rule: str
    path: str
    line: int
    share: float
    joules: float
    clock: str = "cpu"  # "sampled": the joules are an upper bound (results.Measured.clock)


@dataclass(frozen=True, slots=True)
class HistoryRecord:
    """One run of ecolint on one commit of one repository, as the history stores keep it.

    ``findings`` maps a rule id to its count; ``ecoindex`` maps a URL to its EcoIndex score.
    Energy is in kWh and carbon in gCO2e, ``None`` when that part was not measured.
    """

    repository: str
    commit: str
    recorded_at: str  # ISO 8601, UTC
    score: RepoScore
    team: str = ""
    branch: str = ""
    findings: dict[str, int] = field(default_factory=dict)
    energy_kwh: float | None = None
    carbon_g: float | None = None
    ecoindex: dict[str, float] = field(default_factory=dict)
    lines_of_code: int = 0
    tool_version: str = ""
    # The run's hottest measured findings, largest share first (at most TOP_HOT_FINDINGS);
    # empty when it had no profile
    hot_findings: tuple[HotFinding, ...] = ()
