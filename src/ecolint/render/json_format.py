"""Versioned JSON report with stable keys (``version`` changes when a key changes)."""

from __future__ import annotations

import json
from dataclasses import asdict

from ecolint.render.summary import Summary
from ecolint.results import Finding, LintReport
from ecolint.version import VERSION

# 2: findings carry confidence, kind, related; summary.hidden
# 3: findings carry measured (null without a profile), summary.below_cost, profiles
SCHEMA_VERSION = 3


def finding_dict(finding: Finding) -> dict[str, object]:
    return {
        "code": finding.code,
        "name": finding.name,
        "message": finding.message,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "severity": finding.severity,
        "fix": None if finding.fix is None else asdict(finding.fix),
        "fingerprint": finding.fingerprint,
        "confidence": finding.confidence,
        "kind": finding.kind,
        "related": [{"code": code, "message": message} for code, message in finding.related],
        # {share, samples, cpu_s, joules, profile, clock}: share 0..1 of the profile's
        # samples; samples 0 means "not hot in this profile"; null: no profile covers the
        # file; clock "sampled": cpu_s and joules are upper bounds (wall-clock sampling)
        "measured": None if finding.measured is None else asdict(finding.measured),
    }


def render(report: LintReport, **_: object) -> str:
    summary = Summary.of(report)
    document = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "ecolint", "version": VERSION},
        "summary": {
            "files": summary.files,
            "findings": summary.findings,
            "fixable": {"safe": summary.fixable_safe, "unsafe": summary.fixable_unsafe},
            "fixes_applied": summary.fixes_applied,
            "internal_errors": summary.internal_errors,
            "hidden": report.hidden,
            "below_cost": report.below_cost,
            "per_rule": {code: count for code, _, count, *_ in summary.per_rule},
        },
        "profiles": [asdict(info) for info in report.profiles],
        "findings": [finding_dict(f) for f in report.findings],
        "errors": [asdict(e) for e in report.errors],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
