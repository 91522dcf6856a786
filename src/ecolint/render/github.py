"""GitHub Actions workflow commands (annotations), escaped as the runner expects."""

from __future__ import annotations

from ecolint.results import LintReport

_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    """Message text: ``%`` first, then CR and LF."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Property values: as data, plus ``:`` and ``,``."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render(report: LintReport, **_: object) -> str:
    lines = []
    for finding in report.findings:
        properties = {
            "file": finding.path,
            "line": str(finding.line),
            "col": str(finding.column),
            "endLine": str(finding.end_line),
            "endColumn": str(finding.end_column),
            "title": f"{finding.code} {finding.name}",
        }
        joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
        command = _COMMANDS[finding.severity]
        lines.append(f"::{command} {joined}::{escape_data(f'{finding.code} {finding.message}')}")
    for error in report.errors:
        lines.append(f"::error file={escape_property(error.path)}::{escape_data(error.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
