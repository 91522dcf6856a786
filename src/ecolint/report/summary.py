"""Counts shared by the reporters: per rule, fixable, errors."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ecolint.results import LintReport


@dataclass(frozen=True)
class Summary:
    findings: int
    files: int
    files_with_findings: int
    fixable_safe: int
    fixable_unsafe: int
    fixes_applied: int
    internal_errors: int
    per_rule: list[tuple[str, str, int, int]]  # code, name, count, fixable

    @classmethod
    def of(cls, report: LintReport) -> Summary:
        findings = report.findings
        counts: Counter[tuple[str, str]] = Counter((f.code, f.name) for f in findings)
        fixable: Counter[str] = Counter(f.code for f in findings if f.fix is not None)
        return cls(
            findings=len(findings),
            files=len(report.files),
            files_with_findings=sum(1 for r in report.files if r.findings),
            fixable_safe=sum(1 for f in findings if f.fix and f.fix.applicability == "safe"),
            fixable_unsafe=sum(1 for f in findings if f.fix and f.fix.applicability == "unsafe"),
            fixes_applied=report.fixes_applied,
            internal_errors=len(report.errors),
            per_rule=[
                (code, name, count, fixable[code])
                for (code, name), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
        )
