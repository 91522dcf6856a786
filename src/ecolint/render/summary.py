"""Counts shared by the reporters: per rule, per theme, fixable, errors."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ecolint.lint.themes import theme_of, theme_order
from ecolint.results import LintReport

RuleCount = tuple[str, str, int, int, int]  # code, name, count, safe fixes, unsafe fixes


@dataclass(frozen=True)
class ThemeCount:
    """The findings of one theme (``ecolint.lint.themes``), its rules most frequent first."""

    theme: str
    findings: int
    rules: list[RuleCount]


@dataclass(frozen=True)
class Summary:
    findings: int
    files: int
    files_with_findings: int
    fixable_safe: int
    fixable_unsafe: int
    fixes_applied: int
    internal_errors: int
    per_rule: list[RuleCount]  # most frequent first
    per_theme: list[ThemeCount]  # in catalogue order: loops, I/O, network, …

    @classmethod
    def of(cls, report: LintReport) -> Summary:
        findings = report.findings
        counts: Counter[tuple[str, str]] = Counter((f.code, f.name) for f in findings)
        safe: Counter[str] = Counter(
            f.code for f in findings if f.fix and f.fix.applicability == "safe"
        )
        unsafe: Counter[str] = Counter(
            f.code for f in findings if f.fix and f.fix.applicability == "unsafe"
        )
        per_rule = [
            (code, name, count, safe[code], unsafe[code])
            for (code, name), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        return cls(
            findings=len(findings),
            files=len(report.files),
            files_with_findings=sum(1 for r in report.files if r.findings),
            fixable_safe=sum(safe.values()),
            fixable_unsafe=sum(unsafe.values()),
            fixes_applied=report.fixes_applied,
            internal_errors=len(report.errors),
            per_rule=per_rule,
            per_theme=_per_theme(per_rule),
        )


def _per_theme(per_rule: list[RuleCount]) -> list[ThemeCount]:
    themes: dict[str, list[RuleCount]] = {}
    for row in sorted(per_rule, key=lambda row: theme_order(row[0])):
        themes.setdefault(theme_of(row[0]), []).append(row)
    return [
        ThemeCount(theme, sum(row[2] for row in rows), [r for r in per_rule if r in rows])
        for theme, rows in themes.items()
    ]
