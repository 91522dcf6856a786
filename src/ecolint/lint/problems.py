"""One finding per problem: when several rules flag the same code, show the one that matters.

A ``requests.get`` in a loop without a timeout is one place to change, not three; a
``@cache`` on a method is one decorator to rewrite. Findings on the same range are merged:
the most confident one is kept (a low-confidence finding is hidden by default, so it must
not swallow a high-confidence one: a missing timeout on a request whose loop may be
unbatchable), then the one with the highest rule impact, and the others become its
``related`` notes (JSON and SARIF keep them; the text output shows one line).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from ecolint.results import Finding

_RANK = {"high": 0, "medium": 1, "low": 2}


def one_per_problem(
    findings: Iterable[Finding], impact: Mapping[str, str] | None = None
) -> tuple[Finding, ...]:
    """``findings`` with those on the same range merged into the most important one;
    ``impact`` maps a rule id to its impact (default: every rule ``medium``)."""
    impact = impact or {}
    groups: dict[tuple[int, int, int, int], list[Finding]] = {}
    for finding in findings:
        span = (finding.line, finding.column, finding.end_line, finding.end_column)
        groups.setdefault(span, []).append(finding)
    kept = []
    for group in groups.values():
        if len(group) == 1:
            kept.append(group[0])
            continue
        group.sort(
            key=lambda f: (
                _RANK[f.confidence],
                _RANK[impact.get(f.code, "medium")],
                f.fix is None,
                f.code,
            )
        )
        first, *others = group
        notes = tuple((other.code, other.message) for other in others)
        kept.append(replace(first, related=first.related + notes))
    return tuple(kept)
